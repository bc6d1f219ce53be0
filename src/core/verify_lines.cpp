// verify_lines and verify_verdict (exhibit/verify.hpp): what a verification found, line by line,
// for `exhibit verify`'s text, the acquisition log and acquire --verify alike.
#include <algorithm>
#include <cctype>

#include "exhibit/verify.hpp"
#include "util/text.hpp"

namespace exhibit {

namespace {

void unit_lines(const VerifyReport& r, std::vector<VerifyLine>& out) {
  const ImageInfo& i = r.info;
  const uint64_t unit_bytes = uint64_t{i.sectors_per_chunk} * i.bytes_per_sector;
  const std::string unit = unit_name(i.unit);
  if (r.bad_chunks.empty()) {
    out.push_back(
        {unit + "s",
         std::to_string(i.chunk_count) + " of " + std::to_string(i.sectors_per_chunk) + " sectors read" +
             (i.unit == StorageUnit::Block ? " (raw: no checksums; the digests decide)" : ", every checksum valid"),
         false});
    return;
  }
  std::string label = "BAD " + unit;
  for (auto& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& b : r.bad_chunks) {
    const uint64_t first_byte = b.first * i.bytes_per_sector, last_byte = (b.last() + 1) * i.bytes_per_sector - 1;
    const std::string which = unit_bytes == 0 || first_byte / unit_bytes == last_byte / unit_bytes
                                  ? unit + " " + std::to_string(unit_bytes ? first_byte / unit_bytes : 0) + ": "
                                  : unit + "s " + std::to_string(first_byte / unit_bytes) + "-" +
                                        std::to_string(last_byte / unit_bytes) + ": ";
    out.push_back({label,
                   which + "sectors " + std::to_string(b.first) + "-" + std::to_string(b.last()) + " (bytes " +
                       std::to_string(first_byte) + "-" + std::to_string(last_byte) +
                       "): checksum or decompression failed",
                   true});
  }
}

void source_lines(const VerifyReport& r, std::vector<VerifyLine>& out) {
  if (!r.source) return;
  const SourceComparison& c = *r.source;
  const uint32_t bps = r.info.bytes_per_sector;
  if (c.differences.empty() && c.unreadable.empty()) {
    out.push_back(
        {"source", c.path + ": " + std::to_string(c.compared) + " bytes compared sector by sector, identical", false});
  } else if (c.differences.empty()) {
    out.push_back({"source",
                   c.path + ": " + std::to_string(c.compared) +
                       " bytes compared sector by sector; no difference where both could be read",
                   false});
  }
  if (!c.readable_now.empty()) {
    out.push_back(
        {"source readable now", ranges_text(c.readable_now) + " (unreadable at acquisition, zero-filled)", false});
  }
  for (const auto& d : c.differences) {
    out.push_back({"SOURCE DIFFERS",
                   "sectors " + std::to_string(d.first) + "-" + std::to_string(d.last()) + " (bytes " +
                       std::to_string(d.first * bps) + "-" + std::to_string((d.last() + 1) * bps - 1) + ") of " +
                       c.path,
                   true});
  }
  if (!c.unreadable.empty()) out.push_back({"source unreadable", ranges_text(c.unreadable) + " (not compared)", false});
}

}  // namespace

std::vector<VerifyLine> verify_lines(const VerifyReport& r) {
  std::vector<VerifyLine> out;
  const ImageInfo& i = r.info;
  unit_lines(r, out);
  if (!i.acquisition_errors.empty()) {
    out.push_back(
        {"acquisition errors",
         std::to_string(sector_total(i.acquisition_errors)) +
             " sectors unreadable at acquisition (zero-filled in the image): " + ranges_text(i.acquisition_errors),
         false});
  }
  for (const auto& c : r.checks) {
    out.push_back({c.algorithm + " stored", c.stored + "  (" + c.stored_in + ")", false});
    out.push_back({c.algorithm + " computed", c.computed + (c.match() ? "  MATCH" : "  MISMATCH"), !c.match()});
  }
  if (r.piece_size > 0 && r.piece_mismatches.empty()) {
    out.push_back({"pieces",
                   std::to_string(r.pieces_checked) + " SHA-256 piece" + (r.pieces_checked == 1 ? "" : "s") + " of " +
                       std::to_string(r.piece_size) + " bytes: every one matches  (" + util::file_name(r.record_file) +
                       ")",
                   false});
  }
  for (const auto& m : r.piece_mismatches) {
    const uint64_t last = m.offset + std::max<uint64_t>(m.length, 1) - 1;
    const uint64_t bps = std::max<uint32_t>(1, i.bytes_per_sector);
    out.push_back({"PIECE MISMATCH",
                   "piece " + std::to_string(m.index) + ": bytes " + std::to_string(m.offset) + "-" +
                       std::to_string(last) + ", sectors " + std::to_string(m.offset / bps) + "-" +
                       std::to_string(last / bps) + " differ from the record",
                   true});
  }
  for (const auto& f : r.segment_checks) {
    out.push_back({"segment sha256",
                   util::file_name(f.file) + " " + (f.match() ? "MATCH" : "MISMATCH (the file changed)"), !f.match()});
  }
  for (const auto& c : r.signatures) {
    out.push_back({c.what,
                   util::file_name(c.file) + (c.valid ? ": VALID" : ": INVALID") +
                       (c.detail.empty() ? "" : " (" + c.detail + ")"),
                   !c.valid});
  }
  source_lines(r, out);
  for (const auto& n : r.notes) out.push_back({"note", n, false});
  for (const auto& p : r.problems) out.push_back({"problem", p, true});
  for (const auto& m : r.record_mismatches) out.push_back({"RECORD DIFFERS", m.message(), true});
  for (const auto& n : r.not_checked) out.push_back({"NOT CHECKED", n, true});
  return out;
}

std::string verify_verdict(const VerifyReport& r) {
  VerifyReport checked_part = r;  // whether anything failed beyond what could not be checked
  checked_part.not_checked.clear();
  return r.passed() ? "VERIFIED: every " + std::string(unit_name(r.info.unit)) + " and every stored digest matches"
         : checked_part.passed()
             ? std::string(
                   "FAILED: the record lacks what it should hold, so not everything could be checked (see NOT "
                   "CHECKED)")
             : std::string("FAILED: the image does not match what it records");
}

}  // namespace exhibit

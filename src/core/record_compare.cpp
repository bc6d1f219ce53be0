#include "core/record_compare.hpp"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/finishing.hpp"
#include "core/header_notes.hpp"
#include "core/output_set.hpp"
#include "core/resume_state.hpp"
#include "hash/digest.hpp"
#include "image/zst_image.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::core {

namespace {

using report::RecordedImage;

// The text both can hold: its name in messages, its key in the record (case.* or source.*), and
// libewf's identifier of the E01 header value.
struct TextField {
  const char* label;
  const char* record_key;
  const char* ewf_id;
};
constexpr TextField k_text_fields[] = {{"case number", "case_number", "case_number"},
                                       {"evidence number", "evidence_number", "evidence_number"},
                                       {"examiner", "examiner", "examiner_name"},
                                       {"description", "description", "description"},
                                       {"notes", "notes", "notes"},
                                       {"model", "model", "model"},
                                       {"serial number", "serial", "serial_number"}};

// An absent value is an empty one: acquire writes every field, empty or not.
std::string record_text(const RecordedImage& r, std::string_view key) {
  if (key == "model") return r.model.value_or("");
  if (key == "serial") return r.serial.value_or("");
  for (const auto& [k, v] : r.case_values) {
    if (k == key) return v;
  }
  return "";
}

std::string header_text(const ImageInfo& info, std::string_view id) {
  for (const auto& [k, v] : info.header_values) {
    if (k == id) return v;
  }
  return "";
}

// What the E01 header keeps of a text: tabs and line breaks become spaces (they would split its
// fields), and bytes that are not UTF-8 become U+FFFD, one per byte there but one per sequence in
// the record's JSON; so runs of U+FFFD count as one.
std::string as_in_header(std::string s) {
  for (auto& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  static const std::string k_replacement = "\xEF\xBF\xBD";
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, k_replacement.size(), k_replacement) == 0) {
      if (out.size() < k_replacement.size() ||
          out.compare(out.size() - k_replacement.size(), k_replacement.size(), k_replacement) != 0) {
        out += k_replacement;
      }
      i += k_replacement.size();
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

void differs_if(VerifyReport& report, const std::string& field, const std::string& record, const std::string& image) {
  if (record != image) report.record_mismatches.push_back({field, record, image});
}

template <typename T, typename U>
void compare_number(VerifyReport& report, const std::string& field, const std::optional<T>& record, U image) {
  if (!record) {
    report.not_checked.push_back(field + ": the record holds none, the image says " + std::to_string(image));
  } else {
    differs_if(report, field, std::to_string(*record), std::to_string(image));
  }
}

std::optional<uint32_t> nonzero(uint32_t v) { return v == 0 ? std::nullopt : std::optional<uint32_t>(v); }

std::string canonical(const std::string& name) {
  auto c = hash::canonical_algorithm(name);
  return c ? *c : name;
}

const std::string* digest_of(const RecordedImage& record, const std::string& algorithm) {
  for (const auto& [name, hex] : record.digests) {
    if (canonical(name) == algorithm) return &hex;
  }
  return nullptr;
}

// The digests the image stores (E01 hash/digest sections, the zst's own record).
void compare_digests(const RecordedImage& record, const std::vector<StoredHash>& stored, VerifyReport& report) {
  for (const auto& h : stored) {
    const std::string algorithm = canonical(h.algorithm);
    if (const std::string* hex = digest_of(record, algorithm)) {
      differs_if(report, algorithm, *hex, h.hex);
    } else {
      report.not_checked.push_back(algorithm + ": the image stores one, the record holds none");
    }
  }
}

void compare_segments(const RecordedImage& record, const ImageInfo& info, VerifyReport& report) {
  const auto& names = record.segment_names;
  if (names.empty()) {
    report.not_checked.push_back(
        "segment files: the record lists none, so their names, sizes and SHA-256 were not "
        "checked");
    return;
  }
  if (record.segments.empty()) {
    report.not_checked.push_back(
        "segment files: the record holds no SHA-256 of them (format 1), so they were not "
        "re-hashed");
  }
  differs_if(report, "segment count", std::to_string(names.size()), std::to_string(info.segment_files.size()));
  for (size_t i = 0; i < std::min(names.size(), info.segment_files.size()); ++i) {
    differs_if(report, "segment " + std::to_string(i + 1) + " name", names[i], util::file_name(info.segment_files[i]));
  }
}

void compare_e01(const RecordedImage& record, const ImageInfo& info, VerifyReport& report) {
  compare_number(report, "sector size", nonzero(record.bytes_per_sector), info.bytes_per_sector);
  compare_number(report, "chunk size (sectors per chunk)", record.chunk_sectors, info.sectors_per_chunk);
  compare_digests(record, info.hashes, report);
  // acquire writes the record's case text, the source's model and serial, and after the notes
  // its warnings about hidden areas of the drive.
  const uint64_t hpa = record.drive ? record.drive->hpa_sectors : 0;
  const uint64_t dco = record.drive ? record.drive->dco_sectors : 0;
  for (const auto& f : k_text_fields) {
    std::string expected = record_text(record, f.record_key);
    if (std::string_view(f.record_key) == "notes") {
      expected = notes_with_warnings(expected, hpa, dco,
                                     remote_note(record.remote_uri, record.remote_host, record.remote_device));
    }
    const std::string stored = header_text(info, f.ewf_id);
    if (as_in_header(expected) != as_in_header(stored)) report.record_mismatches.push_back({f.label, expected, stored});
  }
}

// zst: the record inside the image was written with the same result, before the image file
// existed (so without segment files).
void compare_inner(const RecordedImage& record, const RecordedImage& inner, VerifyReport& report) {
  if (inner.bytes_per_sector != 0) {
    compare_number(report, "sector size", nonzero(record.bytes_per_sector), inner.bytes_per_sector);
  }
  if (inner.chunk_sectors)
    compare_number(report, "chunk size (sectors per chunk)", record.chunk_sectors, *inner.chunk_sectors);
  std::vector<StoredHash> stored;
  for (const auto& [name, hex] : inner.digests) stored.push_back({name, hex});
  compare_digests(record, stored, report);
  for (const auto& f : k_text_fields)
    differs_if(report, f.label, record_text(record, f.record_key), record_text(inner, f.record_key));
  if (inner.pieces.empty() || record.pieces.empty()) return;  // none beside: see check_coverage
  differs_if(report, "piece count", std::to_string(record.pieces.size()), std::to_string(inner.pieces.size()));
  for (size_t i = 0; i < std::min(record.pieces.size(), inner.pieces.size()); ++i) {
    if (record.pieces[i].sha256 != inner.pieces[i].sha256) {
      differs_if(report, "piece " + std::to_string(i) + " sha256", record.pieces[i].sha256, inner.pieces[i].sha256);
      break;  // one is enough to say the two records are not the same
    }
  }
}

// What BASE.log (or the record itself, or the record inside a zst) says the record must hold.
void check_coverage(const RecordedImage& record, const std::optional<RecordedImage>& inner, const LogSummary& log,
                    VerifyReport& report) {
  if (record.pieces.empty()) {
    if (log.pieces > 0) {
      report.not_checked.push_back("pieces: the log says " + std::to_string(log.pieces) +
                                   " were hashed, the record lists none");
    } else if (inner && !inner->pieces.empty()) {
      report.not_checked.push_back("pieces: the record inside the image lists " + std::to_string(inner->pieces.size()) +
                                   ", the record beside it none");
    } else if (record.piece_size > 0 && record.media_size.value_or(0) > 0) {
      report.not_checked.push_back("pieces: the record gives a piece size of " + std::to_string(record.piece_size) +
                                   " bytes but lists none");
    }
  }
  for (const auto& algorithm : log.digests) {
    const bool noted = std::any_of(report.not_checked.begin(), report.not_checked.end(),
                                   [&](const std::string& n) { return n.rfind(algorithm + ": ", 0) == 0; });
    if (digest_of(record, algorithm) == nullptr && !noted) {
      report.not_checked.push_back(algorithm + ": the log lists one, the record holds none");
    }
  }
}

}  // namespace

void compare_record(const RecordedImage& record, const image::UnitReader& reader, const LogSummary& log,
                    VerifyReport& report) {
  const ImageInfo& info = report.info;
  compare_number(report, "media size", record.media_size, info.media_size);
  compare_segments(record, info, report);
  std::optional<RecordedImage> inner;
  if (info.unit == StorageUnit::Chunk) {
    compare_e01(record, info, report);
  } else if (const auto* zst = dynamic_cast<const image::ZstReader*>(&reader); zst && !zst->record_text().empty()) {
    // The reader parsed it when it opened the image.
    if (auto r = report::parse_record(zst->record_text(), info.segment_files.front())) inner = std::move(*r);
    if (inner) compare_inner(record, *inner, report);
  }
  check_coverage(record, inner, log, report);
}

void check_set_finished(const std::string& base, bool record_present, const LogSummary& log, VerifyReport& report) {
  const OutputSet out(base);
  if (::access(out.resume_path().c_str(), F_OK) == 0) {
    std::string source = "SOURCE";
    if (auto text = util::read_small_file(out.resume_path(), "resume state"); text && is_finishing_state(*text)) {
      if (auto f = parse_finishing_state(*text); f && !f->source.empty()) source = util::shell_quote(f->source);
    } else if (auto state = load_resume_state(out.resume_path()); state && !state->source.path.empty()) {
      source = util::shell_quote(state->source.path);
    }
    report.problems.push_back(util::file_name(out.resume_path()) +
                              " exists: this acquisition did not finish; run "
                              "exhibit acquire " +
                              source + " -o " + util::shell_quote(base) + " --resume");
  }
  if (record_present || !log.ours) return;
  const std::string record = util::file_name(out.record_path());
  const std::string log_name = util::file_name(out.log_path());
  if (log.record_written) {
    report.problems.push_back("the record " + record + " is missing, but " + log_name + " says it was written");
  } else if (log.complete) {
    report.problems.push_back("the record " + record + " is missing, but " + log_name +
                              " says the acquisition completed");
  }
}

}  // namespace exhibit::core

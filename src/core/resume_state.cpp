#include "core/resume_state.hpp"

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/piece_size.hpp"
#include "exhibit/setting.hpp"
#include "report/record.hpp"
#include "util/bounded_input.hpp"
#include "util/endian.hpp"
#include "util/text.hpp"

namespace exhibit::core {

namespace {

using nlohmann::json;
// 3: raw copies keep digests of what they wrote. Version 2 states are read for E01 and zst (they
// check what was written by their own checksums), refused for raw.
constexpr int k_version = 3;

std::vector<unsigned char> bytes_of(const std::string& hex) {
  auto bytes = util::from_hex(hex);
  if (!bytes) throw std::invalid_argument("not hex");
  return std::move(*bytes);
}

// Table entries as little-endian hex, 8 digits each: up to 65534 of them.
std::string entries_hex(const std::vector<uint32_t>& entries) {
  std::vector<unsigned char> b(4 * entries.size());
  for (size_t i = 0; i < entries.size(); ++i) util::store_le32(b.data() + 4 * i, entries[i]);
  return util::to_hex(b.data(), b.size());
}

std::vector<uint32_t> entries_from(const std::string& hex) {
  const auto b = bytes_of(hex);
  if (b.size() % 4 != 0) throw std::invalid_argument("table entries");
  std::vector<uint32_t> out(b.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) out[i] = util::load_le32(b.data() + 4 * i);
  return out;
}

json copy_json(const CopyProgress& c) {
  return {{"base", c.base},
          {"given_up", c.given_up},
          {"chunks", c.writer.e01.chunks},
          {"segment", c.writer.e01.segment},
          {"file_size", c.writer.e01.file_size},
          {"group_offset", c.writer.e01.group_offset},
          {"closed_tables", c.writer.e01.closed_tables},
          {"entries", entries_hex(c.writer.e01.entries)},
          {"media_bytes", c.writer.media_bytes},
          {"zst_file_size", c.writer.zst_file_size},
          {"zst_frames", c.writer.zst_frames},
          {"span_bytes", c.writer.span_bytes},
          {"written_sha256", c.writer.written_sha256}};
}

}  // namespace

json state_ranges_json(const std::vector<SectorRange>& v) {
  json a = json::array();
  for (const auto& r : v) a.push_back({r.first, r.count});
  return a;
}

std::vector<SectorRange> state_ranges_from(const json& a) {
  std::vector<SectorRange> out;
  for (const auto& r : a) out.push_back({r.at(0).get<uint64_t>(), r.at(1).get<uint64_t>()});
  return out;
}

void refuse_fractions(const json& j) {
  if (j.is_number_float()) throw std::invalid_argument("a number that is not a whole one of at most 64 bits");
  if (j.is_structured()) {
    for (const auto& v : j) refuse_fractions(v);  // as deep as parse_bounded_json allows: 32
  }
}

std::string render_resume_state(const ResumeState& s) {
  json header = json::array();
  for (const auto& [k, v] : s.header_values) header.push_back({k, v});
  json copies = json::array();
  for (const auto& c : s.copies) copies.push_back(copy_json(c));
  json j = {{"exhibit_resume", k_version},
            {"source",
             {{"path", s.source.path},
              {"size", s.source.size},
              {"sector_size", s.source.sector_size},
              {"model", s.source.model},
              {"serial", s.source.serial},
              {"head_bytes", s.source.head_bytes},
              {"head_sha256", s.source.head_sha256},
              {"remote", s.source.remote}}},
            {"case",
             {{"case_number", s.metadata.case_number},
              {"evidence_number", s.metadata.evidence_number},
              {"examiner", s.metadata.examiner},
              {"description", s.metadata.description},
              {"notes", s.metadata.notes}}},
            {"image",
             {{"chunk_sectors", s.chunk_sectors},
              {"segment_size", s.segment_size},
              {"compression", compression_name(s.compression)},
              {"digests", s.digests},
              {"piece_size", s.piece_size},
              {"file_sector_size", s.file_sector_size},
              {"started", s.started},
              {"source_date_epoch", s.source_date_epoch ? json(*s.source_date_epoch) : json(nullptr)},
              {"format", format_name(s.format)},
              {"one_file", s.one_file},
              {"removable", s.removable},
              {"physical", s.physical},
              {"set_identifier", util::to_hex(s.set_identifier.data(), s.set_identifier.size())},
              {"header_values", header}}},
            {"progress",
             {{"copies", copies},
              {"unreadable", state_ranges_json(s.unreadable)},
              {"recovered", state_ranges_json(s.recovered)},
              {"pending_bad", s.pending_bad ? json{s.pending_bad->first, s.pending_bad->count} : json(nullptr)},
              {"interruptions", s.interruptions}}},
            {"seal",
             {{"sign_key_fingerprint", s.sign_key_fingerprint}, {"sign_cms", s.sign_cms}, {"report", s.report}}}};
  // Device model and serial strings can hold any bytes: invalid UTF-8 is stored replaced (and
  // compared the same way, see as_stored).
  return j.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<ResumeState> parse_resume_state(const std::string& text) {
  try {
    auto parsed = util::parse_bounded_json(text, "its JSON");
    if (!parsed) throw std::invalid_argument(parsed.error().message());
    const json& j = *parsed;
    refuse_fractions(j);
    const int version = j.at("exhibit_resume").get<int>();
    if (version != k_version && version != 2) {
      return Error(ErrorCode::Unsupported, "resume state of another version of exhibit");
    }
    ResumeState s;
    const json& src = j.at("source");
    s.source = {src.at("path"),   src.at("size"),       src.at("sector_size"), src.at("model"),
                src.at("serial"), src.at("head_bytes"), src.at("head_sha256"), src.value("remote", std::string())};
    const json& c = j.at("case");
    s.metadata = {c.at("case_number"), c.at("evidence_number"), c.at("examiner"), c.at("description"), c.at("notes")};
    const json& im = j.at("image");
    s.chunk_sectors = im.at("chunk_sectors");
    s.segment_size = im.at("segment_size");
    const std::string compression = im.at("compression");
    const auto known = compression_from_name(compression);
    if (!known) throw std::invalid_argument("compression " + compression);
    s.compression = *known;
    s.digests = im.at("digests").get<std::vector<std::string>>();
    s.piece_size = im.at("piece_size");
    s.file_sector_size = im.at("file_sector_size");
    s.started = im.at("started");
    // Absent in states written before it was kept.
    if (const auto e = im.value("source_date_epoch", json()); !e.is_null()) s.source_date_epoch = e.get<int64_t>();
    // Pieces are held in memory while the image is written: a state asking for millions is not ours.
    if (!piece_size_bounded(s.source.size, s.piece_size)) throw std::invalid_argument("piece_size");
    const std::string format = im.at("format");
    const auto named = format_from_name(format);
    if (!named) throw std::invalid_argument("format " + format);
    s.format = *named;
    if (version == 2 && image::resume_needs_written_digests(s.format)) {
      return Error(ErrorCode::Unsupported,
                   "resume state of an older exhibit (version 2), which kept no digests of the "
                   "raw image it wrote: what was written cannot be checked, so it is not "
                   "resumed (start again with " +
                       setting_text(Setting::Force) + ")");
    }
    s.one_file = im.at("one_file");
    s.removable = im.at("removable");
    s.physical = im.at("physical");
    const auto id = bytes_of(im.at("set_identifier"));
    if (id.size() != s.set_identifier.size()) throw std::invalid_argument("set identifier");
    std::copy(id.begin(), id.end(), s.set_identifier.begin());
    for (const auto& kv : im.at("header_values")) s.header_values.emplace_back(kv.at(0), kv.at(1));
    const json& p = j.at("progress");
    for (const auto& entry : p.at("copies")) {
      CopyProgress cp;
      cp.base = entry.at("base");
      cp.given_up = entry.at("given_up");
      cp.writer.e01.chunks = entry.at("chunks");
      cp.writer.e01.segment = entry.at("segment");
      cp.writer.e01.file_size = entry.at("file_size");
      cp.writer.e01.group_offset = entry.at("group_offset");
      cp.writer.e01.closed_tables = entry.at("closed_tables").get<std::vector<uint64_t>>();
      cp.writer.e01.entries = entries_from(entry.at("entries"));
      cp.writer.media_bytes = entry.at("media_bytes");
      cp.writer.zst_file_size = entry.at("zst_file_size");
      cp.writer.zst_frames = entry.at("zst_frames");
      if (version >= 3) {
        cp.writer.span_bytes = entry.at("span_bytes");
        cp.writer.written_sha256 = entry.at("written_sha256").get<std::vector<std::string>>();
      }
      s.copies.push_back(std::move(cp));
    }
    if (s.copies.empty()) throw std::invalid_argument("no copies");
    s.unreadable = state_ranges_from(p.at("unreadable"));
    s.recovered = state_ranges_from(p.at("recovered"));

    if (!p.at("pending_bad").is_null())
      s.pending_bad = SectorRange{p.at("pending_bad").at(0), p.at("pending_bad").at(1)};
    s.interruptions = p.at("interruptions");
    if (j.contains("seal")) {  // version 2 states have none: unsigned, default report
      const json& seal = j.at("seal");
      s.sign_key_fingerprint = seal.at("sign_key_fingerprint");
      s.sign_cms = seal.at("sign_cms");
      s.report = seal.at("report");
    }
    return s;
  } catch (const std::exception& e) {
    return Error(ErrorCode::Corruption, std::string("not a resume state exhibit wrote (") + e.what() + ")");
  }
}

std::string as_stored(const std::string& text) {
  return json::parse(json(text).dump(-1, ' ', false, json::error_handler_t::replace)).get<std::string>();
}

Status save_resume_state(const std::string& path, const ResumeState& s) {
  return report::write_file_atomically(path, render_resume_state(s));
}

Result<ResumeState> load_resume_state(const std::string& path) {
  auto text = util::read_small_file(path, "resume state");
  if (!text) {
    if (text.error().code() == ErrorCode::NotFound) {
      return Error(ErrorCode::NotFound, path + " does not exist: there is no interrupted acquisition to resume");
    }
    return text.error();
  }
  auto s = parse_resume_state(*text);
  if (!s) return Error(s.error().code(), path + ": " + s.error().message());
  return s;
}

}  // namespace exhibit::core

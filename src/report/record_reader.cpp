// Reading a record back (for verify). Every field is checked for its type before use.
#include <nlohmann/json.hpp>

#include "report/record.hpp"
#include "util/bounded_input.hpp"

namespace exhibit::report {

namespace {

using nlohmann::json;

bool is_hex(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

}  // namespace

Result<RecordedImage> read_record(const std::string& path) {
  EXHIBIT_TRY(const std::string text, util::read_small_file(path, "record"));
  return parse_record(text, path);
}

Result<RecordedImage> parse_record(const std::string& text, const std::string& path) {
  EXHIBIT_TRY(const json j, util::parse_bounded_json(text, path));
  auto bad = [&](const std::string& what) { return Error(ErrorCode::Corruption, path + ": " + what); };
  if (!j.is_object()) return bad("not a JSON object");
  RecordedImage r;
  const json* media = member(j, "media");
  const json* digests = media ? member(*media, "digests") : nullptr;
  if (digests == nullptr || !digests->is_object()) return bad("no media digests");
  for (auto it = digests->begin(); it != digests->end(); ++it) {
    if (!it.value().is_string()) return bad("digest " + it.key() + " is not text");
    r.digests[it.key()] = it.value().get<std::string>();
  }
  if (const json* v = member(j, "format_version"); v && v->is_number_unsigned() && *v <= 1000)
    r.format_version = v->get<int>();
  if (const json* size = member(*media, "size"); size && size->is_number_unsigned())
    r.media_size = size->get<uint64_t>();
  if (const json* options = member(j, "options")) {
    if (const json* c = member(*options, "chunk_sectors"); c && c->is_number_unsigned() && *c <= 0xFFFFFFFFu) {
      r.chunk_sectors = c->get<uint32_t>();
    }
  }
  if (const json* bps = member(*media, "bytes_per_sector"); bps && bps->is_number_unsigned()) {
    const uint64_t v = *bps;
    if (v == 0 || v > 65536 || (v & (v - 1)) != 0) return bad("bytes_per_sector is not a power of two up to 65536");
    r.bytes_per_sector = static_cast<uint32_t>(v);
  }
  if (const json* c = member(j, "case"); c && c->is_object()) {
    for (const char* key : {"case_number", "evidence_number", "examiner", "description", "notes"}) {
      if (const json* v = member(*c, key); v && v->is_string() && !v->get<std::string>().empty()) {
        r.case_values.emplace_back(key, v->get<std::string>());
      }
    }
  }
  if (const json* u = member(j, "unreadable"); u && u->is_array()) {
    for (const auto& e : *u) {
      const json* first = member(e, "first_sector");
      const json* count = member(e, "sector_count");
      if (!first || !first->is_number_unsigned() || !count || !count->is_number_unsigned()) {
        return bad("an unreadable range is malformed");
      }
      r.unreadable.push_back({first->get<uint64_t>(), count->get<uint64_t>()});
    }
  }
  if (const json* source = member(j, "source")) {
    if (const json* size = member(*source, "size"); size && size->is_number_unsigned()) r.source_size = *size;
    if (const json* v = member(*source, "model"); v && v->is_string()) r.model = v->get<std::string>();
    if (const json* v = member(*source, "serial"); v && v->is_string()) r.serial = v->get<std::string>();
    if (const json* remote = member(*source, "remote"); remote && remote->is_object()) {
      auto remote_text = [&](const char* key) {
        const json* v = member(*remote, key);
        return v && v->is_string() ? v->get<std::string>() : std::string();
      };
      r.remote_uri = remote_text("uri");
      r.remote_host = remote_text("host");
      r.remote_device = remote_text("device");
    }
    if (const json* drive = member(*source, "drive"); drive && drive->is_object()) {
      DriveIdentity d;
      auto string_of = [&](const char* key) {
        const json* v = member(*drive, key);
        return v && v->is_string() ? v->get<std::string>() : std::string();
      };
      auto count = [&](const char* key) {
        const json* v = member(*drive, key);
        return v && v->is_number_unsigned() ? v->get<uint64_t>() : uint64_t{0};
      };
      d.status = string_of("status");
      d.method = string_of("method");
      d.model = string_of("model");
      d.serial = string_of("serial");
      d.firmware = string_of("firmware");
      d.user_sectors = count("user_sectors");
      d.native_sectors = count("native_sectors");
      d.hpa_sectors = count("hpa_sectors");
      d.dco_sectors = count("dco_sectors");
      r.drive = d;
    }
  }
  if (const json* pieces = member(j, "pieces")) {
    const json* size = member(*pieces, "piece_size");
    const json* list = member(*pieces, "list");
    const json* algorithm = member(*pieces, "algorithm");
    if (!size || !size->is_number_unsigned() || !list || !list->is_array() || !algorithm || *algorithm != "sha256") {
      return bad("the pieces section is malformed");
    }
    r.piece_size = *size;
    for (const auto& p : *list) {
      const json* offset = member(p, "offset");
      const json* length = member(p, "length");
      const json* sha = member(p, "sha256");
      if (!offset || !offset->is_number_unsigned() || !length || !length->is_number_unsigned() || !sha ||
          !is_hex(*sha)) {
        return bad("piece " + std::to_string(r.pieces.size()) + " is malformed");
      }
      r.pieces.push_back({offset->get<uint64_t>(), length->get<uint64_t>(), sha->get<std::string>()});
    }
  }
  const json* image = member(j, "image");
  const json* segments = image ? member(*image, "segments") : nullptr;
  if (segments != nullptr && segments->is_array()) {
    for (const auto& f : *segments) {
      if (f.is_string()) {  // format_version 1 listed names only
        r.segment_names.push_back(f.get<std::string>());
        continue;
      }
      const json* file = member(f, "file");
      const json* size = member(f, "size");
      const json* sha = member(f, "sha256");
      if (!file || !file->is_string() || !size || !size->is_number_unsigned() || !sha || !is_hex(*sha)) {
        return bad("segment entry " + std::to_string(r.segments.size()) + " is malformed");
      }
      const std::string name = file->get<std::string>();
      if (name.empty() || name.find('/') != std::string::npos)
        return bad("segment file name '" + name + "' is not a plain name");
      r.segments.push_back({name, size->get<uint64_t>(), sha->get<std::string>()});
      r.segment_names.push_back(name);
    }
  }
  return r;
}

}  // namespace exhibit::report

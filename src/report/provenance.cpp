#include "report/provenance.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::report {

namespace {

using nlohmann::json;

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string text_of(const json* j, const char* key) {
  const json* v = j ? member(*j, key) : nullptr;
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

uint64_t number_of(const json* j, const char* key) {
  const json* v = j ? member(*j, key) : nullptr;
  return v && v->is_number_unsigned() ? v->get<uint64_t>() : 0;
}

uint32_t sector_size_of(const json* j, const char* key) {
  const uint64_t v = number_of(j, key);
  return v <= 0xFFFFFFFFu ? static_cast<uint32_t>(v) : 0;
}

bool is_hex(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos; }

std::string sha256_hex(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(text.data(), text.size(), md, &n, EVP_sha256(), nullptr) != 1) return "";
  return util::to_hex(md, n);
}

}  // namespace

OsParts split_os(const std::string& os) {
  std::istringstream in(os);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.size() != 3) return {os, "", ""};
  return {words[0], words[1], words[2]};
}

Result<Provenance> provenance_from_record(const std::string& text, const std::string& record_name) {
  EXHIBIT_TRY(const json j, util::parse_bounded_json(text, record_name));
  if (!j.is_object()) return Error(ErrorCode::Corruption, record_name + ": not a JSON object");
  Provenance p;
  p.from_record = true;
  const json* tool = member(j, "tool");
  p.tool_name = text_of(tool, "name");
  p.tool_version = text_of(tool, "version");
  p.tool_commit = text_of(tool, "commit");
  if (const json* libs = tool ? member(*tool, "libraries") : nullptr; libs && libs->is_object()) {
    for (auto it = libs->begin(); it != libs->end(); ++it) {
      if (it.value().is_string()) p.tool_libraries.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  p.host_os = text_of(member(j, "host"), "os");
  p.started = text_of(&j, "started");
  p.finished = text_of(&j, "finished");
  const json* c = member(j, "case");
  p.case_values = {text_of(c, "case_number"), text_of(c, "evidence_number"), text_of(c, "examiner"),
                   text_of(c, "description"), text_of(c, "notes")};
  const json* s = member(j, "source");
  p.source_path = text_of(s, "path");
  p.source_kind = text_of(s, "kind");
  p.vendor = text_of(s, "vendor");
  p.model = text_of(s, "model");
  p.serial = text_of(s, "serial");
  p.firmware = text_of(s, "firmware");
  p.transport = text_of(s, "transport");
  p.source_size = number_of(s, "size");
  p.logical_sector_size = sector_size_of(s, "logical_sector_size");
  p.physical_sector_size = sector_size_of(s, "physical_sector_size");
  const json* image = member(j, "image");
  p.image_format = text_of(image, "format");
  if (const json* segs = image ? member(*image, "segments") : nullptr; segs && segs->is_array()) {
    for (const auto& f : *segs) {
      if (f.is_string()) {  // format_version 1: names only
        p.segments.push_back({util::file_name(f.get<std::string>()), 0, ""});
        continue;
      }
      const std::string sha = text_of(&f, "sha256");
      p.segments.push_back({util::file_name(text_of(&f, "file")), number_of(&f, "size"), is_hex(sha) ? sha : ""});
    }
  }
  p.record = ProvenanceFile{util::file_name(record_name), text.size(), sha256_hex(text)};
  const json* media = member(j, "media");
  p.media_size = number_of(media, "size");
  p.bytes_per_sector = sector_size_of(media, "bytes_per_sector");
  if (const json* d = media ? member(*media, "digests") : nullptr; d && d->is_object()) {
    for (auto it = d->begin(); it != d->end(); ++it) {
      if (it.value().is_string() && is_hex(it.value().get<std::string>()))
        p.media_digests.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  if (const json* pieces = member(j, "pieces")) {
    p.piece_size = number_of(pieces, "piece_size");
    if (const json* list = member(*pieces, "list"); list && list->is_array()) {
      for (const auto& e : *list) {
        const std::string sha = text_of(&e, "sha256");
        if (is_hex(sha)) p.pieces.push_back({number_of(&e, "offset"), number_of(&e, "length"), sha});
      }
    }
  }
  if (const json* u = member(j, "unreadable"); u && u->is_array()) {
    for (const auto& e : *u) p.unreadable.push_back({number_of(&e, "first_sector"), number_of(&e, "sector_count")});
  }
  return p;
}

Provenance provenance_from_image(const ImageInfo& info) {
  Provenance p;
  auto header = [&](const char* key) {
    for (const auto& [k, v] : info.header_values) {
      if (k == key) return v;
    }
    return std::string();
  };
  p.tool_name = header("acquiry_software");
  p.tool_version = header("acquiry_software_version");
  p.host_os = header("acquiry_operating_system");
  p.case_values = {header("case_number"), header("evidence_number"), header("examiner_name"), header("description"),
                   header("notes")};
  p.model = header("model");
  p.serial = header("serial_number");
  p.image_format = info.format;
  for (const auto& f : info.segment_files) {
    struct stat st {};
    p.segments.push_back({util::file_name(f), ::stat(f.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0, ""});
  }
  p.media_size = info.media_size;
  p.source_size = info.media_size;
  p.bytes_per_sector = info.bytes_per_sector;
  p.logical_sector_size = info.bytes_per_sector;
  for (const auto& h : info.hashes) p.media_digests.emplace_back(h.algorithm, h.hex);
  p.unreadable = info.acquisition_errors;
  return p;
}

}  // namespace exhibit::report

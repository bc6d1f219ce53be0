#include "report/record.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/fd.hpp"

namespace exhibit::report {

namespace {

using nlohmann::ordered_json;

ordered_json ranges_json(const std::vector<SectorRange>& ranges) {
  ordered_json a = ordered_json::array();
  for (const auto& r : ranges) a.push_back({{"first_sector", r.first}, {"sector_count", r.count}});
  return a;
}

}  // namespace

std::string record_path_for_base(const std::string& base) { return base + ".manifest.json"; }

std::string render_record(const AcquireOptions& options, const AcquireResult& result, const RecordTimes& times,
                          const std::string& host_os) {
  const SourceInfo& s = result.source;
  const WriteBlockRecord& wb = result.write_block;
  ordered_json j;
  j["format"] = "exhibit-manifest";
  j["format_version"] = 1;
  j["tool"] = {{"name", "exhibit"}, {"version", EXHIBIT_VERSION}};
  j["host"] = {{"os", host_os}};
  j["case"] = {{"case_number", options.metadata.case_number},
               {"evidence_number", options.metadata.evidence_number},
               {"examiner", options.metadata.examiner},
               {"description", options.metadata.description},
               {"notes", options.metadata.notes}};
  j["source"] = {{"path", s.path},
                 {"kind", s.is_block_device ? "block device" : "file"},
                 {"size", s.size},
                 {"logical_sector_size", s.logical_sector_size},
                 {"physical_sector_size", s.physical_sector_size},
                 {"device_name", s.device_name},
                 {"vendor", s.vendor},
                 {"model", s.model},
                 {"serial", s.serial},
                 {"firmware", s.firmware},
                 {"transport", s.transport},
                 {"removable", s.removable},
                 {"direct_io", s.direct_io}};
  j["write_block"] = {{"applicable", wb.applicable},     {"exclusive_open", wb.exclusive_open},
                      {"was_read_only", wb.was_read_only}, {"set_read_only", wb.set_read_only},
                      {"verified", wb.verified},           {"restored", wb.restored}};
  j["options"] = {{"segment_size", result.segment_size},
                  {"chunk_sectors", result.chunk_sectors},
                  {"compression", compression_name(options.compression)},
                  {"retries", options.retries},
                  {"allow_mounted", options.allow_mounted}};
  j["started"] = times.started;
  j["finished"] = times.finished;
  ordered_json segments = ordered_json::array();
  for (const auto& f : result.segment_files) segments.push_back(f.substr(f.find_last_of('/') + 1));
  j["image"] = {{"format", "E01 (EnCase 6)"}, {"segments", segments}};
  ordered_json digests = ordered_json::object();
  for (const auto& d : result.digests) digests[d.algorithm] = d.hex;
  j["media"] = {{"size", result.bytes},
                {"bytes_per_sector", s.logical_sector_size},
                {"padding", result.padding},
                {"digests", digests}};
  if (result.padding > 0) {
    ordered_json exact = ordered_json::object();
    for (const auto& d : result.source_digests) exact[d.algorithm] = d.hex;
    j["source"]["digests"] = exact;
  }
  j["unreadable"] = ranges_json(result.unreadable);
  j["recovered"] = ranges_json(result.recovered);
  return j.dump(2) + "\n";
}

Status write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  util::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return Error::from_errno(ErrorCode::Destination, "creating " + tmp, errno);
  if (!util::write_full(fd.get(), text.data(), text.size()) || ::fsync(fd.get()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::from_errno(ErrorCode::Destination, "writing " + tmp, e);
  }
  fd.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Error::from_errno(ErrorCode::Destination, "renaming " + tmp + " to " + path, errno);
  }
  return Ok{};
}

Result<std::map<std::string, std::string>> read_record_digests(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::from_errno(ErrorCode::NotFound, path, errno);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error(ErrorCode::Corruption, path + ": not valid JSON");
  auto media = j.find("media");
  if (media == j.end() || !media->is_object()) return Error(ErrorCode::Corruption, path + ": no media section");
  auto digests = media->find("digests");
  if (digests == media->end() || !digests->is_object()) {
    return Error(ErrorCode::Corruption, path + ": no media digests");
  }
  std::map<std::string, std::string> out;
  for (auto it = digests->begin(); it != digests->end(); ++it) {
    if (!it.value().is_string()) return Error(ErrorCode::Corruption, path + ": digest " + it.key() + " is not text");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace exhibit::report

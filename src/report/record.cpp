#include "report/record.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <cstdlib>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "report/json_util.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

namespace exhibit::report {

using nlohmann::ordered_json;

std::string record_path_for_base(const std::string& base) { return base + ".manifest.json"; }

std::string render_record(const AcquireOptions& options, const AcquireResult& result, const RecordTimes& times,
                          const std::string& host_os) {
  const SourceInfo& s = result.source;
  const WriteBlockRecord& wb = result.write_block;
  ordered_json j;
  j["format"] = "exhibit-manifest";
  j["format_version"] = 2;
  j["tool"] = {{"name", "exhibit"}, {"version", EXHIBIT_VERSION}};
  j["host"] = {{"os", host_os}};
  j["case"] = case_json(options.metadata);
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
                      {"verified", wb.verified},           {"restored", wb.restored},
                      {"cleared_during", wb.cleared_during}};
  j["options"] = {{"segment_size", result.segment_size},
                  {"chunk_sectors", result.chunk_sectors},
                  {"compression", compression_name(options.compression)},
                  {"retries", options.retries},
                  {"allow_mounted", options.allow_mounted},
                  {"fixed_address_layout", options.fixed_address_layout},
                  {"source_date_epoch", options.source_date_epoch ? ordered_json(*options.source_date_epoch) : ordered_json()}};
  j["started"] = times.started;
  j["finished"] = times.finished;
  j["interruptions"] = result.resumed;
  ordered_json segments = ordered_json::array();
  for (const auto& f : result.segments) {
    segments.push_back({{"file", util::file_name(f.path)}, {"size", f.size}, {"sha256", f.sha256}});
  }
  j["image"] = {{"format", format_label(options.format)}, {"segments", segments}};
  ordered_json digests = ordered_json::object();
  for (const auto& d : result.digests) digests[d.algorithm] = d.hex;
  j["media"] = {{"size", result.bytes},
                {"bytes_per_sector", s.logical_sector_size},
                {"padding", result.padding},
                {"digests", digests}};
  if (s.is_block_device) {
    j["source"]["drive"] = drive_json(s.drive);
  }
  if (result.padding > 0) {
    ordered_json exact = ordered_json::object();
    for (const auto& d : result.source_digests) exact[d.algorithm] = d.hex;
    j["source"]["digests"] = exact;
  }
  ordered_json pieces = ordered_json::array();
  for (const auto& p : result.pieces) pieces.push_back({{"offset", p.offset}, {"length", p.length}, {"sha256", p.sha256}});
  j["pieces"] = {{"algorithm", "sha256"}, {"piece_size", options.piece_size}, {"list", pieces}};
  j["unreadable"] = ranges_json(result.unreadable);
  j["recovered"] = ranges_json(result.recovered);
  return dump_json(j);
}

Status write_file_atomically(const std::string& path, const std::string& text) {
  // A new file of a name no one has (mkstemp opens with O_EXCL): never truncates what lies there.
  std::string tmp = path + ".tmp.XXXXXX";
  util::UniqueFd fd(::mkstemp(tmp.data()));
  if (!fd) return Error::from_errno(ErrorCode::Destination, "creating a temporary file beside " + path, errno);
  if (::fchmod(fd.get(), 0644) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::from_errno(ErrorCode::Destination, "setting the mode of " + tmp, e);
  }
  if (!util::write_full(fd.get(), text.data(), text.size()) || ::fsync(fd.get()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::from_errno(ErrorCode::Destination, "writing " + tmp, e);
  }
  fd.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::from_errno(ErrorCode::Destination, "renaming " + tmp + " to " + path, e);
  }
  // The rename itself is durable only once the folder is synced.
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  util::UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd) ::fsync(dfd.get());
  return Ok{};
}

}  // namespace exhibit::report

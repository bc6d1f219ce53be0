#include "report/record.hpp"

#include <nlohmann/json.hpp>

#include "exhibit/version.hpp"
#include "report/json_util.hpp"
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
  const BuildInfo& build = build_info();
  j["tool"] = {{"name", "exhibit"}, {"version", build.version}, {"commit", build.commit}};
  for (const auto& l : build.libraries) j["tool"]["libraries"][l.name] = l.version;
  j["host"] = {{"os", host_os}};
  j["case"] = case_json(options.metadata);
  j["source"] = {{"path", s.path},
                 {"kind", s.is_remote()       ? "remote"
                          : s.is_block_device ? "block device"
                                              : "file"},
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
  j["write_block"] = {{"applicable", wb.applicable},
                      {"exclusive_open", wb.exclusive_open},
                      {"was_read_only", wb.was_read_only},
                      {"set_read_only", wb.set_read_only},
                      {"verified", wb.verified},
                      {"restored", wb.restored},
                      {"cleared_during", wb.cleared_during}};
  j["options"] = {{"segment_size", result.segment_size},
                  {"chunk_sectors", result.chunk_sectors},
                  {"compression", compression_name(options.compression)},
                  {"retries", options.retries},
                  {"allow_mounted", options.allow_mounted},
                  {"fixed_address_layout", options.fixed_address_layout},
                  {"source_date_epoch",
                   options.source_date_epoch ? ordered_json(*options.source_date_epoch) : ordered_json()}};
  j["started"] = times.started;
  j["finished"] = times.finished;
  j["interruptions"] = result.resumed;
  // Timings differ from run to run: a reproducible record (SOURCE_DATE_EPOCH) leaves them out.
  j["performance"] = options.source_date_epoch ? ordered_json() : stages_json(result.stages);
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
  if (s.is_block_device || s.remote.described_by_exhibit) {
    j["source"]["drive"] = drive_json(s.drive);
  }
  if (s.is_remote()) j["source"]["remote"] = remote_json(s.remote);
  if (result.padding > 0) {
    ordered_json exact = ordered_json::object();
    for (const auto& d : result.source_digests) exact[d.algorithm] = d.hex;
    j["source"]["digests"] = exact;
  }
  ordered_json pieces = ordered_json::array();
  for (const auto& p : result.pieces)
    pieces.push_back({{"offset", p.offset}, {"length", p.length}, {"sha256", p.sha256}});
  j["pieces"] = {{"algorithm", "sha256"}, {"piece_size", options.piece_size}, {"list", pieces}};
  j["unreadable"] = ranges_json(result.unreadable);
  j["recovered"] = ranges_json(result.recovered);
  // acquire --verify: the files read again before this record was written (absent without it).
  if (result.verification) {
    j["verification"] = verification_json(*result.verification, !options.source_date_epoch,
                                          [](const std::string& path) { return util::file_name(path); });
  }
  return dump_json(j);
}

Status write_file_atomically(const std::string& path, const std::string& text, io::Env& env) {
  EXHIBIT_TRY(const auto file, env.create_temporary(path));
  const std::string tmp = file->path();
  Status written = file->append(text.data(), text.size());
  if (written) written = file->sync();
  if (written) written = file->close();
  if (!written) {
    (void)env.remove(tmp);
    return Error::from_errno(ErrorCode::Destination, "writing " + tmp, written.error().sys_errno());
  }
  if (auto renamed = env.rename(tmp, path); !renamed) {
    (void)env.remove(tmp);
    return renamed.error();
  }
  // The rename itself is durable only once the folder is synced (where a file system cannot
  // sync a folder, the file is still whole: its own data was synced).
  (void)env.sync_folder(io::folder_of(path));
  return Ok{};
}

}  // namespace exhibit::report

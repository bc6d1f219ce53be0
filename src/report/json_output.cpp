// The --json documents (exhibit/output.hpp).
#include "exhibit/output.hpp"

#include <algorithm>

#include "report/json_util.hpp"

namespace exhibit {

namespace {

using nlohmann::ordered_json;
using report::case_json;
using report::drive_json;
using report::dump_json;
using report::ranges_json;
using report::stages_json;

ordered_json head(const char* command, int exit_code) {
  ordered_json j;
  j["output_version"] = k_output_version;
  j["command"] = command;
  j["tool"] = {{"name", "exhibit"}, {"version", EXHIBIT_VERSION}};
  j["exit_code"] = exit_code;
  return j;
}

ordered_json digests_json(const std::vector<DigestResult>& digests) {
  ordered_json o = ordered_json::object();
  for (const auto& d : digests) o[d.algorithm] = d.hex;
  return o;
}

}  // namespace

std::string acquire_json(const AcquireOptions& options, const AcquireResult& r, int exit_code) {
  ordered_json j = head("acquire", exit_code);
  ordered_json segments = ordered_json::array();
  for (const auto& f : r.segments) segments.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
  j["files"] = {{"segments", segments},
                {"log", r.log_file},
                {"map", r.map_file},
                {"record", r.record_file},
                {"checksums", r.checksums_file},
                {"signature", r.signature_file},
                {"timestamp_request", r.timestamp_request_file},
                {"report", r.report_file},
                {"dfxml", r.dfxml_file},
                {"case", r.case_file}};
  j["source"] = {{"path", r.source.path},
                 {"size", r.source.size},
                 {"model", r.source.model},
                 {"serial", r.source.serial},
                 {"logical_sector_size", r.source.logical_sector_size}};
  if (r.source.is_block_device) {
    const DriveIdentity& d = r.source.drive;
    j["source"]["drive"] = {
        {"status", d.status}, {"method", d.method}, {"hpa_sectors", d.hpa_sectors}, {"dco_sectors", d.dco_sectors}};
  }
  j["case"] = case_json(options.metadata);
  j["bytes"] = r.bytes;
  j["seconds"] = r.seconds;
  j["performance"] = stages_json(r.stages);
  j["digests"] = digests_json(r.digests);
  j["padding"] = r.padding;
  j["source_digests"] = digests_json(r.source_digests);
  j["unreadable"] = ranges_json(r.unreadable);
  j["recovered"] = ranges_json(r.recovered);
  j["complete"] = r.complete();
  ordered_json copies = ordered_json::array();
  for (const auto& c : r.copies) {
    ordered_json files = ordered_json::array();
    for (const auto& f : c.segments) files.push_back(f.path);
    copies.push_back({{"base", c.base},
                      {"finished", c.finished()},
                      {"error", c.error},
                      {"segments", files},
                      {"record", c.record_file}});
  }
  j["copies"] = copies;
  if (r.verification) {
    j["verification"] = report::verification_json(*r.verification, true, [](const std::string& path) { return path; });
  } else {
    j["verification"] = nullptr;
  }
  return dump_json(j);
}

std::string verify_json(const std::string& image, const VerifyReport& r, int exit_code) {
  ordered_json j = head("verify", exit_code);
  j["image"] = image;
  j["segments"] = r.info.segment_files;
  j["media"] = {{"size", r.info.media_size},
                {"bytes_per_sector", r.info.bytes_per_sector},
                {"sectors", r.info.sector_count},
                {"sectors_per_chunk", r.info.sectors_per_chunk},
                {"chunks", r.info.chunk_count}};
  j["seconds"] = r.seconds;
  j["performance"] = stages_json(r.stages);
  j["bad_chunks"] = ranges_json(r.bad_chunks);
  j["acquisition_errors"] = ranges_json(r.info.acquisition_errors);
  ordered_json checks = ordered_json::array();
  for (const auto& c : r.checks) {
    checks.push_back({{"algorithm", c.algorithm},
                      {"stored", c.stored},
                      {"computed", c.computed},
                      {"stored_in", c.stored_in},
                      {"match", c.match()}});
  }
  j["digests"] = checks;
  ordered_json mismatches = ordered_json::array();
  for (const auto& m : r.piece_mismatches) {
    const uint64_t sector = r.info.bytes_per_sector == 0 ? 512 : r.info.bytes_per_sector;
    mismatches.push_back({{"index", m.index},
                          {"offset", m.offset},
                          {"length", m.length},
                          {"first_sector", m.offset / sector},
                          {"last_sector", (m.offset + std::max<uint64_t>(m.length, 1) - 1) / sector},
                          {"stored", m.stored},
                          {"computed", m.computed}});
  }
  j["pieces"] = {{"piece_size", r.piece_size}, {"checked", r.pieces_checked}, {"mismatches", mismatches}};
  ordered_json files = ordered_json::array();
  for (const auto& f : r.segment_checks) {
    files.push_back({{"path", f.file},
                     {"stored_size", f.stored_size},
                     {"size", f.size},
                     {"stored", f.stored},
                     {"computed", f.computed},
                     {"match", f.match()}});
  }
  j["segment_files"] = files;
  ordered_json signatures = ordered_json::array();
  for (const auto& s : r.signatures) {
    signatures.push_back({{"kind", s.what},
                          {"path", s.file},
                          {"valid", s.valid},
                          {"chain_checked", s.chain_checked},
                          {"detail", s.detail}});
  }
  j["signatures"] = signatures;
  if (r.source) {
    j["source"] = {{"path", r.source->path},
                   {"size", r.source->size},
                   {"compared", r.source->compared},
                   {"differences", ranges_json(r.source->differences)},
                   {"unreadable", ranges_json(r.source->unreadable)},
                   {"readable_now", ranges_json(r.source->readable_now)}};
  } else {
    j["source"] = nullptr;
  }
  j["record"] = r.record_file;
  j["notes"] = r.notes;
  j["problems"] = r.problems;
  ordered_json differing = ordered_json::array();
  for (const auto& m : r.record_mismatches) {
    differing.push_back({{"field", m.field}, {"record", m.record}, {"image", m.image}, {"message", m.message()}});
  }
  j["record_mismatches"] = differing;
  j["not_checked"] = r.not_checked;
  j["verdict"] = r.passed() ? "verified" : "failed";
  j["repeat_commands"] = verify_repeat_commands(image, r);
  return dump_json(j);
}

std::string info_json(const std::string& image, const ImageInfo& i, const std::optional<DriveIdentity>& drive) {
  ordered_json j = head("info", 0);
  j["image"] = image;
  j["format"] = i.format;
  j["segments"] = i.segment_files;
  j["media"] = {{"size", i.media_size},       {"bytes_per_sector", i.bytes_per_sector},
                {"sectors", i.sector_count},  {"sectors_per_chunk", i.sectors_per_chunk},
                {"chunks", i.chunk_count},    {"compression", i.compression},
                {"media_type", i.media_type}, {"physical", i.physical}};
  j["set_identifier"] = i.set_identifier;
  ordered_json headers = ordered_json::object();
  for (const auto& [k, v] : i.header_values) headers[k] = v;
  j["header_values"] = headers;
  ordered_json hashes = ordered_json::object();
  for (const auto& h : i.hashes) hashes[h.algorithm] = h.hex;
  j["stored_hashes"] = hashes;
  j["acquisition_errors"] = ranges_json(i.acquisition_errors);
  if (drive) {
    j["drive"] = drive_json(*drive);
  } else {
    j["drive"] = nullptr;
  }
  return dump_json(j);
}

std::string devices_json(const std::vector<DeviceEntry>& devices) {
  ordered_json j = head("devices", 0);
  ordered_json list = ordered_json::array();
  for (const auto& d : devices) {
    const SourceInfo& i = d.info;
    ordered_json mounts = ordered_json::array();
    for (const auto& m : d.mounts)
      mounts.push_back({{"mount_point", m.mount_point}, {"device", m.device}, {"read_write", m.read_write}});
    list.push_back({{"path", i.path},
                    {"name", i.device_name},
                    {"dev", d.dev},
                    {"size", i.size},
                    {"vendor", i.vendor},
                    {"model", i.model},
                    {"serial", i.serial},
                    {"firmware", i.firmware},
                    {"transport", i.transport},
                    {"removable", i.removable},
                    {"rotational", d.rotational},
                    {"logical_sector_size", i.logical_sector_size},
                    {"physical_sector_size", i.physical_sector_size},
                    {"read_only", d.read_only},
                    {"loop_backing_file", i.loop_backing_file},
                    {"partitions", d.partitions},
                    {"mounts", mounts},
                    {"system", d.system},
                    {"mounted_read_write", d.mounted_read_write}});
  }
  j["devices"] = list;
  return dump_json(j);
}

std::string error_json(const std::string& command, const Error& error, int exit_code) {
  ordered_json j = head(command.c_str(), exit_code);
  j["error"] = error.message();
  return dump_json(j);
}

}  // namespace exhibit

// Shared pieces of the JSON we write: sector ranges, and serialising untrusted text safely.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/sector_range.hpp"
#include "exhibit/stage_load.hpp"

namespace exhibit::report {

// [{first_sector, sector_count}, ...]
inline nlohmann::ordered_json ranges_json(const std::vector<SectorRange>& ranges) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& r : ranges) a.push_back({{"first_sector", r.first}, {"sector_count", r.count}});
  return a;
}

// The operator's case details, as given.
inline nlohmann::ordered_json case_json(const CaseMetadata& m) {
  return {{"case_number", m.case_number},
          {"evidence_number", m.evidence_number},
          {"examiner", m.examiner},
          {"description", m.description},
          {"notes", m.notes}};
}

// What the drive reported behind the bus (the record's source.drive, info's drive).
inline nlohmann::ordered_json drive_json(const DriveIdentity& d) {
  return {{"status", d.status},
          {"method", d.method},
          {"model", d.model},
          {"serial", d.serial},
          {"firmware", d.firmware},
          {"user_sectors", d.user_sectors},
          {"native_sectors", d.native_sectors},
          {"hpa_sectors", d.hpa_sectors},
          {"dco_sectors", d.dco_sectors}};
}

// A source read over NBD: the address, the link's security, and what its server said of itself
// (the record's source.remote, acquire --json's source.remote).
inline nlohmann::ordered_json remote_json(const RemoteSource& r) {
  return {{"uri", r.uri},
          {"tls", r.tls},
          {"server_read_only", r.server_read_only},
          {"described_by_exhibit", r.described_by_exhibit},
          {"host", r.host},
          {"device", r.device},
          {"served_by", r.served_by},
          {"write_block", r.write_block},
          {"description", r.description}};
}

// Where a run's time went: {"limited_by": text, "stages": [{name, threads, bytes, cpu_seconds,
// wait_seconds, wall_seconds, after_stream}, ...]} (exhibit/stage_load.hpp).
inline nlohmann::ordered_json stages_json(const std::vector<StageLoad>& stages) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& s : stages) {
    a.push_back({{"name", s.name},
                 {"threads", s.threads},
                 {"bytes", s.bytes},
                 {"cpu_seconds", s.cpu_seconds},
                 {"wait_seconds", s.wait_seconds},
                 {"wall_seconds", s.wall_seconds},
                 {"after_stream", s.after_stream}});
  }
  return {{"limited_by", describe_stage_loads(stages)}, {"stages", a}};
}

// acquire --verify's result (the record's "verification", acquire --json's): when it ran (times
// left out when `with_times` is false: a reproducible record), its verdict, and per copy what was
// compared and what differed. `base_of` names each copy (the record: its file name).
nlohmann::ordered_json verification_json(const AcquireVerification& v, bool with_times,
                                         std::string (*base_of)(const std::string&));

// Two-space indented, with a final newline; bytes that are not UTF-8 (from an image, a device or
// the command line) become U+FFFD instead of making the output invalid or throwing.
inline std::string dump_json(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace exhibit::report

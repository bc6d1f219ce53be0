// What exhibit writes for programs and for the file: `--json` (one JSON document per command, in
// the schema docs/output.schema.json) and verify's printable HTML report. Every string from an
// image or a device is untrusted: in JSON invalid UTF-8 becomes U+FFFD, in HTML it is escaped.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/devices.hpp"
#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/source_info.hpp"
#include "exhibit/verify.hpp"

namespace exhibit {

inline constexpr int k_output_version = 1;  // "output_version" of every document

// `exit_code`: what the command exits with, carried in the document.
std::string acquire_json(const AcquireOptions& options, const AcquireResult& result, int exit_code);
// With verify_repeat_commands(image, report) as "repeat_commands".
std::string verify_json(const std::string& image, const VerifyReport& report, int exit_code);
// `drive`: what our record beside the image says the drive reported (read_recorded_drive).
std::string info_json(const std::string& image, const ImageInfo& info, const std::optional<DriveIdentity>& drive);
std::string devices_json(const std::vector<DeviceEntry>& devices);
// A command that could not run: its one-line error.
std::string error_json(const std::string& command, const Error& error, int exit_code);

// The run a report describes: its command line as typed (shell-quoted) and when it started and ended.
struct ReportRun {
  std::string command_line;
  std::time_t started = 0;
  std::time_t finished = 0;
};

// `verify --report PATH`: a self-contained HTML page (no scripts, no network resources) laid out
// for filing: a one-page summary (case, image, digests, verdict, lines to sign), then the run
// (times, command line, host, versions), the digests, a strip picture of the media, every listed
// range and the repeat commands; written to `path` through a temporary file, fsync and rename.
Status write_verify_report(const std::string& path, const std::string& image, const VerifyReport& report,
                           const ReportRun& run = {});

}  // namespace exhibit

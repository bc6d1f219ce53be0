// `--json`: one JSON document per command on stdout, in the schema docs/output.schema.json.
// Every string from an image or a device is untrusted: invalid UTF-8 becomes U+FFFD, and the
// JSON is valid whatever the bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/verify.hpp"
#include "io/device_list.hpp"

namespace exhibit::report {

constexpr int k_output_version = 1;

std::string acquire_json(const AcquireOptions& options, const AcquireResult& result, int exit_code);
// `repeat` is the list of independent commands verify printed for people.
std::string verify_json(const std::string& image, const VerifyReport& report, const std::vector<std::string>& repeat,
                        int exit_code);
// `drive`: what our record beside the image says the drive reported, if there is one.
std::string info_json(const std::string& image, const ImageInfo& info, const std::optional<DriveIdentity>& drive);
std::string devices_json(const std::vector<io::DeviceEntry>& devices);
// A command that could not run: its one-line error.
std::string error_json(const std::string& command, const Error& error, int exit_code);

}  // namespace exhibit::report

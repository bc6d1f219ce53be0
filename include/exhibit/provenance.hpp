// The open provenance formats of an acquisition: DFXML (Digital Forensics XML). Acquire writes
// BASE.dfxml beside the record; `info --dfxml` and `verify --dfxml` print one for an image,
// from the record beside it (or, without one, from what the image says about itself). Every
// value from an image, a device or the command line is escaped (docs/FORMATS.md).
#pragma once

#include <ctime>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/verify.hpp"

namespace exhibit {

// The run that writes the document (its creator): this program's command line, as typed, and
// when it started.
struct ProvenanceRun {
  std::string command_line;
  std::time_t started = 0;
};

// `image` as given to read_image_info; an error when the record beside it cannot be read.
Result<std::string> info_dfxml(const std::string& image, const ImageInfo& info, const ProvenanceRun& run);
// The same with the verification's outcome (`report` from verify_image of `image`).
Result<std::string> verify_dfxml(const std::string& image, const VerifyReport& report, const ProvenanceRun& run);

}  // namespace exhibit

// The open provenance formats of an acquisition: DFXML (Digital Forensics XML) and CASE/UCO
// (JSON-LD). Acquire writes BASE.dfxml and BASE.case.jsonld beside the record; `info --dfxml`,
// `verify --dfxml`, `info --case` and `verify --case` print one for an image,
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

// The CASE/UCO graph: the acquisition as an investigative action (info); with the verification
// as a second one, informed by the first (verify).
Result<std::string> info_case_jsonld(const std::string& image, const ImageInfo& info);
Result<std::string> verify_case_jsonld(const std::string& image, const VerifyReport& report, const ProvenanceRun& run);

}  // namespace exhibit

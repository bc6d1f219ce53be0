// The reading part of verify (exhibit/verify.hpp): an opened image checked against what its
// record says. verify_image finds the record and the files beside an image and then calls this;
// acquire --verify calls it on the closed files of the image it has just written, with the record
// it is about to write, before it gives them their names.
#pragma once

#include <string>
#include <vector>

#include "exhibit/verify.hpp"
#include "image/unit_reader.hpp"
#include "report/record.hpp"

namespace exhibit::core {

// Reads every unit of `reader` (its ImageInfo already in report.info), recomputes the image's
// stored digests, the record's digests and pieces and the SHA-256 of the segment files at
// `segment_paths` (the record's segments, in order), compares the source when options.source is
// set, and adds what it found to `report`. An unusable piece list is cleared from `record`.
Result<VerifyReport> verify_opened(image::UnitReader& reader, VerifyReport report, report::RecordedImage& record,
                                   const std::vector<std::string>& segment_paths, const JobHooks& hooks,
                                   unsigned threads, const VerifyOptions& options);

}  // namespace exhibit::core

// verify's comparison of the record beside an image (BASE.manifest.json) with the image itself:
// geometry, segment files, stored digests and header text (E01), or the record inside it (zst);
// and its checks that the record holds what BASE.log says it must, and that the set is finished.
#pragma once

#include <string>

#include "core/log_summary.hpp"
#include "exhibit/verify.hpp"
#include "image/unit_reader.hpp"
#include "report/record.hpp"

namespace exhibit::core {

// Disagreements go to report.record_mismatches, what the record lacks to report.not_checked.
// `report.info` is what the image says (raw: nothing beyond its size and files).
void compare_record(const report::RecordedImage& record, const image::UnitReader& reader, const LogSummary& log,
                    VerifyReport& report);

// For the image BASE: BASE.resume beside it (the acquisition did not finish), or no record
// where BASE.log says one was written. Into report.problems.
void check_set_finished(const std::string& base, bool record_present, const LogSummary& log, VerifyReport& report);

}  // namespace exhibit::core

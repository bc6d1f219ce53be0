// Batch internals. Reading a batch results file (JSON lines, one verification each) when it may hold anything: a
// line cut short by a kill, a line of garbage, a line without end. Each line is read to at most
// k_max_result_line bytes (a longer one is skipped whole, never held), parsed with the bounds of
// util::parse_bounded_json, and its `batch` fields checked; what fails any of that is named by its
// line number, so a reader can say which lines it could not use.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "exhibit/batch.hpp"

namespace exhibit::core {

inline constexpr size_t k_max_result_line = size_t{4} << 20;

struct ResultFileLines {
  size_t lines = 0;                // non-empty lines
  std::vector<size_t> unreadable;  // their numbers (from 1): too long, not JSON, no batch fields
};

// Calls `each(line_number, document, entry)` for every usable line of `path`, in order. NotFound
// when the file does not exist; Io when it cannot be read or is not a regular file.
Result<ResultFileLines> read_result_lines(
    const std::string& path, const std::function<void(size_t, const nlohmann::json&, const BatchEntry&)>& each);

class OutputGuard;
// Protects every file of each image set (its segments, and the record, log, map, checksums and
// report beside it) in `guard`: a batch's own outputs are never one of them.
void protect_image_sets(OutputGuard& guard, const std::vector<std::string>& first_files);

}  // namespace exhibit::core

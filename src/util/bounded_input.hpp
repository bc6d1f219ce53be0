// Reading back the JSON files exhibit writes (the record, the resume state) when they may have
// been replaced by anything: the size is checked before a byte is read, and parsing stops at a
// number of values, so neither a huge file nor a small one that expands (millions of `{}`)
// costs more than a bounded amount of memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "exhibit/error.hpp"

namespace exhibit::util {

// No record or resume state exhibit writes comes near these: a record holds at most 65536
// pieces and 14971 segments (about 12 MB), a resume state a few MB (see docs/FORMATS.md).
inline constexpr uint64_t k_max_json_file = uint64_t{32} << 20;  // bytes
inline constexpr size_t k_max_json_values = size_t{1} << 20;     // values, objects and arrays
inline constexpr int k_max_json_depth = 32;

// The whole of the regular file `path` (`what` names it in errors: "record"). NotFound when
// it does not exist; Corruption, before reading, when it is not a regular file or is larger
// than `limit` bytes.
Result<std::string> read_small_file(const std::string& path, const std::string& what, uint64_t limit = k_max_json_file);

// JSON `text` as a document of at most `max_values` values nested at most k_max_json_depth
// deep; Corruption ("not valid JSON", "more than N values") otherwise. `where` prefixes errors.
Result<nlohmann::json> parse_bounded_json(const std::string& text, const std::string& where,
                                          size_t max_values = k_max_json_values);

}  // namespace exhibit::util

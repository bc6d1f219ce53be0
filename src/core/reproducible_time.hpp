// SOURCE_DATE_EPOCH, the reproducible-builds convention: when set, it is the acquisition time,
// so that repeating an acquisition gives byte-identical segment files.
#pragma once

#include <cstdint>
#include <optional>

#include "exhibit/error.hpp"

namespace exhibit::core {

// The last second of the year 9999 (UTC): later dates do not fit the E01 header's year.
inline constexpr int64_t k_max_source_date_epoch = 253402300799;

// `value` as the variable's text: nullopt when unset or empty; InvalidArgument when it is not
// a plain decimal number of seconds from 0 to k_max_source_date_epoch.
Result<std::optional<int64_t>> parse_source_date_epoch(const char* value);

// The same for the environment's SOURCE_DATE_EPOCH.
Result<std::optional<int64_t>> source_date_epoch_from_environment();

}  // namespace exhibit::core

// SOURCE_DATE_EPOCH, the reproducible-builds convention: when set, it is the acquisition time,
// so that repeating an acquisition gives byte-identical segment files.
#pragma once

#include <cstdint>
#include <optional>

#include "exhibit/acquire.hpp"

namespace exhibit::core {

// The last second of the year 9999 (UTC): later dates do not fit the E01 header's year.
inline constexpr int64_t k_max_source_date_epoch = 253402300799;

// Parses the variable's text (public: exhibit/acquire.hpp).
using exhibit::parse_source_date_epoch;

}  // namespace exhibit::core

#include "core/reproducible_time.hpp"

#include <string>

#include "util/text.hpp"

namespace exhibit {

Result<std::optional<int64_t>> parse_source_date_epoch(const char* value) {
  if (value == nullptr || *value == '\0') return std::optional<int64_t>{};
  const std::string text = value;
  auto refuse = [&](const std::string& why) {
    return Error(ErrorCode::InvalidArgument, "SOURCE_DATE_EPOCH='" + util::sanitize_for_terminal(text) + "' " + why);
  };
  // Digits only: no sign, no spaces, no hexadecimal; checked against the bound as it is read,
  // so no number of digits can overflow.
  int64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return refuse("is not a number of seconds since 1970");
    v = v * 10 + (c - '0');
    if (v > core::k_max_source_date_epoch) {
      return refuse("is after the year 9999 (the largest is " + std::to_string(core::k_max_source_date_epoch) + ")");
    }
  }
  return std::optional<int64_t>{v};
}

}  // namespace exhibit

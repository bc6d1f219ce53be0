// Byte counts for people: parsing "1.4GiB" / "640MB" and printing "1.4 GiB".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exhibit::util {

// Accepts a plain byte count or a number with a unit: B, K/KB (10^3), KiB (2^10), M/MB, MiB,
// G/GB, GiB, T/TB, TiB (case-insensitive). Fractions are allowed with a unit ("1.4GiB");
// the result is rounded down to a whole byte. nullopt on anything else or on overflow.
std::optional<uint64_t> parse_size(std::string_view text);

// "1.4 GiB (1503238553 bytes)"-style short form: "1.4 GiB".
std::string format_bytes(uint64_t bytes);

// Seconds as "1h02m03s" / "2m03s" / "3s".
std::string format_duration(double seconds);

}  // namespace exhibit::util

// Text for people: byte counts and durations as exhibit prints them, and untrusted strings
// (image header values, device names) made safe to print on a terminal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exhibit {

// Accepts a plain byte count or a number with a unit: B, K/KB (10^3), KiB (2^10), M/MB, MiB,
// G/GB, GiB, T/TB, TiB (case-insensitive). Fractions are allowed with a unit ("1.4GiB");
// the result is rounded down to a whole byte. nullopt on anything else or on overflow.
std::optional<uint64_t> parse_size(std::string_view text);

// The short form for people: 1503238553 -> "1.4 GiB", 512 -> "512 B".
std::string format_bytes(uint64_t bytes);

// Seconds as "1h02m03s" / "2m03s" / "3s" ("?" when negative).
std::string format_duration(double seconds);

// Removes control characters and escape sequences (C0, DEL, C1 and invalid UTF-8 bytes become
// '?'; tab and newline become a space) so a value read from an image cannot drive the terminal.
std::string sanitize_for_terminal(std::string_view text);

}  // namespace exhibit

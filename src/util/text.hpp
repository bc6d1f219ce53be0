// Text helpers: untrusted strings made safe for a terminal, hex, time stamps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exhibit/text.hpp"

namespace exhibit::util {

// Terminal-safe text (public: exhibit/text.hpp).
using exhibit::sanitize_for_terminal;

// Offset of the first byte that does not start a valid UTF-8 sequence, if any.
std::optional<size_t> first_invalid_utf8(std::string_view text);

std::string to_hex(const unsigned char* data, size_t size);
// The bytes of hex text (either case); nullopt for an odd length or a character that is not hex.
std::optional<std::vector<unsigned char>> from_hex(std::string_view hex);

// The last component of a path ("a/b/x.E01" -> "x.E01").
inline std::string file_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// Quotes one argument for a POSIX shell command line a user may copy (unchanged when safe).
std::string shell_quote(const std::string& s);

// strftime of `t` in UTC or local time.
std::string format_time(std::time_t t, const char* format, bool utc);
// "2026-11-28T16:55:00Z"
inline std::string iso8601_utc(std::time_t t) { return format_time(t, "%Y-%m-%dT%H:%M:%SZ", true); }

}  // namespace exhibit::util

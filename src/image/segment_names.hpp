// EWF segment file names: BASE.E01 .. BASE.E99, then BASE.EAA .. BASE.EZZ, BASE.FAA .. BASE.ZZZ;
// EWF2 (Ex01): BASE.Ex01 .. BASE.Ex99, then BASE.ExAA .. BASE.ExZZ, BASE.EyAA .. BASE.EzZZ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace exhibit::image {

// Extension (without the dot) of segment `number` (1-based); nullopt past ZZZ.
std::optional<std::string> segment_extension(uint32_t number, bool lower_case = false);

// Extension (without the dot) of EWF2 segment `n` (1-based) of a set whose first segment is
// BASE.Ex01 (`prefix` "Ex") or BASE.ex01 ("ex", then lower case letters); nullopt past EzZZ.
std::optional<std::string> ewf2_segment_extension(uint32_t n, const std::string& prefix);
// True when `ext` (without the dot) is one ewf2_segment_extension gives, for either prefix.
bool is_ewf2_segment_extension(const std::string& ext);

// "x.E01" -> "x" (and whether the extension was lower case); nullopt when `path` does not end
// in a first-segment extension (.E01 / .e01).
struct SegmentBase {
  std::string base;
  bool lower_case = false;
};
std::optional<SegmentBase> base_of_first_segment(const std::string& path);

// Paths of the segment files that exist for `base`, in order, stopping at the first gap.
std::vector<std::string> existing_segments(const SegmentBase& base);

}  // namespace exhibit::image

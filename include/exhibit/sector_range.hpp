// A run of sectors, in units of the source's logical sector size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exhibit {

struct SectorRange {
  uint64_t first = 0;
  uint64_t count = 0;
  uint64_t last() const { return first + count - 1; }
  bool operator==(const SectorRange&) const = default;
};

// Appends a range, merging it into the last one when they touch.
inline void append_range(std::vector<SectorRange>& ranges, SectorRange r) {
  if (!ranges.empty() && ranges.back().first + ranges.back().count == r.first) {
    ranges.back().count += r.count;
  } else {
    ranges.push_back(r);
  }
}

// The sectors the ranges hold, together.
inline uint64_t sector_total(const std::vector<SectorRange>& ranges) {
  uint64_t n = 0;
  for (const auto& r : ranges) n += r.count;
  return n;
}

// "0-0, 2085-2085, 4097-4102": first-last sector of each range ("" when there is none).
inline std::string ranges_text(const std::vector<SectorRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ", ";
    out += std::to_string(r.first) + "-" + std::to_string(r.last());
  }
  return out;
}

}  // namespace exhibit

// A run of sectors, in units of the source's logical sector size.
#pragma once

#include <cstdint>
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

}  // namespace exhibit

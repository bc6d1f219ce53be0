// BASE.map: the state of an acquisition as a GNU ddrescue mapfile, so ddrescuelog (and people
// who know ddrescue) can read which areas were read ('+'), were unreadable ('-') and were not
// reached yet ('?').
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/sector_range.hpp"

namespace exhibit::report {

struct RescueMapState {
  uint64_t size = 0;  // source bytes
  uint64_t done = 0;  // bytes from the start that were read or found unreadable
  uint32_t sector_size = 512;
  std::vector<SectorRange> bad;  // sorted, within [0, done)
  bool finished = false;
  std::string command_line;
  std::string start_time;
};

std::string render_rescue_map(const RescueMapState& state);

}  // namespace exhibit::report

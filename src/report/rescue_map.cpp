#include "report/rescue_map.hpp"

#include <algorithm>
#include <cstdio>

namespace exhibit::report {

namespace {

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%08llX", static_cast<unsigned long long>(v));
  return b;
}

void block(std::string& out, uint64_t pos, uint64_t size, char status) {
  if (size == 0) return;
  out += hex(pos) + "  " + hex(size) + "  " + status + "\n";
}

}  // namespace

std::string render_rescue_map(const RescueMapState& st) {
  std::string out = "# Mapfile. Created by exhibit " EXHIBIT_VERSION "\n";
  out += "# Command line: " + st.command_line + "\n";
  out += "# Start time:   " + st.start_time + "\n";
  out += "# current_pos  current_status  current_pass\n";
  out += hex(std::min(st.done, st.size)) + "     " + (st.finished ? "+" : "?") + "               1\n";
  out += "#      pos        size  status\n";
  uint64_t pos = 0;
  const uint64_t done = std::min(st.done, st.size);
  for (const auto& r : st.bad) {
    const uint64_t first = r.first * st.sector_size;
    const uint64_t end = std::min((r.first + r.count) * st.sector_size, done);
    if (first >= end) continue;
    block(out, pos, first - pos, '+');
    block(out, first, end - first, '-');
    pos = end;
  }
  block(out, pos, done - pos, '+');
  block(out, done, st.size - done, '?');
  return out;
}

}  // namespace exhibit::report

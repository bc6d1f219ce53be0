#include "exhibit/stage_load.hpp"

#include <algorithm>
#include <cstdio>

namespace exhibit {

namespace {

std::string rate_text(double bytes_per_second) {
  char buf[32];
  if (bytes_per_second >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.1f GB/s", bytes_per_second / 1e9);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f MB/s", bytes_per_second / 1e6);
  }
  return buf;
}

double waited(const StageLoad& s) { return s.wall_seconds > 0 ? s.wait_seconds / s.wall_seconds : 0; }

}  // namespace

std::string describe_stage_loads(const std::vector<StageLoad>& stages) {
  std::vector<const StageLoad*> order;
  for (const auto& s : stages) {
    if (s.wall_seconds > 0) order.push_back(&s);
  }
  if (order.empty()) return "";
  std::stable_sort(order.begin(), order.end(),
                   [](const StageLoad* a, const StageLoad* b) { return waited(*a) < waited(*b); });
  std::string text = "limited by: ";
  for (size_t i = 0; i < order.size(); ++i) {
    const StageLoad& s = *order[i];
    if (i > 0) text += "; ";
    text += s.name;
    if (s.threads > 1) {
      text += ' ';
      text += std::to_string(s.threads);
      text += " threads";
    }
    if (s.cpu_seconds > 0) {
      text += i == 0 ? " at " : " ";
      text += rate_text(static_cast<double>(s.bytes) * s.threads / s.cpu_seconds);
    }
    char pct[48];
    std::snprintf(pct, sizeof pct, i == 0 ? " (waited %.0f%% of the time)" : ", waited %.0f%%", 100.0 * waited(s));
    text += pct;
  }
  return text;
}

}  // namespace exhibit

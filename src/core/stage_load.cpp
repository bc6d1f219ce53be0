#include "exhibit/stage_load.hpp"

#include <algorithm>
#include <cstdio>

#include "exhibit/text.hpp"

namespace exhibit {

namespace {

double waited(const StageLoad& s) { return s.wall_seconds > 0 ? s.wait_seconds / s.wall_seconds : 0; }

}  // namespace

std::string describe_stage_loads(const std::vector<StageLoad>& stages) {
  std::vector<const StageLoad*> order;
  std::vector<const StageLoad*> after;
  for (const auto& s : stages) {
    if (s.wall_seconds > 0) (s.after_stream ? after : order).push_back(&s);
  }
  if (order.empty() && after.empty()) return "";
  std::stable_sort(order.begin(), order.end(),
                   [](const StageLoad* a, const StageLoad* b) { return waited(*a) < waited(*b); });
  std::string text = order.empty() ? "" : "limited by: ";
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
      text += format_bytes(static_cast<uint64_t>(static_cast<double>(s.bytes) * s.threads / s.cpu_seconds)) + "/s";
    }
    char pct[48];
    std::snprintf(pct, sizeof pct, i == 0 ? " (waited %.0f%% of the time)" : ", waited %.0f%%", 100.0 * waited(s));
    text += pct;
  }
  for (size_t i = 0; i < after.size(); ++i) {
    const StageLoad& s = *after[i];
    text += i > 0 ? "; " : order.empty() ? "after the stream: " : "; after the stream: ";
    text += s.name;
    if (s.threads > 1) {
      text += ' ';
      text += std::to_string(s.threads);
      text += " threads";
    }
    if (s.cpu_seconds > 0 && s.bytes > 0) {
      text += ' ';
      text += format_bytes(static_cast<uint64_t>(static_cast<double>(s.bytes) * s.threads / s.cpu_seconds));
      text += "/s";
    }
    char seconds[48];
    std::snprintf(seconds, sizeof seconds, ", %.2f s", s.wall_seconds / s.threads);
    text += seconds;
  }
  return text;
}

}  // namespace exhibit

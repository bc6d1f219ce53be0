// A one-line progress display on stderr (percent, bytes, rate, time left), only on a terminal.
#pragma once

#include <string>

#include "exhibit/progress.hpp"

namespace exhibit::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled);
  void update(const Progress& p);
  void finish();  // ends the line
  // Hooks for a job that report to this bar and watch `cancel`.
  JobHooks hooks(const std::atomic<bool>& cancel);

 private:
  std::string m_label;
  bool m_enabled;
  bool m_drawn = false;
};

}  // namespace exhibit::cli

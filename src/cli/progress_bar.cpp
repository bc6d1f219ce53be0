#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

#include "exhibit/text.hpp"

namespace exhibit::cli {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : m_label(std::move(label)), m_enabled(enabled && isatty(STDERR_FILENO) != 0) {}

void ProgressBar::update(const Progress& p) {
  if (!m_enabled) return;
  double pct = p.bytes_total ? 100.0 * static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 100;
  double rate = p.seconds > 0 ? static_cast<double>(p.bytes_done) / p.seconds : 0;
  double left = rate > 0 ? static_cast<double>(p.bytes_total - p.bytes_done) / rate : -1;
  std::string bad = p.bad_sectors ? ", " + std::to_string(p.bad_sectors) + " unreadable sectors" : "";
  if (p.waiting_seconds > 0) {
    bad += "  NO ANSWER from the source for " + format_duration(p.waiting_seconds) +
           " (Ctrl-C saves the work and stops)";
  }
  std::fprintf(stderr, "\r\033[K%s %5.1f%%  %s of %s  %s/s  %s left%s", m_label.c_str(), pct,
               format_bytes(p.bytes_done).c_str(), format_bytes(p.bytes_total).c_str(),
               format_bytes(static_cast<uint64_t>(rate)).c_str(), left >= 0 ? format_duration(left).c_str() : "?",
               bad.c_str());
  std::fflush(stderr);
  m_drawn = true;
}

JobHooks ProgressBar::hooks(const std::atomic<bool>& cancel) {
  JobHooks h;
  h.cancel = &cancel;
  h.progress = [this](const Progress& p) { update(p); };
  return h;
}

void ProgressBar::finish() {
  if (m_drawn) std::fputc('\n', stderr);
  m_drawn = false;
}

}  // namespace exhibit::cli

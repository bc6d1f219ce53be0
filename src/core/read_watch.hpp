// What the source is doing right now, for the thread that waits on it: the read in flight (if
// any), since when. The reading thread marks each read; the waiting thread (the acquisition's
// main thread, which also owns the log) asks, a few times a second, whether one has gone
// unanswered for too long, and notices Ctrl-C while the kernel still holds a read.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace exhibit::core {

class ReadWatch {
 public:
  struct Pending {
    uint64_t offset = 0;
    uint64_t length = 0;
    int64_t since = 0;  // steady clock, nanoseconds: tells one read from the next
    double seconds = 0;
  };

  void begin(uint64_t offset, uint64_t length) {
    m_offset.store(offset);
    m_length.store(length);
    m_since.store(now_ns());
  }
  void end() { m_since.store(0); }

  std::optional<Pending> pending() const {
    const int64_t since = m_since.load();
    if (since == 0) return std::nullopt;
    return Pending{m_offset.load(), m_length.load(), since, static_cast<double>(now_ns() - since) / 1e9};
  }

 private:
  static int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  std::atomic<uint64_t> m_offset{0};
  std::atomic<uint64_t> m_length{0};
  std::atomic<int64_t> m_since{0};
};

// How long a read may go unanswered before the log and the progress line say so: 30 s, or the
// test-only EXHIBIT_STALL_SECONDS (1 to 3600) so that tests need not wait.
inline double stall_threshold_seconds() {
  if (const char* e = std::getenv("EXHIBIT_STALL_SECONDS")) {
    const long v = std::strtol(e, nullptr, 10);
    if (v >= 1 && v <= 3600) return static_cast<double>(v);
  }
  return 30;
}

}  // namespace exhibit::core

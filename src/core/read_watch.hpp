// What the source is doing right now, for the thread that waits on it: the reads in flight (if
// any), since when. Each reading thread marks its reads; the waiting thread (the acquisition's
// main thread, which also owns the log) asks, a few times a second, whether one has gone
// unanswered for too long, and notices Ctrl-C while the kernel still holds a read.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace exhibit::core {

class ReadWatch {
 public:
  static constexpr unsigned k_slots = 32;  // one per reader: the most reads in flight

  struct Pending {
    uint64_t offset = 0;
    uint64_t length = 0;
    int64_t since = 0;  // steady clock, nanoseconds: tells one read from the next
    double seconds = 0;
  };

  // Reader `slot` (below k_slots) starts or ends a read.
  void begin(unsigned slot, uint64_t offset, uint64_t length) {
    Slot& s = m_slots[slot % k_slots];
    s.since.store(0);
    s.offset.store(offset);
    s.length.store(length);
    s.since.store(now_ns());
  }
  void end(unsigned slot) { m_slots[slot % k_slots].since.store(0); }

  // The oldest read in flight, if any.
  std::optional<Pending> pending() const {
    std::optional<Pending> oldest;
    for (const Slot& s : m_slots) {
      const int64_t since = s.since.load();
      if (since == 0 || (oldest && oldest->since <= since)) continue;
      oldest = Pending{s.offset.load(), s.length.load(), since, 0};
    }
    if (oldest) oldest->seconds = static_cast<double>(now_ns() - oldest->since) / 1e9;
    return oldest;
  }

 private:
  static int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  struct Slot {
    std::atomic<uint64_t> offset{0};
    std::atomic<uint64_t> length{0};
    std::atomic<int64_t> since{0};
  };
  std::array<Slot, k_slots> m_slots;
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

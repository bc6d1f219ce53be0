// Progress reporting and cancellation shared by every long-running job.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace exhibit {

namespace io {
class Env;  // the write side of the file system (src/io/env.hpp)
}  // namespace io

struct Progress {
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  double seconds = 0;
  uint64_t bad_sectors = 0;
  // A read of the source has not returned for this long (reported once it passes the stall
  // threshold, 30 s); 0 while the source answers.
  double waiting_seconds = 0;
};

struct JobHooks {
  std::function<void(const Progress&)> progress;  // called a few times a second
  const std::atomic<bool>* cancel = nullptr;      // set from a signal handler
  // Where every file the job writes is created, written, synced, renamed and removed; null: the
  // real file system. Tests give one that injects faults (tests/support/fault_env.hpp).
  io::Env* env = nullptr;
};

}  // namespace exhibit

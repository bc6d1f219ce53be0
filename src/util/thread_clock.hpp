// CPU time of the calling thread, for the accounts of where a run's time went.
#pragma once

#include <time.h>

namespace exhibit::util {

inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace exhibit::util

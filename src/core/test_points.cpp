#include "core/test_points.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace exhibit::core {

void fault_point(const char* name) {
  const char* want = std::getenv("EXHIBIT_FAULT_POINT");
  if (want != nullptr && std::strcmp(want, name) == 0) {
    std::fflush(nullptr);
    ::kill(::getpid(), SIGKILL);
  }
}

void pause_point(const char* name) {
  static std::atomic<bool> paused{false};
  const char* want = std::getenv("EXHIBIT_PAUSE_POINT");
  if (want == nullptr || std::strcmp(want, name) != 0 || paused.exchange(true)) return;
  ::raise(SIGSTOP);
}

}  // namespace exhibit::core

#include "core/pause_point.hpp"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace exhibit::core {

void pause_point(const char* name) {
  static std::atomic<bool> paused{false};
  const char* want = std::getenv("EXHIBIT_PAUSE_POINT");
  if (want == nullptr || std::strcmp(want, name) != 0 || paused.exchange(true)) return;
  ::raise(SIGSTOP);
}

}  // namespace exhibit::core

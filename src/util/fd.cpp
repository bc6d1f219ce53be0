#include "util/fd.hpp"

#include <cerrno>

namespace exhibit::util {

long long pread_full(int fd, void* buf, size_t size, uint64_t offset) {
  auto* p = static_cast<unsigned char*>(buf);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<long long>(done);
}

bool write_full(int fd, const void* buf, size_t size) {
  const auto* p = static_cast<const unsigned char*>(buf);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace exhibit::util

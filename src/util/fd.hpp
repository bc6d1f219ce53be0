// An owning file descriptor, and read/write loops that handle EINTR and short transfers.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace exhibit::util {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      m_fd = std::exchange(o.m_fd, -1);
    }
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  // Gives up ownership without closing (after the caller closed it and checked the result).
  int release() { return std::exchange(m_fd, -1); }
  void reset() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

// pread until `size` bytes, end of file, or an error. Returns bytes read, or -1 with errno set
// (bytes read before the error are lost to the caller, who retries smaller ranges).
long long pread_full(int fd, void* buf, size_t size, uint64_t offset);

// write until everything is written; false with errno set on error.
bool write_full(int fd, const void* buf, size_t size);

}  // namespace exhibit::util

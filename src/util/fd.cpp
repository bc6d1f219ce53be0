#include "util/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>

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

Result<std::string> read_small_file(const std::string& path, uint64_t limit) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, path, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::Corruption, path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > limit) {
    return Error(ErrorCode::Corruption, path + " is " + std::to_string(st.st_size) + " bytes, more than the " +
                                            std::to_string(limit) + " such a file can be: not read");
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  const long long n = pread_full(fd.get(), text.data(), text.size(), 0);
  if (n < 0) return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
  text.resize(static_cast<size_t>(n));
  return text;
}

}  // namespace exhibit::util

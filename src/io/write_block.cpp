#include "io/write_block.hpp"

#include <linux/fs.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace exhibit::io {

Status WriteBlockGuard::engage(int fd, const std::string& path) {
  m_fd = fd;
  m_path = path;
  m_record.applicable = true;
  int ro = 0;
  if (ioctl(fd, BLKROGET, &ro) != 0) {
    return Error::from_errno(ErrorCode::Io, "reading the read-only flag (BLKROGET) of " + path, errno);
  }
  m_record.was_read_only = ro != 0;
  m_record.events.push_back(std::string("kernel read-only flag before acquisition: ") + (ro ? "1" : "0"));
  if (!ro) {
    int one = 1;
    if (ioctl(fd, BLKROSET, &one) != 0) {
      int e = errno;
      m_record.events.push_back(std::string("BLKROSET 1 failed: ") + std::strerror(e));
      return Error::from_errno(ErrorCode::Io, "cannot set the kernel read-only flag (BLKROSET) on " + path, e);
    }
    m_record.set_read_only = true;
    m_engaged = true;
    m_record.events.push_back("kernel read-only flag set with BLKROSET 1");
  }
  int check = 0;
  if (ioctl(fd, BLKROGET, &check) != 0 || check == 0) {
    return Error(ErrorCode::Io, "the kernel read-only flag of " + path + " does not read back as set");
  }
  m_record.verified = true;
  m_record.events.push_back("kernel read-only flag checked with BLKROGET: 1");
  return Ok{};
}

Status WriteBlockGuard::recheck() {
  if (!m_record.applicable || m_fd < 0) return Ok{};
  int ro = 0;
  if (ioctl(m_fd, BLKROGET, &ro) != 0) {
    return Error::from_errno(ErrorCode::SourceGone, "reading the read-only flag (BLKROGET) of " + m_path, errno);
  }
  if (ro != 0) return Ok{};
  m_record.cleared_during = true;
  m_record.events.push_back("kernel read-only flag found cleared (0) during the acquisition, by another program");
  int one = 1;
  if (ioctl(m_fd, BLKROSET, &one) != 0) {
    m_record.events.push_back(std::string("setting it again (BLKROSET 1) failed: ") + std::strerror(errno));
    return Ok{};  // reads go on: we never write, and the log says the flag could not be restored
  }
  m_record.events.push_back("kernel read-only flag set again with BLKROSET 1");
  return Ok{};
}

void WriteBlockGuard::restore() {
  if (!m_engaged) return;
  m_engaged = false;
  int zero = 0;
  if (ioctl(m_fd, BLKROSET, &zero) == 0) {
    m_record.restored = true;
    m_record.events.push_back("kernel read-only flag restored to 0 with BLKROSET");
  } else {
    m_record.events.push_back(std::string("restoring the read-only flag failed: ") + std::strerror(errno));
  }
}

}  // namespace exhibit::io

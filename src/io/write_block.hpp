// Software write-block for block devices: set the kernel read-only flag, check it, restore it.
#pragma once

#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit::io {

class WriteBlockGuard {
 public:
  WriteBlockGuard() = default;
  WriteBlockGuard(const WriteBlockGuard&) = delete;
  WriteBlockGuard& operator=(const WriteBlockGuard&) = delete;
  ~WriteBlockGuard() { restore(); }

  // BLKROGET, BLKROSET 1 if needed, BLKROGET again; fails unless the flag reads back as set.
  Status engage(int fd, const std::string& path);
  // During the acquisition: if the flag reads 0 (another program cleared it), records that and
  // sets it again. Not applicable (regular files): nothing to do.
  Status recheck();
  // Puts back the flag seen before engage(); idempotent.
  void restore();

  const WriteBlockRecord& record() const { return m_record; }
  WriteBlockRecord& record() { return m_record; }

 private:
  int m_fd = -1;
  std::string m_path;
  bool m_engaged = false;
  WriteBlockRecord m_record;
};

}  // namespace exhibit::io

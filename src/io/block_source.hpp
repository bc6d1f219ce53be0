// A source of sectors: a regular file or a block device, opened read-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit::io {

// The interface the acquisition reads through; tests substitute sources with injected faults.
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  virtual const SourceInfo& info() const = 0;
  // Reads up to `size` bytes at `offset` into `buf` (aligned to 4096, `size` a multiple of the
  // logical sector size). Returns the bytes read (fewer only at the end of the source), or an
  // Error whose sys_errno tells EIO from a vanished device.
  virtual Result<size_t> read_at(uint64_t offset, unsigned char* buf, size_t size) = 0;
  // Called every second or so while reading: an Error (SourceGone) if the source's size changed;
  // a read-only flag cleared by another program is set again and recorded in write_block().
  virtual Status check_unchanged() { return Ok{}; }
  // What the software write-block did (not applicable for regular files).
  virtual const WriteBlockRecord& write_block() const = 0;
  // Ends the acquisition's hold: restores the read-only flag. Also done on destruction.
  virtual void release() = 0;
};

struct OpenOptions {
  bool allow_mounted = false;  // image a source mounted read-write (a live system)
  uint32_t sector_size = 0;    // for regular files: bytes per sector (0: 512)
  RemoteAccess remote;         // for nbds:// and nbd:// sources (io/nbd_source.hpp)
};

// Opens a file or block device read-only (or, for an nbds:// or nbd:// address, the remote export:
// io/nbd_source.hpp); for block devices O_EXCL (unless allow_mounted),
// identity from ioctls and sysfs, and a refusal if it or a partition is mounted read-write.
Result<std::unique_ptr<BlockSource>> open_source(const std::string& path, const OpenOptions& options);

}  // namespace exhibit::io

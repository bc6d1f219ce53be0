// Reads regions of a source so that only truly unreadable sectors are lost: a failed read is
// narrowed to single sectors, each retried, and only those that never read are zero-filled.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "io/block_source.hpp"

namespace exhibit::io {

struct RegionRead {
  size_t bytes = 0;                        // bytes of source data in the region
  std::vector<SectorRange> unreadable;     // zero-filled in the buffer
  std::vector<SectorRange> recovered;      // failed at first, read on a retry
};

// errno values that mean the device is gone rather than a sector being bad.
bool is_device_gone(int sys_errno);

class SectorReader {
 public:
  SectorReader(BlockSource& source, unsigned retries, const std::atomic<bool>* cancel = nullptr)
      : m_source(source), m_retries(retries), m_cancel(cancel) {}

  // Reads `size` bytes (a multiple of the sector size) at `offset` (sector-aligned) into `buf`
  // (4096-aligned). Past the end of the source the buffer is left as is and not counted.
  Result<RegionRead> read(uint64_t offset, unsigned char* buf, size_t size);

 private:
  Status read_sector_by_sector(uint64_t offset, unsigned char* buf, size_t size, RegionRead& out);

  BlockSource& m_source;
  unsigned m_retries;
  const std::atomic<bool>* m_cancel;
};

}  // namespace exhibit::io

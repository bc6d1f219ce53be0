// Reads regions of a source so that only truly unreadable sectors are lost, in the manner of GNU
// ddrescue within one region: a failed read is split into 64 KiB clusters, each read once; a
// failed cluster is read sector by sector, once each; then the edges of every bad run are
// retried (and inward while they recover), so a large bad region costs one read per sector, not
// one per retry. A long run of failures triggers a re-read of a sector that read fine before:
// if that fails too, the source is gone (unplugged), not bad, and the job stops.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "io/block_source.hpp"

namespace exhibit::io {

struct RegionRead {
  size_t bytes = 0;                     // bytes of source data in the region
  std::vector<SectorRange> unreadable;  // zero-filled in the buffer
  std::vector<SectorRange> recovered;   // failed at first, read on a retry
};

// errno values that mean the device is gone rather than a sector being bad.
bool is_device_gone(int sys_errno);

class SectorReader {
 public:
  static constexpr size_t k_cluster_bytes = 64 * 1024;
  static constexpr uint64_t k_probe_after = 256;  // consecutive failed sectors before the liveness probe

  SectorReader(BlockSource& source, unsigned retries, const std::atomic<bool>* cancel = nullptr)
      : m_source(source), m_retries(retries), m_cancel(cancel) {}

  // Reads `size` bytes (a multiple of the sector size) at `offset` (sector-aligned) into `buf`
  // (4096-aligned). Past the end of the source the buffer is left as is and not counted.
  Result<RegionRead> read(uint64_t offset, unsigned char* buf, size_t size);

  uint64_t read_attempts() const { return m_attempts; }

 private:
  Result<size_t> attempt(uint64_t offset, unsigned char* buf, size_t size);
  Status rescue(uint64_t offset, unsigned char* buf, uint64_t end, RegionRead& out);
  Status retry_edges(uint64_t offset, unsigned char* buf, RegionRead& out);
  Status note_failure(uint64_t sectors);
  void note_success(uint64_t offset, size_t size);
  Status check_cancel() const;

  BlockSource& m_source;
  unsigned m_retries;
  const std::atomic<bool>* m_cancel;
  std::optional<uint64_t> m_known_good;  // offset of a sector that read fine
  uint64_t m_failed_run = 0;             // consecutive failed sectors since the last success
  uint64_t m_attempts = 0;
};

}  // namespace exhibit::io

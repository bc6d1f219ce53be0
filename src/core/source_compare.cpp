#include "core/source_compare.hpp"

#include <algorithm>
#include <cstring>

#include "io/nbd_source.hpp"

namespace exhibit::core {

namespace {

bool covered(const std::vector<SectorRange>& ranges, uint64_t sector) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const SectorRange& r) { return sector >= r.first && sector <= r.last(); });
}

}  // namespace

SourceComparer::SourceComparer(std::unique_ptr<io::BlockSource> source, size_t block_bytes,
                               const std::atomic<bool>* cancel)
    : m_source(std::move(source)), m_reader(*m_source, 1, cancel), m_buffer(block_bytes + 65536) {
  m_result.path = m_source->info().path;
  m_result.size = m_source->info().size;
}

Result<std::unique_ptr<SourceComparer>> SourceComparer::open(const VerifyOptions& options, size_t block_bytes,
                                                             const std::atomic<bool>* cancel) {
  io::OpenOptions o;
  o.allow_mounted = options.allow_mounted;
  o.remote = options.remote;
  EXHIBIT_TRY(auto source, io::open_source(options.source, o));
  std::unique_ptr<SourceComparer> comparer(new SourceComparer(std::move(source), block_bytes, cancel));
  if (comparer->m_source->info().is_remote()) {
    comparer->m_result.independent_read = io::nbdcopy_operand(comparer->m_source->info().path, options.remote);
  }
  return comparer;
}

Status SourceComparer::compare(uint64_t offset, const unsigned char* media, size_t size, uint32_t sector) {
  const uint64_t source_size = m_result.size;
  if (offset >= source_size) return Ok{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(size, source_size - offset));
  const uint32_t source_sector = m_source->info().logical_sector_size;
  const size_t request = (n + source_sector - 1) / source_sector * source_sector;
  EXHIBIT_TRY(io::RegionRead got, m_reader.read(offset, m_buffer.data(), request));
  std::vector<SectorRange> unreadable;  // in image sectors
  for (const auto& r : got.unreadable) {
    const uint64_t first = r.first * source_sector / sector;
    const uint64_t last = ((r.last() + 1) * source_sector - 1) / sector;
    append_range(unreadable, {first, last - first + 1});
  }
  for (const auto& r : unreadable) append_range(m_result.unreadable, r);
  for (size_t pos = 0; pos < n; pos += sector) {
    const uint64_t s = (offset + pos) / sector;
    if (covered(unreadable, s)) continue;
    const size_t len = std::min<size_t>(sector, n - pos);
    if (std::memcmp(media + pos, m_buffer.data() + pos, len) != 0) append_range(m_result.differences, {s, 1});
  }
  m_result.compared += n;
  return Ok{};
}

SourceComparison& SourceComparer::finish() {
  m_source->release();
  m_result.write_block = m_source->write_block();
  return m_result;
}

}  // namespace exhibit::core

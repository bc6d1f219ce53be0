// Chunk and segment sizes that libewf 20140813 can write for a given media size, in bounded memory.
#pragma once

#include <cstdint>
#include <string>

#include "exhibit/error.hpp"

namespace exhibit::image {

// libewf allocates its chunk table for the whole media when it starts writing, about 8.5 bytes a
// chunk (measured: 600 MB resident at 2^26 chunks), and cannot write 2^27 chunks at all ("unable
// to resize chunk table": 4 TiB at 32 KiB chunks). By default chunks grow so there are at most
// 2^23 (about 75 MB); a chunk size the user asked for, or media too large for that even at the
// largest chunk, is honoured up to 2^26 chunks.
constexpr uint64_t k_default_max_chunks = uint64_t{1} << 23;
constexpr uint64_t k_max_chunks = uint64_t{1} << 26;
constexpr uint32_t k_default_chunk_sectors = 64;
constexpr uint32_t k_max_chunk_sectors = 65536;
constexpr uint64_t k_max_chunk_bytes = uint64_t{32} << 20;
// Segment names run out at .ZZZ (14971 files), and libewf refuses to start when the media could
// need more (measured: media / segment size over 14972). The default segment size (1.4 GiB, for
// FAT32 and exFAT drives) grows for media that large; the estimate allows for chunk overhead.
constexpr uint64_t k_max_segments = 14971;
constexpr uint64_t k_default_segment_size = 1503238553;  // 1.4 GiB
// The smallest E01 segment holds one chunk and the sections around it (file header, header2
// twice, header and volume in the first; table, table2 and the closing sections): about 3 KB
// with case text of a few hundred characters, so 16 KiB leave room for several KB of it. A
// smaller size could not be kept (every segment holds at least one chunk). Raw segments start
// at one sector.
constexpr uint64_t k_segment_overhead = uint64_t{16} << 10;

struct EwfGeometry {
  uint32_t chunk_sectors = k_default_chunk_sectors;
  uint64_t segment_size = k_default_segment_size;
  std::string chunk_reason;    // why the default chunk size was not used ("" if it was)
  std::string segment_reason;  // why the default segment size was not used ("" if it was)
};

// The geometry for `media_size` bytes of `sector_size`-byte sectors; 0 requests the default (which
// grows as needed). A request that cannot be written is an InvalidArgument error naming the size
// that would work.
Result<EwfGeometry> choose_geometry(uint64_t media_size, uint32_t sector_size, uint32_t chunk_sectors,
                                    uint64_t segment_size, bool raw = false);

}  // namespace exhibit::image

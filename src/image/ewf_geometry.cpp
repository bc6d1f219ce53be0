#include "image/ewf_geometry.hpp"

#include <algorithm>

#include "exhibit/setting.hpp"

namespace exhibit::image {

namespace {

uint64_t div_up(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

// Segment files the media could need at worst: chunks that do not compress are stored as they are
// with a 4-byte checksum and an 4-byte table entry; each segment adds its own sections.
uint64_t segments_needed(uint64_t media_size, uint64_t chunk_bytes, uint64_t segment_size) {
  const uint64_t chunks = div_up(media_size, chunk_bytes);
  const uint64_t worst = media_size + chunks * 8;
  const uint64_t usable = segment_size > (128 << 10) ? segment_size - (64 << 10) : segment_size / 2 + 1;
  return std::min(chunks, div_up(worst, usable)) + 1;  // libewf puts at least one chunk in a segment
}

Result<uint32_t> choose_chunk_sectors(uint64_t media_size, uint32_t sector_size, uint32_t requested) {
  auto chunks_at = [&](uint64_t spc) { return div_up(media_size, spc * sector_size); };
  // Chunks of at most 32 MiB whatever the sector size (readers, ours included, refuse larger).
  const uint64_t max_spc = std::min<uint64_t>(k_max_chunk_sectors, k_max_chunk_bytes / sector_size);
  if (requested > max_spc) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::ChunkSectors) + " " + std::to_string(requested) +
                                                 " of " + std::to_string(sector_size) + " bytes makes chunks over " +
                                                 std::to_string(k_max_chunk_bytes >> 20) + " MiB; use " +
                                                 std::to_string(max_spc) + " or fewer");
  }
  uint64_t limit = requested != 0 ? k_max_chunks : k_default_max_chunks;
  uint64_t spc = requested != 0 ? requested : k_default_chunk_sectors;
  if (requested == 0) {
    while (chunks_at(spc) > limit && spc < max_spc) spc *= 2;
    if (chunks_at(spc) > limit) limit = k_max_chunks;  // beyond 256 TiB: more memory, still writable
  }
  if (chunks_at(spc) <= limit) return static_cast<uint32_t>(spc);
  uint64_t need = spc;
  while (chunks_at(need) > limit) need *= 2;
  if (need > max_spc) {
    return Error(ErrorCode::InvalidArgument,
                 "media of " + std::to_string(media_size) + " bytes is too large for an E01 image written by libewf");
  }
  return Error(ErrorCode::InvalidArgument, "media of " + std::to_string(media_size) + " bytes needs more than " +
                                               std::to_string(limit) + " chunks of " + std::to_string(spc) +
                                               " sectors, more than libewf can write: use " +
                                               setting_text(Setting::ChunkSectors) + " " + std::to_string(need) +
                                               " or more, or leave the option out");
}

}  // namespace

Result<EwfGeometry> choose_geometry(uint64_t media_size, uint32_t sector_size, uint32_t chunk_sectors,
                                    uint64_t segment_size, bool raw) {
  EwfGeometry g;
  EXHIBIT_TRY(g.chunk_sectors, choose_chunk_sectors(media_size, sector_size, chunk_sectors));
  if (chunk_sectors == 0 && g.chunk_sectors != k_default_chunk_sectors) {
    g.chunk_reason = std::to_string(k_default_chunk_sectors) + " would need more than 2^23 chunks, more than " +
                     "libewf can hold in bounded memory";
  }
  const uint64_t chunk_bytes = uint64_t{g.chunk_sectors} * sector_size;
  if (segment_size != 0) {
    const uint64_t smallest = raw ? sector_size : chunk_bytes + k_segment_overhead;
    if (segment_size < smallest) {
      return Error(ErrorCode::InvalidArgument,
                   setting_text(Setting::SegmentSize) + " " + std::to_string(segment_size) +
                       " is smaller than a segment can be: the smallest is " + std::to_string(smallest) +
                       (raw ? " (one sector)"
                            : " (one chunk of " + std::to_string(chunk_bytes) + " bytes and its sections)"));
    }
    if (segments_needed(media_size, chunk_bytes, segment_size) > k_max_segments) {
      uint64_t need = segment_size;
      while (segments_needed(media_size, chunk_bytes, need) > k_max_segments) need += need / 8 + (1 << 20);
      return Error(ErrorCode::InvalidArgument,
                   "media of " + std::to_string(media_size) + " bytes could need more than " +
                       std::to_string(k_max_segments) + " segment files of " + std::to_string(segment_size) +
                       " bytes, the most an E01 can have: use " + setting_text(Setting::SegmentSize) + " " +
                       std::to_string(need) + " or more");
    }
    g.segment_size = segment_size;
    return g;
  }
  const uint64_t mib = 1 << 20;
  while (segments_needed(media_size, chunk_bytes, g.segment_size) > k_max_segments) {
    g.segment_size = div_up(g.segment_size + g.segment_size / 16, mib) * mib;
  }
  if (g.segment_size != k_default_segment_size) {
    g.segment_reason = "1.4 GiB would need more than " + std::to_string(k_max_segments) +
                       " segment files, the most an E01 can have";
  }
  return g;
}

}  // namespace exhibit::image

// EWF chunk encoding: a chunk is stored either as a zlib stream (deflate, Adler-32 trailer) or
// raw followed by the Adler-32 of its data. Fast compression uses ISA-L's igzip (level 1), best
// uses zlib level 9; any inflater reads both. One codec per thread (it owns scratch buffers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "exhibit/acquire.hpp"

namespace exhibit::image {

struct EncodedChunk {
  const unsigned char* bytes = nullptr;  // zlib stream, or the raw data (checksum not included)
  size_t size = 0;                       // bytes of `bytes`
  size_t data_size = 0;                  // uncompressed size of the chunk
  bool compressed = false;
  uint32_t checksum = 0;      // Adler-32 of the data, for raw chunks
  bool pattern_fill = false;  // EWF2: `bytes` holds 8 bytes that repeat to fill the chunk
};

uint32_t chunk_adler32(const unsigned char* data, size_t size);

class ChunkEncoder {
 public:
  ChunkEncoder(Compression compression, size_t chunk_size);
  ~ChunkEncoder();
  ChunkEncoder(const ChunkEncoder&) = delete;
  ChunkEncoder& operator=(const ChunkEncoder&) = delete;

  // Encodes `size` bytes of `data` (size <= chunk size). A compressed result is written to
  // `out` (capacity >= chunk size); a raw result points at `data`. The result is a pure
  // function of the input: the same bytes whichever thread encodes them.
  EncodedChunk encode(const unsigned char* data, size_t size, unsigned char* out);

 private:
  bool deflate_into(const unsigned char* data, size_t size, unsigned char* out, size_t& out_size);

  Compression m_compression;
  size_t m_chunk_size;
  std::vector<unsigned char> m_level_buf;   // ISA-L level 1 scratch
  std::vector<unsigned char> m_zero_chunk;  // the compressed all-zero chunk, computed once
};

enum class DecodeStatus { Ok, BadChecksum, BadStream };

// Decodes a stored chunk into `out` (exactly `data_size` bytes expected). Raw chunks are checked
// against `checksum` over all `size` stored bytes (at least data_size; the first data_size are
// the media); compressed ones against their zlib trailer.
DecodeStatus decode_chunk(const unsigned char* bytes, size_t size, bool compressed, uint32_t checksum,
                          unsigned char* out, size_t data_size);

// One whole zlib stream (its Adler-32 trailer checked) inflated with zlib: the bytes it holds, or
// nullopt when it is damaged, cut short, or would hold more than `max_size` (> 0) bytes. Memory
// grows with what the stream holds, not with `max_size`. For EWF's compressed metadata (E01
// header sections, EWF2 device information and case data); chunks go through decode_chunk.
std::optional<std::vector<unsigned char>> zlib_inflate(const unsigned char* p, size_t size, size_t max_size);

}  // namespace exhibit::image

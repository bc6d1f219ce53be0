// What the stream needs to know of a format, and how a block of media bytes becomes the units
// the format stores: E01 cuts it into chunks (each compressed or stored with its checksum), zst
// makes one frame of it, raw stores it as read. One encoder per pipeline worker.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/image_format.hpp"
#include "image/chunk_codec.hpp"

namespace exhibit::image {

struct FormatTraits {
  bool whole_sectors = false;         // stores whole sectors: a partial last sector is zero-padded
  bool sector_numbers_32bit = false;  // its error list holds 32-bit sector numbers
  bool record_inside = false;         // the image carries the record (zst's skippable frame)
  bool block_is_one_unit = false;     // a block is one stored unit (zst frame), so blocks stay large
  bool chunked = false;               // stored in chunks of the chosen chunk size
};
const FormatTraits& traits(ImageFormat format);

// What the workers do to a block, as the stage load report names it ("deflate", "zstd", ...).
const char* encode_stage_name(ImageFormat format, Compression compression);

// Encoded bytes a block of `block_bytes` media bytes needs, also for units read back from the
// image after --resume (E01: raw chunks with their 4-byte checksums).
size_t encoded_capacity(ImageFormat format, size_t block_bytes, size_t chunk_bytes);

class BlockEncoder {
 public:
  virtual ~BlockEncoder() = default;
  // Appends to `units` the stored form of `size` media bytes at `data`, written into `out`
  // (`capacity` bytes; units may also point into `data`). The same bytes whichever worker.
  virtual Status encode(const unsigned char* data, size_t size, unsigned char* out, size_t capacity,
                        std::vector<EncodedChunk>& units) = 0;
};

std::unique_ptr<BlockEncoder> make_block_encoder(ImageFormat format, Compression compression, size_t chunk_bytes);

}  // namespace exhibit::image

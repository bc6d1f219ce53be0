// Reads an E01 segment set through libewf, after checking its structure with ewf_layout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exhibit/image_info.hpp"
#include "image/chunk_codec.hpp"
#include "image/libewf_handle.hpp"
#include "image/unit_reader.hpp"

namespace exhibit::image {

// Units are chunks.
class EwfReader : public UnitReader {
 public:
  // Checks the segment set (ewf_layout), then opens it with libewf.
  // `unfinished_ok`: a set named BASE.incomplete.E01 is opened (see open_image's Unfinished).
  static Result<std::unique_ptr<EwfReader>> open(const std::string& first_segment, bool unfinished_ok = false);

  const ImageInfo& info() const override { return m_info; }
  uint64_t unit_bytes() const override { return uint64_t{m_info.bytes_per_sector} * m_info.sectors_per_chunk; }
  size_t stored_capacity() const override { return static_cast<size_t>(unit_bytes()) + 64; }
  // Reads the next chunk as stored (compressed or raw) into `buf` (capacity >= chunk size + 4),
  // without checking or decompressing it: decode() does that, on any thread.
  Result<EncodedChunk> read_unit(unsigned char* buf, size_t capacity, size_t data_size) override;
  Status seek_unit(uint64_t index) override;
  bool decode(const EncodedChunk& c, unsigned char* out) const override {
    return decode_chunk(c.bytes, c.size, c.compressed, c.checksum, out, c.data_size) == DecodeStatus::Ok;
  }

 private:
  EwfReader() = default;
  Status load_info();

  LibewfHandle m_handle;
  ImageInfo m_info;
};

}  // namespace exhibit::image

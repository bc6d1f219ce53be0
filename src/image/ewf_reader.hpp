// Reads an E01 segment set through libewf, after checking its structure with ewf_layout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exhibit/image_info.hpp"
#include "image/chunk_codec.hpp"
#include "image/libewf_handle.hpp"

namespace exhibit::image {

class EwfReader {
 public:
  // Checks the segment set (ewf_layout), then opens it with libewf.
  static Result<std::unique_ptr<EwfReader>> open(const std::string& first_segment);

  const ImageInfo& info() const { return m_info; }
  // Reads the next chunk as stored (compressed or raw) into `buf` (capacity >= chunk size + 4),
  // without checking or decompressing it: the caller decodes it (image/chunk_codec), in parallel.
  Result<EncodedChunk> read_stored_chunk(unsigned char* buf, size_t capacity, size_t data_size);
  // Makes chunk `index` the next one read_stored_chunk() returns.
  Status seek_chunk(uint64_t index);

 private:
  EwfReader() = default;
  Status load_info();

  LibewfHandle m_handle;
  ImageInfo m_info;
};

}  // namespace exhibit::image

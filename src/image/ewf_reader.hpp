// Reads an E01 segment set through libewf, after checking its structure with ewf_layout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exhibit/image_info.hpp"
#include "image/libewf_handle.hpp"

namespace exhibit::image {

class EwfReader {
 public:
  // Checks the segment set (ewf_layout), then opens it with libewf.
  static Result<std::unique_ptr<EwfReader>> open(const std::string& first_segment);

  const ImageInfo& info() const { return m_info; }
  // Reads the next `size` bytes of media; chunks that fail their checksum come back zeroed and
  // are listed by checksum_errors(). Returns the bytes read.
  Result<size_t> read(unsigned char* buf, size_t size);
  // Sector ranges of chunks that failed their checksum or could not be decompressed so far.
  Result<std::vector<SectorRange>> checksum_errors();

 private:
  EwfReader() = default;
  Status load_info();

  LibewfHandle m_handle;
  ImageInfo m_info;
};

}  // namespace exhibit::image

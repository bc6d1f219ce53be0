// An E01 image sink over libewf (EnCase 6 segment files). Not used for acquisition any more
// (image/e01_writer writes our images, so that an interrupted one can be resumed): kept as the
// reference the tests compare our writer with, byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "image/chunk_codec.hpp"
#include "image/ewf_write_options.hpp"
#include "image/libewf_handle.hpp"

namespace exhibit::image {

class LibewfWriter {
 public:
  static Result<std::unique_ptr<LibewfWriter>> create(const EwfWriteOptions& options);

  // Appends the next chunk, already encoded (image/chunk_codec), in media order.
  Status write_chunk(const EncodedChunk& chunk);
  Status add_acquisition_error(const SectorRange& range);
  // Stores the hashes (hex) and closes the segment set.
  Status finish(const std::string& md5_hex, const std::string& sha1_hex);

 private:
  LibewfWriter() = default;
  LibewfHandle m_handle;
  std::string m_base;
};

}  // namespace exhibit::image

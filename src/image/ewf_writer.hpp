// An E01 image sink over libewf: EnCase 6 segment files with header values, hashes and the
// acquisition error list.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "image/chunk_codec.hpp"
#include "image/libewf_handle.hpp"

namespace exhibit::image {

struct EwfWriteOptions {
  std::string base;  // libewf appends .E01, .E02, ...
  uint64_t media_size = 0;
  uint32_t bytes_per_sector = 512;
  uint32_t sectors_per_chunk = 64;
  uint64_t segment_size = 0;
  Compression compression = Compression::Fast;
  bool removable = false;
  bool physical = true;
  // libewf identifiers: case_number, evidence_number, examiner_name, description, notes,
  // model, serial_number, acquiry_operating_system, acquiry_software, acquiry_software_version,
  // acquiry_date, system_date.
  std::vector<std::pair<std::string, std::string>> header_values;
  std::optional<std::array<uint8_t, 16>> set_identifier;  // random (UUID v4) when not given
};

class EwfWriter {
 public:
  static Result<std::unique_ptr<EwfWriter>> create(const EwfWriteOptions& options);

  // Appends the next chunk, already encoded (image/chunk_codec), in media order.
  Status write_chunk(const EncodedChunk& chunk);
  Status add_acquisition_error(const SectorRange& range);
  // Stores the hashes (hex) and closes the segment set.
  Status finish(const std::string& md5_hex, const std::string& sha1_hex);

 private:
  EwfWriter() = default;
  LibewfHandle m_handle;
  std::string m_base;
};

}  // namespace exhibit::image

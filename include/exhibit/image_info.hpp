// What an image says about itself (`exhibit info`): E01 read with libewf after our own
// structural check of the segment set, raw, seekable zstd. Every string here is untrusted input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit {

// What an image stores its media in: E01 chunks, zstd frames, raw blocks (no checksums).
enum class StorageUnit { Chunk, Frame, Block };
const char* unit_name(StorageUnit unit);  // "chunk", "frame", "block"

struct StoredHash {
  std::string algorithm;  // "md5", "sha1", ...
  std::string hex;        // lower case
};

struct ImageInfo {
  std::vector<std::string> segment_files;
  std::string format;                     // "EnCase 6", "FTK Imager", ..., "raw", "seekable zstd"
  StorageUnit unit = StorageUnit::Chunk;  // what the image stores its media in
  uint64_t media_size = 0;
  uint32_t bytes_per_sector = 0;
  uint64_t sector_count = 0;
  uint32_t sectors_per_chunk = 0;
  uint64_t chunk_count = 0;
  std::string compression;  // "none", "empty-block", "fast", "best"
  std::string media_type;   // "fixed", "removable", "optical", "memory", ...
  bool physical = false;
  std::string set_identifier;                                      // GUID, hex
  std::vector<std::pair<std::string, std::string>> header_values;  // libewf identifier, value
  std::vector<StoredHash> hashes;
  std::vector<SectorRange> acquisition_errors;
};

Result<ImageInfo> read_image_info(const std::string& first_segment);

// What our record beside the image (BASE.manifest.json) says the drive reported behind the bus
// (model, serial, hidden areas). nullopt when there is no record or it holds no drive; an error
// when the record cannot be used (too large to be ours, malformed).
Result<std::optional<DriveIdentity>> read_recorded_drive(const std::string& first_segment);

}  // namespace exhibit

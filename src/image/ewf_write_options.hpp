// What an E01 writer needs to know before the first chunk: geometry, compression, header
// values and the set identifier. Shared by our writer (image/e01_writer) and libewf's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"

namespace exhibit::image {

struct EwfWriteOptions {
  std::string base;  // the writer appends .E01, .E02, ...
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
  // Seconds since 1970: acquiry_date and system_date, unless header_values hold them, are made
  // from it as ewfacquire's images have them (libewf makes them so when they are not set): the
  // header holds local time "2026 12 2 10 27 7", header2 the Unix seconds "1796207227". libewf's
  // writer cannot be given a time: it takes the clock's when it writes the headers.
  std::optional<int64_t> acquisition_time;
  // Marked as a version 4 UUID by both writers; E01Writer needs it (random_set_identifier()),
  // LibewfWriter makes a random one when it is absent.
  std::optional<std::array<uint8_t, 16>> set_identifier;
  // Our writer only: a group of chunks (a "sectors" section and its tables) is closed once its
  // chunks hold this many bytes, so that everything before the open group is final and the
  // segment's SHA-256 can follow the writer (image/e01_writer.hpp). 0: groups as libewf fills
  // them (65534 chunks, or 2 GiB).
  uint64_t max_group_bytes = uint64_t{16} << 20;
};

}  // namespace exhibit::image

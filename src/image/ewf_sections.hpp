// The bytes of EWF (EnCase 6 E01) structures, as pure functions: the file header, section
// descriptors and the bodies of the header, header2, volume/data, table, error2, digest and hash
// sections. Layout and header text follow what libewf 20140813 writes (a unit test compares our
// files with libewf's byte for byte); docs/FORMATS.md describes them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/sector_range.hpp"

namespace exhibit::image::ewf {

using Bytes = std::vector<unsigned char>;

inline constexpr size_t k_descriptor_size = 76;
inline constexpr size_t k_file_header_size = 13;
inline constexpr size_t k_volume_body_size = 1052;
inline constexpr size_t k_table_header_size = 24;
// libewf 20140813 starts a new sectors/table group after this many chunks (EnCase 6's limit).
inline constexpr uint32_t k_max_table_entries = 65534;
inline constexpr uint32_t k_compressed_flag = 0x80000000U;

// "EVF\t\r\n\xff\0", 1, segment number, 0.
Bytes file_header(uint16_t segment_number);
// type, offset of the next descriptor, section size (descriptor included), Adler-32.
Bytes descriptor(const std::string& type, uint64_t next, uint64_t size);

struct VolumeInfo {
  bool removable = false;
  bool physical = true;
  uint32_t chunk_count = 0;
  uint32_t sectors_per_chunk = 64;
  uint32_t bytes_per_sector = 512;
  uint64_t sector_count = 0;
  Compression compression = Compression::Fast;
  std::array<uint8_t, 16> set_identifier{};
};
// The body of the "volume" section (segment 1) and of the "data" sections (the same bytes).
Bytes volume_body(const VolumeInfo& v);

// Header values by libewf identifier (case_number, evidence_number, examiner_name, description,
// notes, model, serial_number, acquiry_operating_system, acquiry_software_version, acquiry_date,
// system_date). Tabs and line breaks inside a value become spaces: they would split the fields.
using HeaderValues = std::vector<std::pair<std::string, std::string>>;
// The zlib-compressed bodies: "header2" (UTF-16LE with a byte-order mark) and "header" (ASCII:
// every other character becomes 0x1A, as libewf writes it).
// Absent or empty acquiry_date and system_date values are made from `acquired` (seconds since
// 1970) as libewf makes them: Unix seconds in header2, local "YYYY M D h m s" in header.
Bytes header2_body(const HeaderValues& values, std::optional<int64_t> acquired = std::nullopt);
Bytes header_body(const HeaderValues& values, std::optional<int64_t> acquired = std::nullopt);

// Table entries are offsets from `base` (the group's "sectors" descriptor), with the high bit
// set for compressed chunks; the body is the 24-byte header, the entries and their Adler-32.
Bytes table_body(uint64_t base, const std::vector<uint32_t>& entries);
Bytes error2_body(const std::vector<SectorRange>& errors);
Bytes digest_body(const std::array<uint8_t, 16>& md5, const std::optional<std::array<uint8_t, 20>>& sha1);
Bytes hash_body(const std::array<uint8_t, 16>& md5);

// "d41d8c..." -> bytes; nullopt when not `N` bytes of hex.
template <size_t N>
std::optional<std::array<uint8_t, N>> bytes_from_hex(const std::string& hex);

}  // namespace exhibit::image::ewf

// EWF2 (Ex01, "EVF2") segment files, written from libyal's public description of the format
// and checked against files made by libewf 20260627: a 32-byte file header, then sections whose
// 64-byte descriptor comes after their data, chained backwards from the end of the file. This
// file holds the parsers of each structure, over bytes already read; every size and offset in
// them is untrusted and bounded here. docs/FORMATS.md says what we read of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit::image::ewf2 {

inline constexpr size_t k_file_header_size = 32;
inline constexpr size_t k_descriptor_size = 64;
inline constexpr unsigned char k_signature[8] = {'E', 'V', 'F', '2', 0x0d, 0x0a, 0x81, 0x00};

enum SectionType : uint32_t {
  DeviceInformation = 0x01,
  CaseData = 0x02,
  SectorData = 0x03,
  SectorTable = 0x04,
  ErrorTable = 0x05,
  Md5Hash = 0x08,
  Sha1Hash = 0x09,
  EncryptionKeys = 0x0b,
  Next = 0x0d,
  Done = 0x0f,
};
std::string section_name(uint32_t type);

// Chunk flags of a sector table entry.
inline constexpr uint32_t k_chunk_compressed = 0x1;
inline constexpr uint32_t k_chunk_checksummed = 0x2;
inline constexpr uint32_t k_chunk_pattern_fill = 0x4;
// A pattern-fill chunk (flags compressed and fill, docs/FORMATS.md): its entry's offset field
// holds the 8 bytes that repeat to fill it.
inline constexpr bool is_pattern_fill(uint32_t flags) {
  return (flags & k_chunk_pattern_fill) != 0 && (flags & k_chunk_compressed) != 0;
}
// Descriptor flags.
inline constexpr uint32_t k_section_md5_hashed = 0x1;
inline constexpr uint32_t k_section_encrypted = 0x2;

struct FileHeader {
  uint8_t major = 0, minor = 0;
  uint16_t compression = 0;    // 0 none, 1 zlib, 2 bzip2 (of the metadata; chunks say their own)
  uint32_t segment = 0;        // 1-based
  std::string set_identifier;  // 16 bytes, hex, as stored
};
// `why` set when the bytes are not an EWF2 file header.
Result<FileHeader> parse_file_header(const unsigned char* p, size_t size);

struct Section {
  uint32_t type = 0;
  uint32_t flags = 0;
  uint64_t previous = 0;   // offset of the previous section's descriptor; 0 for the first
  uint64_t data_size = 0;  // the data before the descriptor, padding included
  uint32_t padding = 0;
  uint64_t descriptor = 0;  // offset of this descriptor in the file
  uint64_t data_offset() const { return descriptor - data_size; }
};
// One descriptor found at `at` (k_descriptor_size bytes at `p`): checksum, size, bounds.
Result<Section> parse_descriptor(const unsigned char* p, uint64_t at);

struct ChunkEntry {
  uint64_t offset = 0;  // in the segment file; the 8 fill bytes for a pattern-fill chunk
  uint32_t size = 0;
  uint32_t flags = 0;
};
struct ChunkTable {
  uint64_t first_chunk = 0;
  std::vector<ChunkEntry> entries;
};
// A sector table section's data; `why` names what is wrong.
Result<ChunkTable> parse_sector_table(const unsigned char* p, size_t size);

// An MD5 (16 bytes) or SHA-1 (20 bytes) section: the digest, hex, after its Adler-32.
Result<std::string> parse_hash_section(const unsigned char* p, size_t size, size_t digest_size);

// An error table's entries: (first sector, sector count).
Result<std::vector<std::pair<uint64_t, uint64_t>>> parse_error_table(const unsigned char* p, size_t size);

// The compression method of a file header: 1 zlib, 2 bzip2 (0, none, is not seen in practice).
inline constexpr uint16_t k_method_zlib = 1;
inline constexpr uint16_t k_method_bzip2 = 2;

// Device information and case data: UTF-16LE text compressed with `method` (zlib or bzip2),
// rows of tab-separated tags and values; returned as tag -> value (UTF-8), values unescaped.
Result<std::map<std::string, std::string>> parse_text_section(const unsigned char* p, size_t size, uint16_t method);

// One whole bzip2 stream ("BZh" ... its end marker, its CRCs checked by libbz2) into exactly
// `out_size` bytes of `out`; false when it does not decode to exactly that.
bool bzip2_decode(const unsigned char* p, size_t size, unsigned char* out, size_t out_size);

}  // namespace exhibit::image::ewf2

// Our own reader of the EWF (E01) segment and section structure, used to check a segment set
// before libewf reads it: every segment present and in order, every section descriptor intact,
// the last segment closed by a "done" section. It reads descriptors only, never chunk data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit::image {

struct SectionInfo {
  std::string type;     // "header", "volume", "sectors", "table", "hash", "done", ...
  uint64_t offset = 0;  // of the descriptor, from the start of the file
  uint64_t size = 0;    // as stored (descriptor included)
  uint64_t next = 0;    // offset of the next descriptor
};

struct SegmentLayout {
  std::string path;
  uint16_t number = 0;
  uint64_t file_size = 0;
  std::vector<SectionInfo> sections;
  std::string closing_section() const { return sections.empty() ? std::string() : sections.back().type; }
};

// The first 8 bytes of an EWF (E01) segment file, and of a logical evidence file (L01) we do not
// read. EWF2 (Ex01) has its own: ewf2::k_signature (image/ewf2_format.hpp).
inline constexpr unsigned char k_evf_signature[8] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};
inline constexpr unsigned char k_lvf_signature[8] = {'L', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};

inline constexpr size_t k_ewf_file_header_size = 13;
inline constexpr size_t k_ewf_section_descriptor_size = 76;

uint32_t adler32(const unsigned char* data, size_t size, uint32_t start = 1);

// Walks one segment file's section chain. Corruption on any inconsistency; Unsupported for
// EWF2 (Ex01) and logical (L01) files.
Result<SegmentLayout> read_segment_layout(const std::string& path);

// Finds and checks every segment of the set whose first segment is `first_path` (BASE.E01).
// A set named as an unfinished acquisition (BASE.incomplete.E01) is refused unless `unfinished_ok`.
Result<std::vector<SegmentLayout>> check_segment_set(const std::string& first_path, bool unfinished_ok = false);

}  // namespace exhibit::image

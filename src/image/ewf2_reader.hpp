// Reads an EWF2 (Ex01) segment set with our own parser (image/ewf2_format): every segment's
// header and section chain checked, the sector tables made into one chunk index, the metadata
// and stored digests read. Chunks are read as stored and decoded (inflated, or checked against
// their Adler-32, or a pattern repeated; bzip2 chunks as whole streams) on any thread. Encrypted
// images are refused.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exhibit/image_info.hpp"
#include "image/unit_reader.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

inline constexpr const char* k_ewf2_format_name = "EWF2 (Ex01)";

// True when the file at `path` starts with the EWF2 signature.
bool is_ewf2_file(const std::string& path);

class Ewf2Reader : public UnitReader {
 public:
  // `first_segment`: BASE.Ex01 (segments BASE.Ex02 ... follow), or any one EWF2 file.
  static Result<std::unique_ptr<Ewf2Reader>> open(const std::string& first_segment);

  const ImageInfo& info() const override { return m_info; }
  uint64_t unit_bytes() const override { return uint64_t{m_info.bytes_per_sector} * m_info.sectors_per_chunk; }
  size_t stored_capacity() const override { return static_cast<size_t>(unit_bytes()) + 64; }
  Status seek_unit(uint64_t index) override;
  Result<EncodedChunk> read_unit(unsigned char* buf, size_t capacity, size_t data_size) override;
  bool decode(const EncodedChunk& c, unsigned char* out) const override;

  struct Chunk {
    uint32_t segment = 0;  // index into m_files
    uint64_t offset = 0;
    uint32_t size = 0;
    uint32_t flags = 0;
  };

 private:
  Ewf2Reader() = default;
  Status read_segment(const std::string& path, uint32_t number, bool& last);
  Status finish_info();
  Status check_bzip2_framing() const;

  std::vector<util::UniqueFd> m_files;
  std::vector<Chunk> m_chunks;
  std::map<std::string, std::string> m_device, m_case;
  uint64_t m_next = 0;
  bool m_any_compressed = false;
  uint16_t m_method = 0;  // the first file header's compression method (1 zlib, 2 bzip2)
  ImageInfo m_info;
};

}  // namespace exhibit::image

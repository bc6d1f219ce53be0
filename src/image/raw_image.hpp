// Raw images: the media bytes as they are, in one file BASE.raw, or split into BASE.001,
// BASE.002, … of a fixed size (the naming of FTK Imager and dc3dd; after .999 come .1000, …).
// They hold no digest of their own: the record beside them does.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "image/unit_reader.hpp"
#include "io/env.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

// BASE.raw when `segment_size` is 0, else BASE.NNN (1-based).
std::string raw_segment_path(const std::string& base, uint64_t segment_size, uint32_t number);
// The split files BASE.001, BASE.002, … that exist, in order, up to the first gap.
std::vector<std::string> existing_raw_segments(const std::string& base);
// Media bytes [first, last] as the files hold them: "BASE.raw bytes A-B", "BASE.002 bytes A-B",
// "BASE.001 bytes A-Z and BASE.002 bytes 0-B", "BASE.001 bytes A-Z through BASE.004 bytes 0-B".
std::string raw_range_text(const std::string& base, uint64_t segment_size, uint64_t first, uint64_t last);

class RawWriter {
 public:
  // Every file is created, written and synced through `env`.
  static Result<std::unique_ptr<RawWriter>> create(const std::string& base, uint64_t segment_size,
                                                   io::Env& env = io::posix_env());
  // Continues after `bytes` media bytes that a checkpoint said were on disk: the file holding the
  // last of them is cut back there, later files are removed. Corruption when an earlier file is
  // not a whole segment or the last is shorter.
  static Result<std::unique_ptr<RawWriter>> resume(const std::string& base, uint64_t segment_size, uint64_t bytes,
                                                   io::Env& env = io::posix_env());
  Status write(const unsigned char* data, size_t size);
  // Syncs what was written; returns how many media bytes that is.
  Result<uint64_t> checkpoint();
  Status finish();  // fsync and close the last file

 private:
  Status open_next();
  io::Env* m_env = nullptr;
  std::string m_base;
  uint64_t m_segment_size = 0;
  uint32_t m_number = 0;
  uint64_t m_in_file = 0;
  uint64_t m_total = 0;
  std::unique_ptr<io::WritableFile> m_file;
};

// Units are 4 MiB blocks; decoding is a copy (raw bytes carry no checksum).
class RawReader : public UnitReader {
 public:
  static Result<std::unique_ptr<RawReader>> open(const std::string& path);

  const ImageInfo& info() const override { return m_info; }
  uint64_t unit_bytes() const override { return k_unit; }
  size_t stored_capacity() const override { return k_unit; }
  Status seek_unit(uint64_t index) override;
  Result<EncodedChunk> read_unit(unsigned char* buf, size_t capacity, size_t data_size) override;
  bool decode(const EncodedChunk& unit, unsigned char* out) const override;
  Status read_at(uint64_t offset, unsigned char* buf, size_t size);

 private:
  static constexpr size_t k_unit = 4 << 20;
  RawReader() = default;
  ImageInfo m_info;
  std::vector<util::UniqueFd> m_fds;
  std::vector<uint64_t> m_starts;  // media offset of each file
  uint64_t m_next = 0;
};

}  // namespace exhibit::image

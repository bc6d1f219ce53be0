// Seekable zstd images (BASE.zst): independent zstd frames of a fixed media size (each with its
// content size and XXH64 checksum), then a skippable frame holding the acquisition record, then
// the seek table of the zstd project's seekable format (contrib/seekable_format): a skippable
// frame listing each frame's compressed and decompressed size (the record frame with size 0),
// ending in the magic 0x8F92EAB1. `zstd -d` restores the media and skips the rest.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "image/chunk_codec.hpp"
#include "image/unit_reader.hpp"
#include "io/env.hpp"
#include "util/bounded_input.hpp"
#include "util/fd.hpp"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace exhibit::image {

namespace zst {
inline constexpr uint32_t k_seek_table_magic = 0x184D2A5E;  // skippable frame: the seek table
inline constexpr uint32_t k_record_magic = 0x184D2A50;      // skippable frame: our acquisition record
inline constexpr uint32_t k_seekable_magic = 0x8F92EAB1;
inline constexpr size_t k_footer_size = 9;
// What a reader accepts: a record as large as one beside the image may be (util/bounded_input.hpp;
// ours stay far below: at most 65536 pieces) and at most 2^24 frames (64 TiB at 4 MiB).
inline constexpr size_t k_max_record = util::k_max_json_file;
inline constexpr uint32_t k_max_frames = 1U << 24;

struct SeekEntry {
  uint32_t compressed = 0;
  uint32_t decompressed = 0;
};

// Frames of a fixed media size: compressed with `level`, content size and checksum included.
class FrameEncoder {
 public:
  explicit FrameEncoder(int level);
  ~FrameEncoder();
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;
  // Compresses `size` bytes into `out` (capacity >= bound(size)); the result points into `out`.
  Result<EncodedChunk> encode(const unsigned char* data, size_t size, unsigned char* out, size_t capacity);
  static size_t bound(size_t size);

 private:
  ZSTD_CCtx_s* m_ctx;
};
}  // namespace zst

// Decodes one frame of `data_size` media bytes into `out`; false unless the frame says it holds
// exactly that many bytes and its checksum matches. Thread-safe.
bool decode_frame(const unsigned char* frame, size_t size, unsigned char* out, size_t data_size);

// Writes BASE.zst in order. The seek table grows by 8 bytes a frame (32 MiB at 16 TiB).
class ZstWriter {
 public:
  // The file is created, written and synced through `env`.
  static Result<std::unique_ptr<ZstWriter>> create(const std::string& path, io::Env& env = io::posix_env());
  // Continues after the first `frames` frames (`file_size` bytes) that a checkpoint said were on
  // disk: the file is cut back there and the seek table rebuilt from the frames' own headers.
  static Result<std::unique_ptr<ZstWriter>> resume(const std::string& path, uint64_t file_size, uint64_t frames,
                                                   io::Env& env = io::posix_env());
  Status write_frame(const EncodedChunk& frame);
  // Syncs what was written.
  Status sync();
  uint64_t file_size() const { return m_size; }
  uint64_t media_bytes() const { return m_media; }  // of the data frames written
  const std::vector<zst::SeekEntry>& entries() const { return m_entries; }
  // The record's skippable frame (unless it is larger than k_max_record), the seek table, fsync, close.
  Status finish(const std::string& record_text);
  const std::string& path() const { return m_path; }

 private:
  Status append(const void* data, size_t size);
  std::string m_path;
  std::unique_ptr<io::WritableFile> m_file;
  uint64_t m_size = 0;
  uint64_t m_media = 0;
  std::vector<zst::SeekEntry> m_entries;
};

// Units are the data frames; the record frame, if any, is read at open.
class ZstReader : public UnitReader {
 public:
  static Result<std::unique_ptr<ZstReader>> open(const std::string& path);
  ~ZstReader() override;

  const ImageInfo& info() const override { return m_info; }
  uint64_t unit_bytes() const override { return m_frame_bytes; }
  size_t stored_capacity() const override { return m_max_compressed; }
  Status seek_unit(uint64_t index) override;
  Result<EncodedChunk> read_unit(unsigned char* buf, size_t capacity, size_t data_size) override;
  bool decode(const EncodedChunk& unit, unsigned char* out) const override;
  const std::string& record_text() const { return m_record; }  // "" when the image holds none

 private:
  ZstReader() = default;
  util::UniqueFd m_fd;
  ImageInfo m_info;
  std::vector<uint64_t> m_offsets;  // file offset of each data frame
  std::vector<uint32_t> m_sizes;    // compressed size of each data frame
  uint64_t m_frame_bytes = 0;
  size_t m_max_compressed = 0;
  uint64_t m_next = 0;
  bool m_prev_short = false;  // a frame shorter than the first was seen (it must be the last)
  std::string m_record;
};

}  // namespace exhibit::image

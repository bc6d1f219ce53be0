// What an interrupted acquisition had safely written, read back in order so that `--resume`
// rebuilds its digests from the image itself: E01 chunks through their tables (and the saved
// open table), zstd frames through the seek entries the writer rebuilt, raw bytes as they are.
// Each stored unit is checked as it is decoded (raw: each span against the SHA-256 the resume
// state keeps, as it is read): a damaged prefix stops the resume.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/destination.hpp"
#include "core/pipeline.hpp"
#include "core/resume_state.hpp"
#include "core/written_spans.hpp"
#include "image/e01_written_chunks.hpp"
#include "image/raw_image.hpp"
#include "util/fd.hpp"

namespace exhibit::core {

class WrittenPrefix {
 public:
  // `bytes`: media bytes written; `chunk`: E01 chunk size; `media_size`: of the whole image.
  static Result<std::unique_ptr<WrittenPrefix>> open(const Destination& d, const ResumeState& state,
                                                     const CopyProgress& progress, uint64_t bytes, uint64_t chunk,
                                                     uint64_t media_size);
  uint64_t bytes() const { return m_bytes; }
  // The next block as stored, from media offset `offset` (at most `capacity` media bytes);
  // sets b.offset, b.size and b.stored.
  Status read(Block& b, uint64_t offset, size_t capacity);
  // On a worker: decodes what read() stored into b.data, checking every unit.
  Status decode(Block& b) const;

 private:
  WrittenPrefix() = default;
  ImageFormat m_format = ImageFormat::E01;
  uint64_t m_bytes = 0, m_chunk = 0, m_media_size = 0;
  std::optional<image::WrittenChunks> m_e01;
  std::unique_ptr<image::RawReader> m_raw;
  std::optional<SpanDigests> m_spans;        // raw: of what is read back,
  std::vector<std::string> m_written;       // and as it was written
  std::string m_raw_base;
  uint64_t m_raw_segment_size = 0;
  util::UniqueFd m_zst;
  const image::ZstWriter* m_zst_writer = nullptr;
  uint64_t m_frame = 0, m_frame_offset = 0;
};

}  // namespace exhibit::core

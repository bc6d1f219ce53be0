// What an interrupted acquisition had safely written, read back into the pipeline's blocks in
// order so that `--resume` rebuilds its digests from the image itself. The reading and checking
// is the format's own (image::PrefixReader, given by the copy's image writer); this only fills
// the blocks.
#pragma once

#include <cstdint>
#include <memory>

#include "core/destination.hpp"
#include "core/pipeline.hpp"
#include "image/image_writer.hpp"

namespace exhibit::core {

class WrittenPrefix {
 public:
  // `bytes`: media bytes written; `chunk`: E01 chunk size.
  static Result<std::unique_ptr<WrittenPrefix>> open(const Destination& d, const CopyProgress& progress, uint64_t bytes,
                                                     uint64_t chunk);
  uint64_t bytes() const { return m_bytes; }
  // The next block as stored, from media offset `offset` (at most `capacity` media bytes);
  // sets b.offset, b.size and b.stored.
  Status read(Block& b, uint64_t offset, size_t capacity);
  // On a worker: decodes what read() stored into b.data, checking every unit.
  Status decode(Block& b) const { return m_reader->decode(b.offset, b.chunks, b.data.data()); }

 private:
  WrittenPrefix(std::unique_ptr<image::PrefixReader> r, uint64_t bytes) : m_reader(std::move(r)), m_bytes(bytes) {}
  std::unique_ptr<image::PrefixReader> m_reader;
  uint64_t m_bytes = 0;
};

}  // namespace exhibit::core

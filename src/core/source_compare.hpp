// verify --source: re-reads the original source, in order, while the image is verified, and
// compares it with the image's media sector by sector (Guymager's "dual verification"). The
// source is opened exactly as acquire opens it: read-only, with the software write-block.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/verify.hpp"
#include "io/block_source.hpp"
#include "io/sector_reader.hpp"
#include "util/aligned_buffer.hpp"

namespace exhibit::core {

class SourceComparer {
 public:
  // `block_bytes`: the largest region compare() will be given.
  static Result<std::unique_ptr<SourceComparer>> open(const VerifyOptions& options, size_t block_bytes,
                                                      const std::atomic<bool>* cancel);

  // The image's media bytes [offset, offset + size), in order; `sector` is the image's sector size.
  Status compare(uint64_t offset, const unsigned char* media, size_t size, uint32_t sector);
  // The comparison, once the last region is compared: the source is released (its read-only
  // flag restored) and what the write-block did is in the result.
  SourceComparison& finish();

 private:
  SourceComparer(std::unique_ptr<io::BlockSource> source, size_t block_bytes, const std::atomic<bool>* cancel);

  std::unique_ptr<io::BlockSource> m_source;
  io::SectorReader m_reader;
  util::AlignedBuffer m_buffer;
  SourceComparison m_result;
};

}  // namespace exhibit::core

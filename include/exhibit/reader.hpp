// Reading an image: any image exhibit reads (E01 through libewf after our own structural check,
// raw BASE.001… or BASE.raw, seekable zstd BASE.zst), its description, and its media bytes at
// any offset. Every stored unit (E01 chunk, zstd frame, raw block) is checked as it is decoded:
// a damaged one is a Corruption error, never zero-filled bytes passed off as the image's.
// To check a whole image against its stored digests and record, use verify_image (verify.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"

namespace exhibit {

// One open image. Not thread-safe: open one reader per thread.
class ImageReader {
 public:
  // `path`: the first file of the image (x.E01, x.001, x.raw, x.zst). An acquisition that never
  // finished (x.incomplete.*) is refused with Corruption.
  static Result<ImageReader> open(const std::string& path);

  ImageReader(ImageReader&&) noexcept;
  ImageReader& operator=(ImageReader&&) noexcept;
  ~ImageReader();

  const ImageInfo& info() const;
  uint64_t media_size() const;

  // Copies up to `size` media bytes from `offset` into `buffer`; fewer only at the end of the
  // media (0 at or past it). Reading in order is fastest; any offset works.
  Result<size_t> read(uint64_t offset, void* buffer, size_t size);

 private:
  struct Impl;
  explicit ImageReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace exhibit

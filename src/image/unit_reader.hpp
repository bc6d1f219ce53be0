// Any image we read, as a sequence of stored units of a fixed media size: E01 chunks, zstd
// frames, or blocks of a raw image. One thread reads units in order (read_unit); any thread
// decodes and checks them (decode). verify and export work through this, whatever the format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "image/chunk_codec.hpp"

namespace exhibit::image {

class UnitReader {
 public:
  virtual ~UnitReader() = default;
  virtual const ImageInfo& info() const = 0;
  virtual uint64_t unit_bytes() const = 0;     // media bytes per unit (the last one may be shorter)
  virtual size_t stored_capacity() const = 0;  // buffer bytes that any stored unit fits in
  // Makes unit `index` the next one read_unit() returns.
  virtual Status seek_unit(uint64_t index) = 0;
  // The next unit as stored, into `buf` (stored_capacity() bytes); `data_size` is its media size.
  virtual Result<EncodedChunk> read_unit(unsigned char* buf, size_t capacity, size_t data_size) = 0;
  // Decodes a unit into `out` (data_size bytes); false when it fails its check. Thread-safe.
  virtual bool decode(const EncodedChunk& unit, unsigned char* out) const = 0;
};

// Whether an image named as an unfinished acquisition (BASE.incomplete.*) is opened. Only the
// acquisition that wrote it, checking its closed files before it names them (acquire --verify), accepts it.
enum class Unfinished { Refuse, Accept };

// By name: BASE.E01 (EWF), BASE.Ex01 (EWF2; also any file with its signature), BASE.001 or BASE.raw (raw), BASE.zst
// (seekable zstd).
Result<std::unique_ptr<UnitReader>> open_image(const std::string& path, Unfinished unfinished = Unfinished::Refuse);
// "x" for x.E01, x.Ex01, x.001, x.raw or x.zst: the base the record and logs beside the image use.
std::optional<std::string> image_base(const std::string& path);

}  // namespace exhibit::image

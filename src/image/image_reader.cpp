// The public ImageReader (exhibit/reader.hpp): media bytes at any offset, over the UnitReader of
// the image's format. It keeps the last decoded unit, so reads in order decode each unit once.
#include "exhibit/reader.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "image/unit_reader.hpp"

namespace exhibit {

struct ImageReader::Impl {
  std::unique_ptr<image::UnitReader> units;
  std::vector<unsigned char> stored;
  std::vector<unsigned char> data;
  std::optional<uint64_t> decoded;  // the unit `data` holds
  std::optional<uint64_t> next;     // the unit read_unit() gives next, when known

  // Makes `data` hold unit `index` (its media size: `data_size`).
  Status load(uint64_t index, size_t data_size) {
    if (decoded == index) return Ok{};
    decoded.reset();
    if (next != index) EXHIBIT_CHECK(units->seek_unit(index));
    next.reset();
    const ImageInfo& info = units->info();
    const uint64_t start = index * units->unit_bytes();
    const std::string where = std::string(unit_name(info.unit)) + " " + std::to_string(index) + " (media bytes " +
                              std::to_string(start) + "-" + std::to_string(start + data_size - 1) + ")";
    auto unit = units->read_unit(stored.data(), stored.size(), data_size);
    if (!unit) return Error(ErrorCode::Corruption, where + " cannot be read: " + unit.error().message());
    if (!units->decode(*unit, data.data())) {
      return Error(ErrorCode::Corruption, where + " is damaged (checksum or decompression failed)");
    }
    decoded = index;
    next = index + 1;
    return Ok{};
  }
};

ImageReader::ImageReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ImageReader::ImageReader(ImageReader&&) noexcept = default;
ImageReader& ImageReader::operator=(ImageReader&&) noexcept = default;
ImageReader::~ImageReader() = default;

Result<ImageReader> ImageReader::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  EXHIBIT_TRY(impl->units, image::open_image(path));
  impl->stored.resize(impl->units->stored_capacity());
  impl->data.resize(impl->units->unit_bytes());
  return ImageReader(std::move(impl));
}

const ImageInfo& ImageReader::info() const { return m_impl->units->info(); }

uint64_t ImageReader::media_size() const { return info().media_size; }

Result<size_t> ImageReader::read(uint64_t offset, void* buffer, size_t size) {
  const uint64_t media = media_size();
  if (offset >= media) return size_t{0};
  const auto total = static_cast<size_t>(std::min<uint64_t>(size, media - offset));
  const uint64_t unit_bytes = m_impl->units->unit_bytes();
  auto* out = static_cast<unsigned char*>(buffer);
  size_t done = 0;
  while (done < total) {
    const uint64_t at = offset + done;
    const uint64_t index = at / unit_bytes, start = index * unit_bytes;
    const auto data_size = static_cast<size_t>(std::min<uint64_t>(unit_bytes, media - start));
    EXHIBIT_CHECK(m_impl->load(index, data_size));
    const auto from = static_cast<size_t>(at - start);
    const size_t n = std::min(data_size - from, total - done);
    std::memcpy(out + done, m_impl->data.data() + from, n);
    done += n;
  }
  return total;
}

}  // namespace exhibit

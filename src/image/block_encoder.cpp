#include "image/block_encoder.hpp"

#include <algorithm>

#include "image/zst_image.hpp"

namespace exhibit::image {

namespace {

class ChunkBlockEncoder final : public BlockEncoder {
 public:
  ChunkBlockEncoder(Compression c, size_t chunk) : m_encoder(c, chunk), m_chunk(chunk) {}
  Status encode(const unsigned char* data, size_t size, unsigned char* out, size_t,
                std::vector<EncodedChunk>& units) override {
    for (size_t pos = 0; pos < size; pos += m_chunk) {
      units.push_back(m_encoder.encode(data + pos, std::min(m_chunk, size - pos), out + pos));
    }
    return Ok{};
  }

 private:
  ChunkEncoder m_encoder;
  size_t m_chunk;
};

class FrameBlockEncoder final : public BlockEncoder {
 public:
  explicit FrameBlockEncoder(Compression c) : m_encoder(c == Compression::Best ? 9 : 1) {}
  Status encode(const unsigned char* data, size_t size, unsigned char* out, size_t capacity,
                std::vector<EncodedChunk>& units) override {
    EXHIBIT_TRY(EncodedChunk frame, m_encoder.encode(data, size, out, capacity));
    units.push_back(frame);
    return Ok{};
  }

 private:
  zst::FrameEncoder m_encoder;
};

class AsReadEncoder final : public BlockEncoder {
 public:
  Status encode(const unsigned char*, size_t, unsigned char*, size_t, std::vector<EncodedChunk>&) override {
    return Ok{};  // the writer takes the media bytes themselves
  }
};

}  // namespace

const FormatTraits& traits(ImageFormat format) {
  static const FormatTraits e01{.whole_sectors = true, .sector_numbers_32bit = true, .chunked = true};
  static const FormatTraits raw{};
  static const FormatTraits zst{.record_inside = true, .block_is_one_unit = true};
  switch (format) {
    case ImageFormat::Raw: return raw;
    case ImageFormat::Zst: return zst;
    case ImageFormat::E01: break;
  }
  return e01;
}

const char* encode_stage_name(ImageFormat format, Compression compression) {
  switch (format) {
    case ImageFormat::Raw: return "copy";
    case ImageFormat::Zst: return "zstd";
    case ImageFormat::E01: break;
  }
  return compression == Compression::None ? "adler32" : "deflate";
}

size_t encoded_capacity(ImageFormat format, size_t block_bytes, size_t chunk_bytes) {
  switch (format) {
    case ImageFormat::Raw: return 0;  // written as read
    case ImageFormat::Zst: return zst::FrameEncoder::bound(block_bytes);
    case ImageFormat::E01: break;
  }
  return block_bytes + 4 * (block_bytes / chunk_bytes);
}

std::unique_ptr<BlockEncoder> make_block_encoder(ImageFormat format, Compression compression, size_t chunk_bytes) {
  switch (format) {
    case ImageFormat::Raw: return std::make_unique<AsReadEncoder>();
    case ImageFormat::Zst: return std::make_unique<FrameBlockEncoder>(compression);
    case ImageFormat::E01: break;
  }
  return std::make_unique<ChunkBlockEncoder>(compression, chunk_bytes);
}

}  // namespace exhibit::image

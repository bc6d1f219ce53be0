#include "image/libewf_writer.hpp"

#include "util/text.hpp"

#include <openssl/rand.h>

#include <cstring>

namespace exhibit::image {

namespace {

struct CompressionValues {
  int8_t level;
  uint8_t flags;
};

CompressionValues compression_values(Compression c) {
  switch (c) {
    case Compression::None: return {LIBEWF_COMPRESSION_NONE, 0};
    case Compression::EmptyBlock: return {LIBEWF_COMPRESSION_NONE, LIBEWF_COMPRESS_FLAG_USE_EMPTY_BLOCK_COMPRESSION};
    case Compression::Fast: return {LIBEWF_COMPRESSION_FAST, 0};
    case Compression::Best: return {LIBEWF_COMPRESSION_BEST, 0};
  }
  return {LIBEWF_COMPRESSION_FAST, 0};
}

}  // namespace

Result<std::unique_ptr<LibewfWriter>> LibewfWriter::create(const EwfWriteOptions& o) {
  std::unique_ptr<LibewfWriter> w(new LibewfWriter());
  w->m_base = o.base;
  EXHIBIT_CHECK(w->m_handle.initialize());
  libewf_handle_t* h = w->m_handle.get();
  libewf_error_t* error = nullptr;
  const std::string where = "creating " + o.base + ".E01";

  char* names[] = {const_cast<char*>(o.base.c_str())};
  if (libewf_handle_open(h, names, 1, LIBEWF_OPEN_WRITE, &error) != 1) {
    return libewf_failure(ErrorCode::Destination, where, error);
  }
  w->m_handle.set_open(true);
  auto cv = compression_values(o.compression);
  if (libewf_handle_set_format(h, LIBEWF_FORMAT_ENCASE6, &error) != 1 ||
      libewf_handle_set_bytes_per_sector(h, o.bytes_per_sector, &error) != 1 ||
      libewf_handle_set_sectors_per_chunk(h, o.sectors_per_chunk, &error) != 1 ||
      libewf_handle_set_error_granularity(h, o.sectors_per_chunk, &error) != 1 ||
      libewf_handle_set_media_size(h, o.media_size, &error) != 1 ||
      libewf_handle_set_maximum_segment_size(h, o.segment_size, &error) != 1 ||
      libewf_handle_set_compression_values(h, cv.level, cv.flags, &error) != 1 ||
      libewf_handle_set_media_type(h, o.removable ? LIBEWF_MEDIA_TYPE_REMOVABLE : LIBEWF_MEDIA_TYPE_FIXED, &error) !=
          1 ||
      libewf_handle_set_media_flags(h, o.physical ? LIBEWF_MEDIA_FLAG_PHYSICAL : 0, &error) != 1) {
    return libewf_failure(ErrorCode::InvalidArgument, where, error);
  }
  // A random (version 4) UUID identifies the segment set, as ewfacquire does.
  std::array<uint8_t, 16> guid{};
  if (o.set_identifier) {
    guid = *o.set_identifier;
  } else if (RAND_bytes(guid.data(), static_cast<int>(guid.size())) != 1) {
    return Error(ErrorCode::Io, "no random bytes for the set identifier");
  }
  guid[6] = static_cast<uint8_t>((guid[6] & 0x0F) | 0x40);
  guid[8] = static_cast<uint8_t>((guid[8] & 0x3F) | 0x80);
  if (libewf_handle_set_segment_file_set_identifier(h, guid.data(), guid.size(), &error) != 1) {
    return libewf_failure(ErrorCode::InvalidArgument, where + ": set identifier", error);
  }
  for (const auto& [id, value] : o.header_values) {
    if (value.empty()) continue;
    if (libewf_handle_set_utf8_header_value(h, reinterpret_cast<const uint8_t*>(id.data()), id.size(),
                                            reinterpret_cast<const uint8_t*>(value.data()), value.size(),
                                            &error) != 1) {
      return libewf_failure(ErrorCode::InvalidArgument, where + ": header value " + id, error);
    }
  }
  return w;
}

Status LibewfWriter::write_chunk(const EncodedChunk& c) {
  libewf_error_t* error = nullptr;
  // Raw chunks carry their Adler-32 after the data; libewf takes it from a buffer of its own.
  uint8_t checksum[4] = {static_cast<uint8_t>(c.checksum), static_cast<uint8_t>(c.checksum >> 8),
                         static_cast<uint8_t>(c.checksum >> 16), static_cast<uint8_t>(c.checksum >> 24)};
  ssize_t n = libewf_handle_write_chunk(m_handle.get(), c.bytes, c.size, c.data_size, c.compressed ? 1 : 0,
                                        c.compressed ? nullptr : checksum, c.checksum, c.compressed ? 0 : 1, &error);
  if (n < 0) return libewf_failure(ErrorCode::Destination, "writing " + m_base + ".E01 (or a later segment)", error);
  return Ok{};
}

Status LibewfWriter::add_acquisition_error(const SectorRange& range) {
  libewf_error_t* error = nullptr;
  if (libewf_handle_append_acquiry_error(m_handle.get(), range.first, range.count, &error) != 1) {
    return libewf_failure(ErrorCode::Destination, "recording an acquisition error in " + m_base, error);
  }
  return Ok{};
}

Status LibewfWriter::finish(const std::string& md5_hex, const std::string& sha1_hex) {
  libewf_error_t* error = nullptr;
  std::optional<std::vector<unsigned char>> bytes;
  if (!md5_hex.empty() && (bytes = util::from_hex(md5_hex)) &&
      libewf_handle_set_md5_hash(m_handle.get(), bytes->data(), bytes->size(), &error) != 1) {
    return libewf_failure(ErrorCode::Destination, "storing the MD5 in " + m_base, error);
  }
  if (!sha1_hex.empty() && (bytes = util::from_hex(sha1_hex)) &&
      libewf_handle_set_sha1_hash(m_handle.get(), bytes->data(), bytes->size(), &error) != 1) {
    return libewf_failure(ErrorCode::Destination, "storing the SHA-1 in " + m_base, error);
  }
  if (libewf_handle_write_finalize(m_handle.get(), &error) < 0) {
    return libewf_failure(ErrorCode::Destination, "finalising " + m_base, error);
  }
  return m_handle.close(ErrorCode::Destination, "closing " + m_base);
}

}  // namespace exhibit::image

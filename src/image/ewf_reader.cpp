#include "image/ewf_reader.hpp"

#include <cctype>

#include "image/ewf_layout.hpp"
#include "image/ewf_section_check.hpp"
#include "util/endian.hpp"
#include "util/text.hpp"

namespace exhibit::image {

namespace {

std::string format_name(uint8_t f) {
  switch (f) {
    case LIBEWF_FORMAT_ENCASE1: return "EnCase 1";
    case LIBEWF_FORMAT_ENCASE2: return "EnCase 2";
    case LIBEWF_FORMAT_ENCASE3: return "EnCase 3";
    case LIBEWF_FORMAT_ENCASE4: return "EnCase 4";
    case LIBEWF_FORMAT_ENCASE5: return "EnCase 5";
    case LIBEWF_FORMAT_ENCASE6: return "EnCase 6";
    case LIBEWF_FORMAT_SMART: return "SMART";
    case LIBEWF_FORMAT_FTK: return "FTK Imager";
    case LIBEWF_FORMAT_LINEN5: return "linen 5";
    case LIBEWF_FORMAT_LINEN6: return "linen 6";
    case LIBEWF_FORMAT_EWF: return "EWF";
    case LIBEWF_FORMAT_EWFX: return "EWFX";
    default: return "unknown (" + std::to_string(f) + ")";
  }
}

std::string media_type_name(uint8_t t) {
  switch (t) {
    case LIBEWF_MEDIA_TYPE_REMOVABLE: return "removable";
    case LIBEWF_MEDIA_TYPE_FIXED: return "fixed";
    case LIBEWF_MEDIA_TYPE_OPTICAL: return "optical";
    case LIBEWF_MEDIA_TYPE_SINGLE_FILES: return "logical";
    case LIBEWF_MEDIA_TYPE_MEMORY: return "memory";
    default: return "unknown (" + std::to_string(t) + ")";
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::unique_ptr<EwfReader>> EwfReader::open(const std::string& first_segment, bool unfinished_ok) {
  EXHIBIT_TRY(std::vector<SegmentLayout> set, check_segment_set(first_segment, unfinished_ok));
  std::unique_ptr<EwfReader> r(new EwfReader());
  for (const auto& s : set) r->m_info.segment_files.push_back(s.path);
  EXHIBIT_CHECK(r->m_handle.initialize());
  std::vector<char*> names;
  for (auto& p : r->m_info.segment_files) names.push_back(p.data());
  libewf_error_t* error = nullptr;
  if (libewf_handle_open(r->m_handle.get(), names.data(), static_cast<int>(names.size()), LIBEWF_OPEN_READ, &error) !=
      1) {
    Error refused = libewf_failure(ErrorCode::Corruption, "libewf cannot open " + first_segment, error);
    // libewf does not say which file: find the damaged section ourselves.
    EXHIBIT_CHECK(check_section_bodies(set));
    return refused;
  }
  r->m_handle.set_open(true);
  if (libewf_handle_set_read_zero_chunk_on_error(r->m_handle.get(), 1, &error) != 1) {
    return libewf_failure(ErrorCode::Io, "configuring libewf", error);
  }
  EXHIBIT_CHECK(r->load_info());
  return r;
}

Status EwfReader::load_info() {
  libewf_handle_t* h = m_handle.get();
  libewf_error_t* error = nullptr;
  const std::string where = "reading the metadata of " + m_info.segment_files.front();
  size64_t media_size = 0;
  uint32_t bps = 0;
  uint32_t spc = 0;
  uint8_t format = 0;
  uint8_t media_type = 0;
  uint8_t media_flags = 0;
  int8_t level = 0;
  uint8_t cflags = 0;
  if (libewf_handle_get_media_size(h, &media_size, &error) != 1 ||
      libewf_handle_get_bytes_per_sector(h, &bps, &error) != 1 ||
      libewf_handle_get_sectors_per_chunk(h, &spc, &error) != 1 || libewf_handle_get_format(h, &format, &error) != 1 ||
      libewf_handle_get_media_type(h, &media_type, &error) != 1 ||
      libewf_handle_get_media_flags(h, &media_flags, &error) != 1 ||
      libewf_handle_get_compression_values(h, &level, &cflags, &error) != 1) {
    return libewf_failure(ErrorCode::Corruption, where, error);
  }
  // Sizes come from the file: bound them before anything is allocated from them.
  if (bps == 0 || spc == 0 || bps > 65536 || static_cast<uint64_t>(bps) * spc > (64u << 20)) {
    return Error(ErrorCode::Corruption, where + ": implausible geometry (" + std::to_string(bps) +
                                            " bytes per sector, " + std::to_string(spc) + " sectors per chunk)");
  }
  m_info.media_size = media_size;
  m_info.bytes_per_sector = bps;
  m_info.sector_count = media_size / bps + (media_size % bps ? 1 : 0);
  m_info.sectors_per_chunk = spc;
  const uint64_t chunk_bytes = static_cast<uint64_t>(bps) * spc;
  m_info.chunk_count = media_size / chunk_bytes + (media_size % chunk_bytes ? 1 : 0);
  m_info.format = format_name(format);
  m_info.media_type = media_type_name(media_type);
  m_info.physical = (media_flags & LIBEWF_MEDIA_FLAG_PHYSICAL) != 0;
  if (level == LIBEWF_COMPRESSION_NONE) {
    m_info.compression = (cflags & LIBEWF_COMPRESS_FLAG_USE_EMPTY_BLOCK_COMPRESSION) ? "empty-block" : "none";
  } else {
    m_info.compression = level == LIBEWF_COMPRESSION_BEST ? "best" : "fast";
  }
  uint8_t guid[16] = {};
  if (libewf_handle_get_segment_file_set_identifier(h, guid, sizeof guid, &error) == 1) {
    m_info.set_identifier = util::to_hex(guid, sizeof guid);
  } else if (error != nullptr) {
    libewf_error_free(&error);
  }

  uint32_t count = 0;
  if (libewf_handle_get_number_of_header_values(h, &count, &error) == 1) {
    for (uint32_t i = 0; i < count; ++i) {
      uint8_t id[128] = {};
      if (libewf_handle_get_header_value_identifier(h, i, id, sizeof id, &error) != 1) break;
      std::string ident(reinterpret_cast<char*>(id));
      size_t size = 0;
      if (libewf_handle_get_utf8_header_value_size(h, id, ident.size(), &size, &error) != 1 || size == 0) continue;
      std::string value(size, '\0');
      if (libewf_handle_get_utf8_header_value(h, id, ident.size(), reinterpret_cast<uint8_t*>(value.data()), size,
                                              &error) != 1) {
        continue;
      }
      value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
      m_info.header_values.emplace_back(ident, value);
    }
  }
  if (error != nullptr) libewf_error_free(&error);

  uint8_t md5[16];
  if (libewf_handle_get_md5_hash(h, md5, sizeof md5, &error) == 1) {
    m_info.hashes.push_back({"md5", util::to_hex(md5, sizeof md5)});
  }
  if (error != nullptr) libewf_error_free(&error);
  uint8_t sha1[20];
  if (libewf_handle_get_sha1_hash(h, sha1, sizeof sha1, &error) == 1) {
    m_info.hashes.push_back({"sha1", util::to_hex(sha1, sizeof sha1)});
  }
  if (error != nullptr) libewf_error_free(&error);
  // Other stored hash values (xhash, or a header's SHA1 where no digest section exists).
  if (libewf_handle_get_number_of_hash_values(h, &count, &error) == 1) {
    for (uint32_t i = 0; i < count; ++i) {
      uint8_t id[64] = {};
      if (libewf_handle_get_hash_value_identifier(h, i, id, sizeof id, &error) != 1) break;
      std::string ident(reinterpret_cast<char*>(id));
      uint8_t value[256] = {};
      if (libewf_handle_get_utf8_hash_value(h, id, ident.size(), value, sizeof value, &error) != 1) continue;
      std::string name = lower(ident);
      std::string hex = lower(reinterpret_cast<char*>(value));
      bool known = false;
      for (const auto& existing : m_info.hashes) known = known || existing.algorithm == name;
      if (!known && !hex.empty()) m_info.hashes.push_back({name, hex});
    }
  }
  if (error != nullptr) libewf_error_free(&error);

  if (libewf_handle_get_number_of_acquiry_errors(h, &count, &error) == 1) {
    for (uint32_t i = 0; i < count; ++i) {
      uint64_t first = 0;
      uint64_t n = 0;
      if (libewf_handle_get_acquiry_error(h, i, &first, &n, &error) == 1) {
        m_info.acquisition_errors.push_back({first, n});
      }
    }
  }
  if (error != nullptr) libewf_error_free(&error);
  return Ok{};
}

Status EwfReader::seek_unit(uint64_t index) {
  libewf_error_t* error = nullptr;
  const auto offset = static_cast<off64_t>(index * m_info.bytes_per_sector * m_info.sectors_per_chunk);
  if (libewf_handle_seek_offset(m_handle.get(), offset, SEEK_SET, &error) != offset) {
    return libewf_failure(ErrorCode::Corruption, "seeking to chunk " + std::to_string(index), error);
  }
  return Ok{};
}

Result<EncodedChunk> EwfReader::read_unit(unsigned char* buf, size_t capacity, size_t data_size) {
  libewf_error_t* error = nullptr;
  int8_t compressed = 0;
  int8_t has_checksum = 0;
  uint32_t checksum = 0;
  uint8_t checksum_bytes[4] = {};
  ssize_t n = libewf_handle_read_chunk(m_handle.get(), buf, capacity, &compressed, checksum_bytes, &checksum,
                                       &has_checksum, &error);
  if (n <= 0) return libewf_failure(ErrorCode::Corruption, "reading a stored chunk", error);
  EncodedChunk c;
  c.bytes = buf;
  c.size = static_cast<size_t>(n);
  c.data_size = data_size;
  c.compressed = compressed != 0;
  if (!c.compressed) {
    // libewf 20140813 counts the 4 checksum bytes in what it returns, whether it also hands the
    // checksum out (has_checksum) or leaves it in the buffer after the stored bytes. Those can be
    // more than the chunk's media size (an odd writer's): verify notes it, and decode checks the
    // checksum over all of them and reads the first data_size, as libewf does.
    if (c.size < 4) return Error(ErrorCode::Corruption, "a stored chunk is shorter than its checksum");
    c.size -= 4;
    if (has_checksum == 0) checksum = util::load_le32(buf + c.size);
    c.checksum = checksum;
  }
  return c;
}

}  // namespace exhibit::image

#include "image/ewf_section_check.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "image/chunk_codec.hpp"
#include "util/endian.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

namespace exhibit::image {

namespace {

// Header texts are a few KiB; a larger body is not one.
constexpr uint64_t k_max_body = 16 << 20;
constexpr size_t k_volume_size = 1052;      // EnCase volume, disk and data sections
constexpr size_t k_smart_volume_size = 94;  // SMART (EWF-S01) volume sections
constexpr size_t k_hash_size = 36;          // MD5, 16 unknown bytes, Adler-32
constexpr size_t k_digest_size = 80;        // MD5, SHA-1, 40 bytes of padding, Adler-32
constexpr size_t k_set_identifier_at = 64;

Error damaged(const SegmentLayout& seg, const SectionInfo& s, const std::string& why) {
  return Error(ErrorCode::Corruption, seg.path + ": the " + s.type + " section at offset " + std::to_string(s.offset) +
                                          " is damaged (" + why + ")");
}

// The Adler-32 in the last 4 of `size` bytes covers the bytes before it.
bool checksum_matches(const std::vector<unsigned char>& body, size_t size) {
  return body.size() >= size && adler32(body.data(), size - 4) == util::load_le32(body.data() + size - 4);
}

class SetCheck {
 public:
  Status check(const SegmentLayout& seg) {
    util::UniqueFd fd(::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno(ErrorCode::Io, "opening " + seg.path, errno);
    for (const SectionInfo& s : seg.sections) {
      if (s.size < k_ewf_section_descriptor_size) continue;  // "next" and "done" hold no body
      const bool header = s.type == "header" || s.type == "header2" || s.type == "xheader";
      const bool volume = s.type == "volume" || s.type == "disk" || s.type == "data";
      if (!header && !volume && s.type != "hash" && s.type != "digest") continue;
      const uint64_t size = s.size - k_ewf_section_descriptor_size;
      const uint64_t at = s.offset + k_ewf_section_descriptor_size;
      if (size > k_max_body || at + size > seg.file_size)
        return damaged(seg, s, "its size " + std::to_string(size) + " is impossible");
      std::vector<unsigned char> body(size);
      if (util::pread_full(fd.get(), body.data(), body.size(), at) != static_cast<long long>(body.size())) {
        return Error::from_errno(ErrorCode::Io, "reading " + seg.path, errno);
      }
      if (header && !zlib_inflate(body.data(), body.size(), k_max_body))
        return damaged(seg, s, "its compressed text does not decompress");
      if (volume) EXHIBIT_CHECK(check_volume(seg, s, body));
      if (s.type == "hash" && !checksum_matches(body, k_hash_size))
        return damaged(seg, s, "its checksum does not match");
      if (s.type == "digest" && !checksum_matches(body, k_digest_size))
        return damaged(seg, s, "its checksum does not match");
    }
    return Ok{};
  }

 private:
  Status check_volume(const SegmentLayout& seg, const SectionInfo& s, const std::vector<unsigned char>& body) {
    if (body.size() == k_smart_volume_size) {
      return checksum_matches(body, k_smart_volume_size) ? Status(Ok{})
                                                         : Status(damaged(seg, s, "its checksum does not match"));
    }
    if (!checksum_matches(body, k_volume_size)) return damaged(seg, s, "its checksum does not match");
    // Every data section repeats segment 1's volume: its set identifier and its geometry (chunk
    // count, sectors per chunk, bytes per sector, sector count).
    std::vector<unsigned char> id(body.begin() + k_set_identifier_at, body.begin() + k_set_identifier_at + 16);
    std::vector<unsigned char> geometry(body.begin() + 4, body.begin() + 24);
    if (!m_first) {
      m_first = Volume{seg.path, id, geometry};
      return Ok{};
    }
    if (id != m_first->id) {
      return Error(ErrorCode::Corruption, seg.path + ": its set identifier " + util::to_hex(id.data(), id.size()) +
                                              " does not match segment 1's (" +
                                              util::to_hex(m_first->id.data(), m_first->id.size()) +
                                              "): the file belongs to another image");
    }
    if (geometry != m_first->geometry) {
      return Error(ErrorCode::Corruption,
                   seg.path + ": its " + s.type + " section at offset " + std::to_string(s.offset) +
                       " describes other media than " + m_first->path +
                       " (chunk count or sector count differs): the file belongs to another image");
    }
    return Ok{};
  }

  struct Volume {
    std::string path;
    std::vector<unsigned char> id, geometry;
  };
  std::optional<Volume> m_first;
};

}  // namespace

Status check_section_bodies(const std::vector<SegmentLayout>& set) {
  SetCheck check;
  for (const auto& seg : set) EXHIBIT_CHECK(check.check(seg));
  return Ok{};
}

}  // namespace exhibit::image

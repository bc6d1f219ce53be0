#include "image/e01_written_chunks.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

#include "image/ewf_layout.hpp"
#include "image/segment_names.hpp"
#include "util/endian.hpp"

namespace exhibit::image {

namespace {

using util::load_le32;
using util::load_le64;

Error damaged(const std::string& path, const std::string& what) {
  return Error(ErrorCode::Corruption,
               path + ": " + what + "; the image written before the interruption cannot be continued");
}

}  // namespace

std::string WrittenChunks::segment_path(uint32_t n) const {
  return m_set_base + "." + segment_extension(n).value_or("E??");
}

Result<WrittenChunks> WrittenChunks::open(const std::string& base, const E01Checkpoint& cp) {
  WrittenChunks w;
  w.m_set_base = base;
  w.m_cp = cp;
  for (uint32_t n = 1; n < cp.segment; ++n) {
    EXHIBIT_TRY(SegmentLayout layout, read_segment_layout(w.segment_path(n)));
    if (layout.number != n || layout.closing_section() != "next") {
      return damaged(layout.path, "not a finished segment " + std::to_string(n));
    }
    for (const auto& s : layout.sections) {
      if (s.type == "table") w.m_groups.push_back({n, s.offset});
    }
  }
  for (uint64_t t : cp.closed_tables) w.m_groups.push_back({cp.segment, t});
  if (cp.group_offset != 0) w.m_groups.push_back({cp.segment, 0});
  w.m_total = cp.chunks;
  if (!w.m_groups.empty()) EXHIBIT_CHECK(w.load_group(0));
  return w;
}

Status WrittenChunks::load_group(size_t index) {
  const Group& g = m_groups[index];
  const std::string path = segment_path(g.segment);
  if (g.segment != m_open_segment) {
    m_fd = util::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!m_fd) return Error::from_errno(ErrorCode::Destination, "opening " + path, errno);
    m_open_segment = g.segment;
  }
  m_group = index;
  m_next = 0;
  if (g.table_offset == 0) {
    m_base = m_cp.group_offset;
    m_end = m_cp.file_size;
    m_entries = m_cp.entries;
    return Ok{};
  }
  unsigned char head[k_ewf_section_descriptor_size + 24];
  if (util::pread_full(m_fd.get(), head, sizeof head, g.table_offset) != static_cast<long long>(sizeof head)) {
    return damaged(path, "table at offset " + std::to_string(g.table_offset) + " cannot be read");
  }
  const unsigned char* t = head + k_ewf_section_descriptor_size;
  if (adler32(t, 20) != load_le32(t + 20))
    return damaged(path, "table at offset " + std::to_string(g.table_offset) + " fails its checksum");
  const uint32_t count = load_le32(t);
  m_base = load_le64(t + 8);
  m_end = g.table_offset;  // the group's chunks end where its table begins
  std::vector<unsigned char> raw(4 * size_t{count} + 4);
  if (util::pread_full(m_fd.get(), raw.data(), raw.size(), g.table_offset + sizeof head) !=
      static_cast<long long>(raw.size())) {
    return damaged(path, "table at offset " + std::to_string(g.table_offset) + " is cut short");
  }
  if (adler32(raw.data(), 4 * size_t{count}) != load_le32(raw.data() + 4 * size_t{count})) {
    return damaged(path, "table entries at offset " + std::to_string(g.table_offset) + " fail their checksum");
  }
  m_entries.resize(count);
  for (uint32_t i = 0; i < count; ++i) m_entries[i] = load_le32(raw.data() + 4 * size_t{i});
  return Ok{};
}

Result<EncodedChunk> WrittenChunks::next(unsigned char* out, size_t data_size) {
  while (m_next >= m_entries.size()) {
    if (m_group + 1 >= m_groups.size())
      return Error(ErrorCode::Corruption, "the image holds fewer chunks than its resume state says");
    EXHIBIT_CHECK(load_group(m_group + 1));
  }
  const std::string path = segment_path(m_open_segment);
  const uint32_t e = m_entries[m_next];
  const uint64_t at = m_base + (e & ~ewf::k_compressed_flag);
  const uint64_t end = m_next + 1 < m_entries.size() ? m_base + (m_entries[m_next + 1] & ~ewf::k_compressed_flag)
                                                     : m_end;
  ++m_next;
  EncodedChunk c;
  c.compressed = (e & ewf::k_compressed_flag) != 0;
  c.data_size = data_size;
  const uint64_t stored = end > at ? end - at : 0;
  if (stored == 0 || stored > data_size + 4 || (!c.compressed && stored != data_size + 4)) {
    return damaged(path, "chunk at offset " + std::to_string(at) + " has an impossible size (" +
                             std::to_string(stored) + " bytes)");
  }
  if (util::pread_full(m_fd.get(), out, stored, at) != static_cast<long long>(stored)) {
    return damaged(path, "chunk at offset " + std::to_string(at) + " cannot be read");
  }
  c.bytes = out;
  c.size = c.compressed ? stored : data_size;
  if (!c.compressed) c.checksum = load_le32(out + data_size);
  return c;
}

}  // namespace exhibit::image

#include "io/sector_reader.hpp"

#include <cerrno>
#include <cstring>

namespace exhibit::io {

bool is_device_gone(int sys_errno) {
  return sys_errno == ENODEV || sys_errno == ENXIO || sys_errno == ENOTCONN || sys_errno == ESHUTDOWN ||
         sys_errno == ENOMEDIUM;
}

namespace {

Error gone_error(const Error& e) { return Error(ErrorCode::SourceGone, e.message(), e.sys_errno()); }

}  // namespace

Result<RegionRead> SectorReader::read(uint64_t offset, unsigned char* buf, size_t size) {
  const uint64_t source_size = m_source.info().size;
  RegionRead out;
  if (offset >= source_size) return out;
  const size_t wanted = static_cast<size_t>(std::min<uint64_t>(size, source_size - offset));
  auto r = m_source.read_at(offset, buf, size);
  if (r) {
    if (*r < wanted) {
      return Error(ErrorCode::SourceGone, "source " + m_source.info().path + " ended at byte " +
                                              std::to_string(offset + *r) + ", before its size of " +
                                              std::to_string(source_size) + " bytes");
    }
    out.bytes = wanted;
    return out;
  }
  if (is_device_gone(r.error().sys_errno())) return gone_error(r.error());
  EXHIBIT_CHECK(read_sector_by_sector(offset, buf, size, out));
  out.bytes = wanted;
  return out;
}

Status SectorReader::read_sector_by_sector(uint64_t offset, unsigned char* buf, size_t size, RegionRead& out) {
  const uint32_t sector = m_source.info().logical_sector_size;
  const uint64_t end = std::min<uint64_t>(offset + size, m_source.info().size);
  for (uint64_t pos = offset; pos < end; pos += sector) {
    if (m_cancel != nullptr && m_cancel->load()) return Error(ErrorCode::Cancelled, "interrupted");
    unsigned char* dst = buf + (pos - offset);
    const SectorRange here{pos / sector, 1};
    bool ok = false;
    for (unsigned attempt = 0; attempt <= m_retries && !ok; ++attempt) {
      auto r = m_source.read_at(pos, dst, sector);
      if (r && *r < std::min<uint64_t>(sector, end - pos)) {
        return Error(ErrorCode::SourceGone, "source " + m_source.info().path + " ended at byte " + std::to_string(pos + *r));
      }
      if (r) {
        ok = true;
        if (attempt > 0) append_range(out.recovered, here);
      } else if (is_device_gone(r.error().sys_errno())) {
        return gone_error(r.error());
      }
    }
    if (!ok) {
      std::memset(dst, 0, sector);
      append_range(out.unreadable, here);
    }
  }
  return Ok{};
}

}  // namespace exhibit::io

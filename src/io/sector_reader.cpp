#include "io/sector_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "util/aligned_buffer.hpp"

namespace exhibit::io {

bool is_device_gone(int sys_errno) {
  return sys_errno == ENODEV || sys_errno == ENXIO || sys_errno == ENOTCONN || sys_errno == ESHUTDOWN ||
         sys_errno == ENOMEDIUM;
}

namespace {

Error gone_error(const std::string& message, int sys_errno = 0) {
  return Error(ErrorCode::SourceGone, message, sys_errno);
}

}  // namespace

Status SectorReader::check_cancel() const {
  if (m_cancel != nullptr && m_cancel->load()) return Error(ErrorCode::Cancelled, "interrupted");
  return Ok{};
}

// One read. A vanished device or a short read before the known end is a SourceGone error; an
// ordinary read failure (a bad sector) is the read's own Io error.
Result<size_t> SectorReader::attempt(uint64_t offset, unsigned char* buf, size_t size) {
  ++m_attempts;
  auto r = m_source.read_at(offset, buf, size);
  if (!r) {
    if (is_device_gone(r.error().sys_errno())) return gone_error(r.error().message(), r.error().sys_errno());
    return r.error();
  }
  const uint64_t wanted = std::min<uint64_t>(size, m_source.info().size - offset);
  if (*r < wanted) {
    EXHIBIT_CHECK(m_source.check_unchanged());  // a size change says so in its own words
    return gone_error("source " + m_source.info().path + " ended at byte " + std::to_string(offset + *r) +
                      ", before its size of " + std::to_string(m_source.info().size) + " bytes");
  }
  note_success(offset, size);
  return *r;
}

void SectorReader::note_success(uint64_t offset, size_t size) {
  const uint32_t sector = m_source.info().logical_sector_size;
  const uint64_t end = std::min<uint64_t>(offset + size, m_source.info().size);
  m_known_good = (end - 1) / sector * sector;
  m_failed_run = 0;
}

// After a long run of failures, re-read a sector that read fine before: a device that fails
// that too has gone away (cable pulled, bridge reset), and going on would zero-fill the rest.
Status SectorReader::note_failure(uint64_t sectors) {
  m_failed_run += sectors;
  if (m_failed_run < k_probe_after || !m_known_good) return Ok{};
  const uint32_t sector = m_source.info().logical_sector_size;
  util::AlignedBuffer probe(sector);
  for (int i = 0; i < 2; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto r = m_source.read_at(*m_known_good, probe.data(), sector);
    if (r && *r == std::min<uint64_t>(sector, m_source.info().size - *m_known_good)) {
      m_failed_run = 0;  // the device answers: this is a bad region
      return Ok{};
    }
    if (!r && is_device_gone(r.error().sys_errno())) break;
  }
  return gone_error("the source stopped answering: after " + std::to_string(m_failed_run) + " failed sectors, sector " +
                    std::to_string(*m_known_good / sector) +
                    ", which read fine earlier, fails too (device unplugged or reset?)");
}

Result<RegionRead> SectorReader::read(uint64_t offset, unsigned char* buf, size_t size) {
  const uint64_t source_size = m_source.info().size;
  RegionRead out;
  if (offset >= source_size) return out;
  const uint64_t end = std::min<uint64_t>(offset + size, source_size);
  out.bytes = static_cast<size_t>(end - offset);
  auto r = attempt(offset, buf, size);
  if (r) return out;
  if (r.error().code() == ErrorCode::SourceGone) return r.error();
  EXHIBIT_CHECK(rescue(offset, buf, end, out));
  EXHIBIT_CHECK(retry_edges(offset, buf, out));
  return out;
}

Status SectorReader::rescue(uint64_t offset, unsigned char* buf, uint64_t end, RegionRead& out) {
  const uint32_t sector = m_source.info().logical_sector_size;
  const uint64_t cluster = std::max<uint64_t>(sector, k_cluster_bytes / sector * sector);
  for (uint64_t c = offset; c < end; c += cluster) {
    EXHIBIT_CHECK(check_cancel());
    const uint64_t c_end = std::min(c + cluster, end);
    const auto c_len = static_cast<size_t>((c_end - c + sector - 1) / sector * sector);
    auto r = attempt(c, buf + (c - offset), c_len);
    if (r) continue;
    if (r.error().code() == ErrorCode::SourceGone) return r.error();
    for (uint64_t pos = c; pos < c_end; pos += sector) {
      EXHIBIT_CHECK(check_cancel());
      unsigned char* dst = buf + (pos - offset);
      auto s = attempt(pos, dst, sector);
      if (s) continue;
      if (s.error().code() == ErrorCode::SourceGone) return s.error();
      std::memset(dst, 0, sector);
      append_range(out.unreadable, {pos / sector, 1});
      EXHIBIT_CHECK(note_failure(1));
    }
  }
  return Ok{};
}

Status SectorReader::retry_edges(uint64_t offset, unsigned char* buf, RegionRead& out) {
  if (m_retries == 0 || out.unreadable.empty()) return Ok{};
  const uint32_t sector = m_source.info().logical_sector_size;
  // Tries one sector up to m_retries more times; true if it read.
  auto retry = [&](uint64_t s) -> Result<bool> {
    for (unsigned i = 0; i < m_retries; ++i) {
      EXHIBIT_CHECK(check_cancel());
      auto r = attempt(s * sector, buf + (s * sector - offset), sector);
      if (r) return true;
      if (r.error().code() == ErrorCode::SourceGone) return r.error();
    }
    return false;
  };
  std::vector<SectorRange> still_bad;
  for (const SectorRange& run : out.unreadable) {
    uint64_t first = run.first;
    uint64_t last = run.last();
    // From the left edge inward while sectors recover, then from the right edge.
    while (first <= last) {
      EXHIBIT_TRY(bool ok, retry(first));
      if (!ok) break;
      append_range(out.recovered, {first, 1});
      ++first;
    }
    while (last > first) {
      EXHIBIT_TRY(bool ok, retry(last));
      if (!ok) break;
      out.recovered.push_back({last, 1});
      --last;
    }
    if (first <= last) still_bad.push_back({first, last - first + 1});
  }
  out.unreadable = std::move(still_bad);
  std::sort(out.recovered.begin(), out.recovered.end(),
            [](const SectorRange& a, const SectorRange& b) { return a.first < b.first; });
  std::vector<SectorRange> merged;
  for (const auto& r : out.recovered) append_range(merged, r);
  out.recovered = std::move(merged);
  return Ok{};
}

}  // namespace exhibit::io

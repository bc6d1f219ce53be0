#include "core/destination.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "hash/file_digest.hpp"
#include "util/fd.hpp"

namespace exhibit::core {

Status Destination::create(const image::EwfWriteOptions& w, uint64_t segment_size, bool one_file) {
  switch (m_format) {
    case ImageFormat::Raw: {
      EXHIBIT_TRY(m_raw, image::RawWriter::create(m_out.partial_base(), one_file ? 0 : segment_size));
      return Ok{};
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(m_zst, image::ZstWriter::create(m_out.partial_first_segment()));
      return Ok{};
    }
    case ImageFormat::E01:
      break;
  }
  image::EwfWriteOptions mine = w;
  mine.base = m_out.partial_base();
  EXHIBIT_TRY(m_e01, image::E01Writer::create(mine));
  return Ok{};
}

Status Destination::resume(const image::EwfWriteOptions& w, const ResumeState& state, const CopyProgress& progress) {
  switch (m_format) {
    case ImageFormat::Raw: {
      EXHIBIT_TRY(m_raw, image::RawWriter::resume(m_out.partial_base(), state.one_file ? 0 : state.segment_size,
                                                   progress.media_bytes));
      return Ok{};
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(m_zst, image::ZstWriter::resume(m_out.partial_first_segment(), progress.zst_file_size,
                                                   progress.zst_frames));
      return Ok{};
    }
    case ImageFormat::E01:
      break;
  }
  image::EwfWriteOptions mine = w;
  mine.base = m_out.partial_base();
  EXHIBIT_TRY(m_e01, image::E01Writer::resume(mine, progress.writer));
  for (const auto& r : state.unreadable) m_e01->add_acquisition_error(r);
  return Ok{};
}

Status Destination::checkpoint(CopyProgress& state) {
  Status st = Ok{};
  if (m_e01) {
    auto cp = m_e01->checkpoint();
    if (cp) state.writer = std::move(*cp);
    st = cp ? Status(Ok{}) : Status(cp.error());
  } else if (m_raw) {
    auto bytes = m_raw->checkpoint();
    if (bytes) state.media_bytes = *bytes;
    st = bytes ? Status(Ok{}) : Status(bytes.error());
  } else if (m_zst) {
    st = m_zst->sync();
    if (st) {
      state.zst_file_size = m_zst->file_size();
      state.zst_frames = m_zst->entries().size();
      state.media_bytes = m_zst->media_bytes();
    }
  }
  if (!st) m_broken = true;
  return st;
}

Status Destination::write(const Block& b) {
  Status st = Ok{};
  if (m_e01) {
    for (const auto& c : b.chunks) {
      st = m_e01->write_chunk(c);
      if (!st) break;
    }
  } else if (m_raw) {
    st = m_raw->write(b.data.data(), b.size);
  } else if (m_zst) {
    st = m_zst->write_frame(b.chunks.front());
  }
  if (!st) m_broken = true;
  return st;
}

Status Destination::finish(const std::string& md5, const std::string& sha1, const std::string& record_text) {
  Status st = Ok{};
  if (m_e01) st = m_e01->finish(md5, sha1);
  if (m_raw) st = m_raw->finish();
  if (m_zst) st = m_zst->finish(record_text);
  if (!st) m_broken = true;
  return st;
}

Result<std::vector<SegmentFile>> Destination::hash_segments(unsigned threads) const {
  const auto renames = m_out.segment_renames();  // last first
  if (renames.empty()) return Error(ErrorCode::Destination, "no segment file was written for " + m_out.base());
  std::vector<std::string> written;
  for (auto it = renames.rbegin(); it != renames.rend(); ++it) {
    written.push_back(it->first);
    // Durable before a finishing state can say they are complete.
    util::UniqueFd fd(::open(it->first.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) != 0) return Error::from_errno(ErrorCode::Destination, "syncing " + it->first, errno);
  }
  std::vector<SegmentFile> out;
  const auto digests = hash::digest_files(written, "sha256", threads, ErrorCode::Destination);
  for (size_t i = 0; i < digests.size(); ++i) {
    if (!digests[i]) return digests[i].error();
    out.push_back({renames[renames.size() - 1 - i].second, digests[i]->size, digests[i]->hex});
  }
  return out;
}

}  // namespace exhibit::core

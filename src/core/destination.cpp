#include "core/destination.hpp"

#include "hash/file_digest.hpp"

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

Result<std::vector<SegmentFile>> Destination::commit(unsigned threads) {
  const auto written = m_out.partial_segments();
  std::vector<hash::FileDigest> hashed;
  for (auto& h : hash::digest_files(written, "sha256", threads, ErrorCode::Destination)) {
    if (!h) return h.error();
    hashed.push_back(std::move(*h));
  }
  EXHIBIT_TRY(const std::vector<std::string> names, m_out.commit_segments());
  if (names.size() != hashed.size()) {
    return Error(ErrorCode::Destination, "the segment files of " + m_out.base() + " changed while they were being renamed");
  }
  m_committed = true;
  std::vector<SegmentFile> out;
  for (size_t i = 0; i < names.size(); ++i) out.push_back({names[i], hashed[i].size, hashed[i].hex});
  return out;
}

}  // namespace exhibit::core

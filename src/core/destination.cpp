#include "core/destination.hpp"

#include <algorithm>
#include <cstddef>

#include "hash/file_digest.hpp"

namespace exhibit::core {

namespace {

// The raw copy's span digests, taken over from `p`; the span still open at the interruption is
// hashed again from the files (which RawWriter::resume has checked for size).
Result<SpanDigests> resumed_spans(const OutputSet& out, uint64_t segment_size, const CopyProgress& p) {
  const uint64_t span = p.span_bytes;
  if (span == 0 || p.written_sha256.size() != SpanDigests::spans_for(p.media_bytes, span)) {
    return Error(ErrorCode::Corruption, "the resume state's digests of " + out.partial_first_segment() +
                                            " do not cover the " + std::to_string(p.media_bytes) +
                                            " bytes written; not resumed");
  }
  const auto whole = static_cast<std::ptrdiff_t>(p.media_bytes / span);
  EXHIBIT_TRY(SpanDigests d, SpanDigests::create(span, {p.written_sha256.begin(), p.written_sha256.begin() + whole}));
  if (d.bytes() == p.media_bytes) return d;
  EXHIBIT_TRY(auto reader, image::RawReader::open(out.partial_first_segment()));
  std::vector<unsigned char> buf(4 << 20);
  for (uint64_t at = d.bytes(); at < p.media_bytes;) {
    const auto n = static_cast<size_t>(std::min<uint64_t>(buf.size(), p.media_bytes - at));
    EXHIBIT_CHECK(reader->read_at(at, buf.data(), n));
    d.update(buf.data(), n);
    at += n;
  }
  if (auto bad = d.first_difference(p.written_sha256, /*at_end=*/true)) {
    return written_span_differs(out.partial_base(), segment_size, *bad);
  }
  return d;
}

}  // namespace

Status Destination::create(const image::EwfWriteOptions& w, uint64_t segment_size, bool one_file) {
  switch (m_format) {
    case ImageFormat::Raw: {
      EXHIBIT_TRY(m_raw, image::RawWriter::create(m_out.partial_base(), one_file ? 0 : segment_size, *m_env));
      EXHIBIT_TRY(m_spans, SpanDigests::create(SpanDigests::span_bytes_for(w.media_size)));
      return Ok{};
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(m_zst, image::ZstWriter::create(m_out.partial_first_segment(), *m_env));
      return Ok{};
    }
    case ImageFormat::E01:
      break;
  }
  image::EwfWriteOptions mine = w;
  mine.base = m_out.partial_base();
  EXHIBIT_TRY(m_e01, image::E01Writer::create(mine, *m_env));
  return Ok{};
}

Status Destination::resume(const image::EwfWriteOptions& w, const ResumeState& state, const CopyProgress& progress) {
  switch (m_format) {
    case ImageFormat::Raw: {
      const uint64_t segment_size = state.one_file ? 0 : state.segment_size;
      EXHIBIT_TRY(auto writer,
                  image::RawWriter::resume(m_out.partial_base(), segment_size, progress.media_bytes, *m_env));
      EXHIBIT_TRY(m_spans, resumed_spans(m_out, segment_size, progress));
      m_raw = std::move(writer);
      return Ok{};
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(m_zst, image::ZstWriter::resume(m_out.partial_first_segment(), progress.zst_file_size,
                                                   progress.zst_frames, *m_env));
      return Ok{};
    }
    case ImageFormat::E01:
      break;
  }
  image::EwfWriteOptions mine = w;
  mine.base = m_out.partial_base();
  EXHIBIT_TRY(m_e01, image::E01Writer::resume(mine, progress.writer, *m_env));
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
    if (bytes) {
      state.media_bytes = *bytes;
      state.span_bytes = m_spans->span_bytes();
      state.written_sha256 = m_spans->digests();
    }
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
    if (st) m_spans->update(b.data.data(), b.size);
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
    EXHIBIT_CHECK(m_env->sync_file(it->first));
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

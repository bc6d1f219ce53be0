#include "core/written_prefix.hpp"

#include <fcntl.h>

#include <cerrno>

namespace exhibit::core {

namespace {

Error damaged(uint64_t first, uint64_t size) {
  return Error(ErrorCode::Corruption, "the image written before the interruption is damaged at media bytes " +
                                          std::to_string(first) + "-" + std::to_string(first + size - 1) +
                                          ": it cannot be continued (start again with --force)");
}

}  // namespace

Result<std::unique_ptr<WrittenPrefix>> WrittenPrefix::open(const Destination& d, const ResumeState& state,
                                                           const CopyProgress& progress, uint64_t bytes, uint64_t chunk,
                                                           uint64_t media_size) {
  std::unique_ptr<WrittenPrefix> p(new WrittenPrefix());
  p->m_format = state.format;
  p->m_bytes = bytes;
  p->m_chunk = chunk;
  p->m_media_size = media_size;
  const OutputSet& out = d.out();
  switch (state.format) {
    case ImageFormat::E01: {
      EXHIBIT_TRY(image::WrittenChunks w, image::WrittenChunks::open(out.partial_base(), progress.writer));
      p->m_e01.emplace(std::move(w));
      break;
    }
    case ImageFormat::Raw: {
      EXHIBIT_TRY(p->m_raw, image::RawReader::open(out.partial_first_segment()));
      EXHIBIT_TRY(p->m_spans, SpanDigests::create(progress.span_bytes));
      p->m_written = progress.written_sha256;
      p->m_raw_base = out.partial_base();
      p->m_raw_segment_size = state.one_file ? 0 : state.segment_size;
      break;
    }
    case ImageFormat::Zst: {
      const std::string path = out.partial_first_segment();
      p->m_zst = util::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!p->m_zst) return Error::from_errno(ErrorCode::Destination, "opening " + path, errno);
      p->m_zst_writer = d.zst();
      if (p->m_zst_writer == nullptr) return Error(ErrorCode::InvalidArgument, "no zst writer to resume");
      break;
    }
  }
  return p;
}

Status WrittenPrefix::read(Block& b, uint64_t offset, size_t capacity) {
  b.offset = offset;
  b.stored = true;
  const uint64_t end = std::min<uint64_t>(m_bytes, offset + capacity);
  switch (m_format) {
    case ImageFormat::E01: {
      size_t used = 0;
      for (uint64_t pos = offset; pos < end; pos += m_chunk) {
        const auto n = static_cast<size_t>(std::min<uint64_t>(m_chunk, m_media_size - pos));
        EXHIBIT_TRY(image::EncodedChunk c, m_e01->next(b.encoded.data() + used, n));
        used += c.compressed ? c.size : c.size + 4;
        b.chunks.push_back(c);
      }
      b.size = static_cast<size_t>(end - offset);
      return Ok{};
    }
    case ImageFormat::Raw: {
      b.size = static_cast<size_t>(end - offset);
      EXHIBIT_CHECK(m_raw->read_at(offset, b.data.data(), b.size));
      m_spans->update(b.data.data(), b.size);
      if (auto bad = m_spans->first_difference(m_written, /*at_end=*/end == m_bytes)) {
        return written_span_differs(m_raw_base, m_raw_segment_size, *bad);
      }
      return Ok{};
    }
    case ImageFormat::Zst: {
      // One frame a block, as they were written.
      const auto& entries = m_zst_writer->entries();
      if (m_frame >= entries.size()) return Error(ErrorCode::Corruption, "the image holds fewer frames than its resume state says");
      const auto& e = entries[m_frame];
      if (e.decompressed > capacity || e.compressed > b.encoded.size()) return damaged(offset, e.decompressed);
      if (util::pread_full(m_zst.get(), b.encoded.data(), e.compressed, m_frame_offset) != static_cast<long long>(e.compressed)) {
        return damaged(offset, e.decompressed);
      }
      b.chunks.push_back({b.encoded.data(), e.compressed, e.decompressed, true, 0});
      b.size = e.decompressed;
      m_frame_offset += e.compressed;
      ++m_frame;
      return Ok{};
    }
  }
  return Ok{};
}

Status WrittenPrefix::decode(Block& b) const {
  size_t pos = 0;
  for (const auto& c : b.chunks) {
    const bool ok = m_format == ImageFormat::Zst
                        ? image::decode_frame(c.bytes, c.size, b.data.data() + pos, c.data_size)
                        : image::decode_chunk(c.bytes, c.size, c.compressed, c.checksum, b.data.data() + pos,
                                              c.data_size) == image::DecodeStatus::Ok;
    if (!ok) return damaged(b.offset + pos, c.data_size);
    pos += c.data_size;
  }
  return Ok{};  // raw: read straight into b.data, nothing to decode
}

}  // namespace exhibit::core

#include "image/image_writer.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>

#include "image/e01_written_chunks.hpp"
#include "image/raw_image.hpp"
#include "image/written_spans.hpp"
#include "image/zst_image.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

Error damaged_prefix(uint64_t first, uint64_t size) {
  return Error(ErrorCode::Corruption, "the image written before the interruption is damaged at media bytes " +
                                          std::to_string(first) + "-" + std::to_string(first + size - 1) +
                                          " and cannot be continued");
}

uint64_t held_bytes(ImageFormat format, const WriterProgress& p, uint64_t chunk_bytes) {
  return format == ImageFormat::E01 ? p.e01.chunks * chunk_bytes : p.media_bytes;
}

bool resume_needs_written_digests(ImageFormat format) { return format == ImageFormat::Raw; }

namespace {

// ---- E01: chunks through our EWF writer; read back through the chunk tables (and the saved
// open table) of the segments written so far.

class E01Prefix final : public PrefixReader {
 public:
  E01Prefix(WrittenChunks chunks, uint64_t bytes, uint64_t chunk, uint64_t media_size)
      : m_chunks(std::move(chunks)), m_bytes(bytes), m_chunk(chunk), m_media_size(media_size) {}
  Result<size_t> read(uint64_t offset, size_t capacity, unsigned char* encoded, size_t, unsigned char*,
                      std::vector<EncodedChunk>& units) override {
    const uint64_t end = std::min<uint64_t>(m_bytes, offset + capacity);
    size_t used = 0;
    for (uint64_t pos = offset; pos < end; pos += m_chunk) {
      const auto n = static_cast<size_t>(std::min<uint64_t>(m_chunk, m_media_size - pos));
      EXHIBIT_TRY(EncodedChunk c, m_chunks.next(encoded + used, n));
      used += c.compressed ? c.size : c.size + 4;
      units.push_back(c);
    }
    return static_cast<size_t>(end - offset);
  }
  Status decode(uint64_t offset, const std::vector<EncodedChunk>& units, unsigned char* data) const override {
    size_t pos = 0;
    for (const auto& c : units) {
      if (decode_chunk(c.bytes, c.size, c.compressed, c.checksum, data + pos, c.data_size) != DecodeStatus::Ok) {
        return damaged_prefix(offset + pos, c.data_size);
      }
      pos += c.data_size;
    }
    return Ok{};
  }

 private:
  WrittenChunks m_chunks;
  uint64_t m_bytes, m_chunk, m_media_size;
};

class E01ImageWriter final : public ImageWriter {
 public:
  E01ImageWriter(std::unique_ptr<E01Writer> w, std::string base, uint64_t media_size)
      : m_w(std::move(w)), m_base(std::move(base)), m_media_size(media_size) {}
  Status write(const BlockToWrite& block) override {
    for (const auto& c : block.units) EXHIBIT_CHECK(m_w->write_chunk(c));
    return Ok{};
  }
  void add_acquisition_error(const SectorRange& range) override { m_w->add_acquisition_error(range); }
  std::vector<hash::FileDigest> hashed_files() const override { return m_w->hashed_files(); }
  Status checkpoint(WriterProgress& progress) override {
    EXHIBIT_TRY(progress.e01, m_w->checkpoint());
    return Ok{};
  }
  Status finish(const std::string& md5, const std::string& sha1, const std::string&) override {
    return m_w->finish(md5, sha1);
  }
  Result<std::unique_ptr<PrefixReader>> read_back(const WriterProgress& progress, uint64_t bytes,
                                                  uint64_t chunk_bytes) const override {
    EXHIBIT_TRY(WrittenChunks chunks, WrittenChunks::open(m_base, progress.e01));
    return std::unique_ptr<PrefixReader>(new E01Prefix(std::move(chunks), bytes, chunk_bytes, m_media_size));
  }

 private:
  std::unique_ptr<E01Writer> m_w;
  std::string m_base;
  uint64_t m_media_size;
};

// ---- raw: the media bytes as they are, with SHA-256 digests of fixed spans kept in the resume
// state (raw files carry no checksum of their own).

class RawPrefix final : public PrefixReader {
 public:
  RawPrefix(std::unique_ptr<RawReader> r, SpanDigests spans, std::vector<std::string> written, std::string base,
            uint64_t segment_size, uint64_t bytes)
      : m_r(std::move(r)),
        m_spans(std::move(spans)),
        m_written(std::move(written)),
        m_base(std::move(base)),
        m_segment_size(segment_size),
        m_bytes(bytes) {}
  Result<size_t> read(uint64_t offset, size_t capacity, unsigned char*, size_t, unsigned char* data,
                      std::vector<EncodedChunk>&) override {
    const uint64_t end = std::min<uint64_t>(m_bytes, offset + capacity);
    const auto size = static_cast<size_t>(end - offset);
    EXHIBIT_CHECK(m_r->read_at(offset, data, size));
    m_spans.update(data, size);
    if (auto bad = m_spans.first_difference(m_written, /*at_end=*/end == m_bytes)) {
      return written_span_differs(m_base, m_segment_size, *bad);
    }
    return size;
  }
  Status decode(uint64_t, const std::vector<EncodedChunk>&, unsigned char*) const override {
    return Ok{};  // read straight into the media bytes, checked as read
  }

 private:
  std::unique_ptr<RawReader> m_r;
  SpanDigests m_spans;
  std::vector<std::string> m_written;
  std::string m_base;
  uint64_t m_segment_size, m_bytes;
};

class RawImageWriter final : public ImageWriter {
 public:
  RawImageWriter(std::unique_ptr<RawWriter> w, SpanDigests spans, std::string base, uint64_t segment_size)
      : m_w(std::move(w)), m_spans(std::move(spans)), m_base(std::move(base)), m_segment_size(segment_size) {}
  Status write(const BlockToWrite& block) override {
    EXHIBIT_CHECK(m_w->write(block.data, block.size));
    m_spans.update(block.data, block.size);
    return Ok{};
  }
  Status checkpoint(WriterProgress& progress) override {
    EXHIBIT_TRY(progress.media_bytes, m_w->checkpoint());
    progress.span_bytes = m_spans.span_bytes();
    progress.written_sha256 = m_spans.digests();
    return Ok{};
  }
  Status finish(const std::string&, const std::string&, const std::string&) override { return m_w->finish(); }
  Result<std::unique_ptr<PrefixReader>> read_back(const WriterProgress& progress, uint64_t bytes,
                                                  uint64_t) const override {
    EXHIBIT_TRY(auto reader, RawReader::open(raw_segment_path(m_base, m_segment_size, 1)));
    EXHIBIT_TRY(SpanDigests spans, SpanDigests::create(progress.span_bytes));
    return std::unique_ptr<PrefixReader>(
        new RawPrefix(std::move(reader), std::move(spans), progress.written_sha256, m_base, m_segment_size, bytes));
  }

 private:
  std::unique_ptr<RawWriter> m_w;
  SpanDigests m_spans;
  std::string m_base;
  uint64_t m_segment_size;
};

// The raw copy's span digests, taken over from `p`; the span still open at the interruption is
// hashed again from the files (which RawWriter::resume has checked for size).
Result<SpanDigests> resumed_spans(const std::string& base, uint64_t segment_size, const WriterProgress& p) {
  const uint64_t span = p.span_bytes;
  if (span == 0 || p.written_sha256.size() != SpanDigests::spans_for(p.media_bytes, span)) {
    return Error(ErrorCode::Corruption, "the resume state's digests of " + raw_segment_path(base, segment_size, 1) +
                                            " do not cover the " + std::to_string(p.media_bytes) +
                                            " bytes written; not resumed");
  }
  const auto whole = static_cast<std::ptrdiff_t>(p.media_bytes / span);
  EXHIBIT_TRY(SpanDigests d, SpanDigests::create(span, {p.written_sha256.begin(), p.written_sha256.begin() + whole}));
  if (d.bytes() == p.media_bytes) return d;
  EXHIBIT_TRY(auto reader, RawReader::open(raw_segment_path(base, segment_size, 1)));
  std::vector<unsigned char> buf(4 << 20);
  for (uint64_t at = d.bytes(); at < p.media_bytes;) {
    const auto n = static_cast<size_t>(std::min<uint64_t>(buf.size(), p.media_bytes - at));
    EXHIBIT_CHECK(reader->read_at(at, buf.data(), n));
    d.update(buf.data(), n);
    at += n;
  }
  if (auto bad = d.first_difference(p.written_sha256, /*at_end=*/true)) {
    return written_span_differs(base, segment_size, *bad);
  }
  return d;
}

// ---- seekable zstd: one frame a block; read back through the seek entries the writer rebuilt
// from the frames' own headers when it resumed.

class ZstPrefix final : public PrefixReader {
 public:
  ZstPrefix(util::UniqueFd fd, const ZstWriter* writer) : m_fd(std::move(fd)), m_writer(writer) {}
  Result<size_t> read(uint64_t offset, size_t capacity, unsigned char* encoded, size_t encoded_capacity, unsigned char*,
                      std::vector<EncodedChunk>& units) override {
    const auto& entries = m_writer->entries();
    if (m_frame >= entries.size())
      return Error(ErrorCode::Corruption, "the image holds fewer frames than its resume state says");
    const auto& e = entries[m_frame];
    if (e.decompressed > capacity || e.compressed > encoded_capacity) return damaged_prefix(offset, e.decompressed);
    if (util::pread_full(m_fd.get(), encoded, e.compressed, m_frame_offset) != static_cast<long long>(e.compressed)) {
      return damaged_prefix(offset, e.decompressed);
    }
    units.push_back({encoded, e.compressed, e.decompressed, true, 0});
    m_frame_offset += e.compressed;
    ++m_frame;
    return static_cast<size_t>(e.decompressed);
  }
  Status decode(uint64_t offset, const std::vector<EncodedChunk>& units, unsigned char* data) const override {
    size_t pos = 0;
    for (const auto& c : units) {
      if (!decode_frame(c.bytes, c.size, data + pos, c.data_size)) return damaged_prefix(offset + pos, c.data_size);
      pos += c.data_size;
    }
    return Ok{};
  }

 private:
  util::UniqueFd m_fd;
  const ZstWriter* m_writer;
  uint64_t m_frame = 0, m_frame_offset = 0;
};

class ZstImageWriter final : public ImageWriter {
 public:
  explicit ZstImageWriter(std::unique_ptr<ZstWriter> w) : m_w(std::move(w)) {}
  Status write(const BlockToWrite& block) override {
    if (block.units.empty()) return Error(ErrorCode::InvalidArgument, "a block without its zstd frame");
    return m_w->write_frame(block.units.front());  // one frame per block
  }
  Status checkpoint(WriterProgress& progress) override {
    EXHIBIT_CHECK(m_w->sync());
    progress.zst_file_size = m_w->file_size();
    progress.zst_frames = m_w->entries().size();
    progress.media_bytes = m_w->media_bytes();
    return Ok{};
  }
  Status finish(const std::string&, const std::string&, const std::string& record_text) override {
    return m_w->finish(record_text);
  }
  Result<std::unique_ptr<PrefixReader>> read_back(const WriterProgress&, uint64_t, uint64_t) const override {
    util::UniqueFd fd(::open(m_w->path().c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno(ErrorCode::Destination, "opening " + m_w->path(), errno);
    return std::unique_ptr<PrefixReader>(new ZstPrefix(std::move(fd), m_w.get()));
  }

 private:
  std::unique_ptr<ZstWriter> m_w;
};

io::Env& env_of(const WriterSetup& s) { return s.env != nullptr ? *s.env : io::posix_env(); }

EwfWriteOptions named(const WriterSetup& s) {
  EwfWriteOptions o = s.ewf;
  o.base = s.base;
  return o;
}

}  // namespace

Result<std::unique_ptr<ImageWriter>> create_writer(const WriterSetup& s) {
  switch (s.format) {
    case ImageFormat::Raw: {
      EXHIBIT_TRY(auto w, RawWriter::create(s.base, s.segment_size, env_of(s)));
      EXHIBIT_TRY(SpanDigests spans, SpanDigests::create(SpanDigests::span_bytes_for(s.ewf.media_size)));
      return std::unique_ptr<ImageWriter>(new RawImageWriter(std::move(w), std::move(spans), s.base, s.segment_size));
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(auto w, ZstWriter::create(s.base + ".zst", env_of(s)));
      return std::unique_ptr<ImageWriter>(new ZstImageWriter(std::move(w)));
    }
    case ImageFormat::E01: break;
  }
  EXHIBIT_TRY(auto w, E01Writer::create(named(s), env_of(s)));
  return std::unique_ptr<ImageWriter>(new E01ImageWriter(std::move(w), s.base, s.ewf.media_size));
}

Result<std::unique_ptr<ImageWriter>> resume_writer(const WriterSetup& s, const WriterProgress& p,
                                                   const std::vector<SectorRange>& unreadable) {
  switch (s.format) {
    case ImageFormat::Raw: {
      EXHIBIT_TRY(auto w, RawWriter::resume(s.base, s.segment_size, p.media_bytes, env_of(s)));
      EXHIBIT_TRY(SpanDigests spans, resumed_spans(s.base, s.segment_size, p));
      return std::unique_ptr<ImageWriter>(new RawImageWriter(std::move(w), std::move(spans), s.base, s.segment_size));
    }
    case ImageFormat::Zst: {
      EXHIBIT_TRY(auto w, ZstWriter::resume(s.base + ".zst", p.zst_file_size, p.zst_frames, env_of(s)));
      return std::unique_ptr<ImageWriter>(new ZstImageWriter(std::move(w)));
    }
    case ImageFormat::E01: break;
  }
  EXHIBIT_TRY(auto w, E01Writer::resume(named(s), p.e01, env_of(s)));
  for (const auto& r : unreadable) w->add_acquisition_error(r);
  return std::unique_ptr<ImageWriter>(new E01ImageWriter(std::move(w), s.base, s.ewf.media_size));
}

}  // namespace exhibit::image

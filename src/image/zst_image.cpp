#include "image/zst_image.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "report/record.hpp"
#include "util/endian.hpp"

namespace exhibit::image {

namespace {

constexpr size_t k_max_frame = 64 << 20;
constexpr size_t k_min_frame = 4 << 10;

using util::load_le32;

void put32(std::vector<unsigned char>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

Error damaged(const std::string& path, const std::string& what) {
  return Error(ErrorCode::Corruption, path + ": " + what);
}

// The extent of the zstd frame at `offset` (ending by `limit`), read from its header and block
// headers only: a few bytes per 128 KiB block, never the data.
Result<zst::SeekEntry> frame_extent(int fd, uint64_t offset, uint64_t limit) {
  unsigned char h[18];  // the largest frame header
  const auto n = static_cast<size_t>(std::min<uint64_t>(sizeof h, limit - offset));
  if (util::pread_full(fd, h, n, offset) != static_cast<long long>(n) || n < 6 || load_le32(h) != ZSTD_MAGICNUMBER) {
    return Error(ErrorCode::Corruption, "is not a zstd frame");
  }
  // Frame header descriptor: content size field size, single segment, checksum, dictionary id size.
  const unsigned fhd = h[4], fcs = fhd >> 6, single = (fhd >> 5) & 1, did = fhd & 3;
  const size_t header = 5 + (single ? 0 : 1) + (did == 3 ? 4 : did) + (fcs == 0 ? single : 1u << fcs);
  const unsigned long long content = ZSTD_getFrameContentSize(h, n);
  if (header > n || content == ZSTD_CONTENTSIZE_UNKNOWN || content == ZSTD_CONTENTSIZE_ERROR || content > k_max_frame) {
    return Error(ErrorCode::Corruption, "has a damaged header");
  }
  const bool checksum = (h[4] & 0x04) != 0;
  uint64_t pos = offset + header;
  for (;;) {
    unsigned char b[3];
    if (pos + 3 > limit || util::pread_full(fd, b, 3, pos) != 3) return Error(ErrorCode::Corruption, "is cut short");
    const uint32_t v = b[0] | (b[1] << 8) | (uint32_t{b[2]} << 16);
    const uint32_t type = (v >> 1) & 3, size = v >> 3;
    if (type == 3) return Error(ErrorCode::Corruption, "has a reserved block type");
    pos += 3 + (type == 1 ? 1 : size);
    if (pos > limit) return Error(ErrorCode::Corruption, "is cut short");
    if ((v & 1) != 0) break;
  }
  if (checksum) pos += 4;
  if (pos > limit) return Error(ErrorCode::Corruption, "is cut short");
  return zst::SeekEntry{static_cast<uint32_t>(pos - offset), static_cast<uint32_t>(content)};
}

// A seek table entry checked against the frame it points to (the frame's header only): a table
// that disagrees with the frames is damage, not another format.
Status entry_matches_frame(int fd, uint64_t offset, uint32_t compressed, uint32_t decompressed) {
  unsigned char h[18];  // the largest frame header
  const auto n = std::min<size_t>(sizeof h, compressed);
  if (n < 8 || util::pread_full(fd, h, n, offset) != static_cast<long long>(n)) {
    return Error(ErrorCode::Corruption,
                 "it gives a frame of " + std::to_string(compressed) + " bytes, too short for one");
  }
  const uint32_t magic = load_le32(h);
  if ((magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START) {
    if (decompressed == 0) return Ok{};
    return Error(ErrorCode::Corruption,
                 "it gives " + std::to_string(decompressed) + " media bytes to a skippable frame");
  }
  if (magic != ZSTD_MAGICNUMBER) return Error(ErrorCode::Corruption, "no zstd frame starts there");
  const unsigned long long content = ZSTD_getFrameContentSize(h, n);
  if (content != decompressed) {
    return Error(ErrorCode::Corruption,
                 "the frame there holds " +
                     (content > k_max_frame ? std::string("an unknown number of") : std::to_string(content)) +
                     " media bytes, the table says " + std::to_string(decompressed));
  }
  return Ok{};
}

}  // namespace

namespace zst {

FrameEncoder::FrameEncoder(int level) : m_ctx(ZSTD_createCCtx()) {
  ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_contentSizeFlag, 1);
}

FrameEncoder::~FrameEncoder() { ZSTD_freeCCtx(m_ctx); }

size_t FrameEncoder::bound(size_t size) { return ZSTD_compressBound(size); }

Result<EncodedChunk> FrameEncoder::encode(const unsigned char* data, size_t size, unsigned char* out, size_t capacity) {
  const size_t n = ZSTD_compress2(m_ctx, out, capacity, data, size);
  if (ZSTD_isError(n)) return Error(ErrorCode::Io, std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
  return EncodedChunk{out, n, size, /*compressed=*/true, 0};
}

}  // namespace zst

Result<std::unique_ptr<ZstWriter>> ZstWriter::create(const std::string& path, io::Env& env) {
  std::unique_ptr<ZstWriter> w(new ZstWriter());
  w->m_path = path;
  EXHIBIT_TRY(w->m_file, env.open(path, io::OpenMode::New));  // never through a file already there
  return w;
}

Result<std::unique_ptr<ZstWriter>> ZstWriter::resume(const std::string& path, uint64_t file_size, uint64_t frames,
                                                     io::Env& env) {
  std::unique_ptr<ZstWriter> w(new ZstWriter());
  w->m_path = path;
  EXHIBIT_TRY(w->m_file, env.open(path, io::OpenMode::Existing));
  EXHIBIT_TRY(const uint64_t size, w->m_file->size());
  if (size < file_size) {
    return Error(ErrorCode::Corruption, path + " is shorter than the bytes saved as written: cannot resume");
  }
  EXHIBIT_CHECK(w->m_file->truncate(file_size));
  // Each frame's compressed size from its own block headers, its media size from its header
  // (read through a descriptor of its own: reading is not the Env's).
  const util::UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return Error::from_errno(ErrorCode::Destination, "opening " + path, errno);
  uint64_t offset = 0;
  for (uint64_t i = 0; i < frames; ++i) {
    auto e = frame_extent(in.get(), offset, file_size);
    if (!e) {
      return damaged(path, "frame " + std::to_string(i) + " (at byte " + std::to_string(offset) + ") " +
                               e.error().message() + "; the image written before the interruption cannot be continued");
    }
    w->m_entries.push_back(*e);
    w->m_media += e->decompressed;
    offset += e->compressed;
  }
  if (offset != file_size) return damaged(path, "its frames do not end where the saved state says");
  w->m_size = file_size;
  return w;
}

Status ZstWriter::append(const void* data, size_t size) {
  EXHIBIT_CHECK(m_file->append(data, size));
  m_size += size;
  return Ok{};
}

Status ZstWriter::sync() { return m_file->sync_data(); }

Status ZstWriter::write_frame(const EncodedChunk& frame) {
  EXHIBIT_CHECK(append(frame.bytes, frame.size));
  m_entries.push_back({static_cast<uint32_t>(frame.size), static_cast<uint32_t>(frame.data_size)});
  m_media += frame.data_size;
  return Ok{};
}

Status ZstWriter::finish(const std::string& record_text) {
  std::vector<unsigned char> b;
  if (!record_text.empty() && record_text.size() <= zst::k_max_record) {
    put32(b, zst::k_record_magic);
    put32(b, static_cast<uint32_t>(record_text.size()));
    b.insert(b.end(), record_text.begin(), record_text.end());
    m_entries.push_back({static_cast<uint32_t>(b.size()), 0});
  }
  put32(b, zst::k_seek_table_magic);
  put32(b, static_cast<uint32_t>(8 * m_entries.size() + zst::k_footer_size));
  for (const auto& e : m_entries) {
    put32(b, e.compressed);
    put32(b, e.decompressed);
  }
  put32(b, static_cast<uint32_t>(m_entries.size()));
  b.push_back(0);  // descriptor: no per-frame checksums in the table (each frame carries its own)
  put32(b, zst::k_seekable_magic);
  EXHIBIT_CHECK(append(b.data(), b.size()));
  EXHIBIT_CHECK(m_file->sync());
  const auto file = std::move(m_file);
  return file->close();
}

ZstReader::~ZstReader() = default;

Result<std::unique_ptr<ZstReader>> ZstReader::open(const std::string& path) {
  std::unique_ptr<ZstReader> r(new ZstReader());
  r->m_fd = util::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!r->m_fd) return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, path, errno);
  struct stat st {};
  if (::fstat(r->m_fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return Error(ErrorCode::InvalidArgument, path + ": not a regular file");
  const auto file_size = static_cast<uint64_t>(st.st_size);
  unsigned char footer[zst::k_footer_size];
  if (file_size < 8 + zst::k_footer_size ||
      util::pread_full(r->m_fd.get(), footer, sizeof footer, file_size - sizeof footer) !=
          static_cast<long long>(sizeof footer)) {
    return damaged(path, "too short for a seekable zstd image");
  }
  if (load_le32(footer + 5) != zst::k_seekable_magic) {
    return damaged(path, "no seek table at the end (not a seekable zstd image, or cut short)");
  }
  // A table that cannot be what its footer says is damage; one we cannot read is Unsupported.
  const uint32_t count = load_le32(footer);
  const uint8_t descriptor = footer[4];
  if ((descriptor & 0x7C) != 0) return damaged(path, "the seek table's descriptor has reserved bits set");
  const uint64_t entry_size = (descriptor & 0x80) ? 12 : 8;
  const uint64_t table_size = 8 + count * entry_size + zst::k_footer_size;
  if (table_size > file_size) return damaged(path, "the seek table claims more frames than the file holds");
  if (count > zst::k_max_frames) return Error(ErrorCode::Unsupported, path + ": more than 2^24 frames");
  const uint64_t table_at = file_size - table_size;
  std::vector<unsigned char> table(table_size);
  if (util::pread_full(r->m_fd.get(), table.data(), table.size(), table_at) != static_cast<long long>(table.size())) {
    return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
  }
  if (load_le32(table.data()) != zst::k_seek_table_magic || load_le32(table.data() + 4) != table_size - 8) {
    return damaged(path, "the seek table's frame header does not match its footer");
  }
  uint64_t offset = 0, media = 0;
  ImageInfo& info = r->m_info;
  for (uint32_t i = 0; i < count; ++i) {
    const unsigned char* e = table.data() + 8 + i * entry_size;
    const uint32_t csize = load_le32(e), dsize = load_le32(e + 4);
    if (offset + csize > table_at) return damaged(path, "frame " + std::to_string(i) + " runs past the seek table");
    if (auto matches = entry_matches_frame(r->m_fd.get(), offset, csize, dsize); !matches) {
      return damaged(path, "seek table entry " + std::to_string(i) + " disagrees with the frame at byte " +
                               std::to_string(offset) + ": " + matches.error().message());
    }
    if (dsize == 0) {
      unsigned char head[8];
      if (csize >= 8 && util::pread_full(r->m_fd.get(), head, 8, offset) == 8 &&
          load_le32(head) == zst::k_record_magic) {
        const uint32_t n = load_le32(head + 4);
        if (n != csize - 8 || n > zst::k_max_record) return damaged(path, "the record frame's size is inconsistent");
        r->m_record.resize(n);
        if (util::pread_full(r->m_fd.get(), r->m_record.data(), n, offset + 8) != static_cast<long long>(n)) {
          return damaged(path, "the record frame cannot be read");
        }
      }
    } else {
      // Ours are 4 MiB (32 MiB at most, for the largest media); a reader must not trust more.
      if (dsize > k_max_frame)
        return Error(ErrorCode::Unsupported, path + ": frame " + std::to_string(i) + " is larger than 64 MiB");
      if (csize > ZSTD_compressBound(dsize)) {
        return damaged(path, "seek table entry " + std::to_string(i) + " gives " + std::to_string(csize) +
                                 " compressed bytes, more than any frame of " + std::to_string(dsize) + " bytes needs");
      }
      // Tiny frames would make a reader's buffers explode: ours hold 4 MiB (the last may be less).
      if (r->m_frame_bytes != 0 && r->m_frame_bytes < k_min_frame) {
        return Error(ErrorCode::Unsupported, path + ": frames of less than 4 KiB");
      }
      if (r->m_frame_bytes == 0) r->m_frame_bytes = dsize;
      // Every frame but the last holds the same media size, so a byte's frame is offset / size.
      if (!r->m_offsets.empty() && (r->m_prev_short || dsize > r->m_frame_bytes)) {
        return Error(ErrorCode::Unsupported, path + ": frames of different sizes (only fixed-size frames are read)");
      }
      r->m_prev_short = dsize < r->m_frame_bytes;
      r->m_offsets.push_back(offset);
      r->m_sizes.push_back(csize);
      r->m_max_compressed = std::max<size_t>(r->m_max_compressed, csize);
      media += dsize;
    }
    offset += csize;
  }
  if (offset != table_at) return damaged(path, "the frames and the seek table do not add up to the file size");
  if (r->m_offsets.empty()) return damaged(path, "no data frames");
  info.segment_files = {path};
  info.format = "seekable zstd";
  info.unit = StorageUnit::Frame;
  info.media_size = media;
  info.bytes_per_sector = 512;
  info.compression = "zstd";
  info.media_type = "unknown";
  if (!r->m_record.empty()) {
    auto rec = report::parse_record(r->m_record, path + " (record frame)");
    if (!rec) return rec.error();
    for (const auto& [alg, hex] : rec->digests) info.hashes.push_back({alg, hex});
    if (rec->bytes_per_sector != 0) info.bytes_per_sector = rec->bytes_per_sector;
    info.acquisition_errors = rec->unreadable;
    info.header_values = rec->case_values;
  }
  info.sector_count = media / info.bytes_per_sector;
  info.sectors_per_chunk = static_cast<uint32_t>(r->m_frame_bytes / info.bytes_per_sector);
  info.chunk_count = r->m_offsets.size();
  return r;
}

Status ZstReader::seek_unit(uint64_t index) {
  if (index > m_offsets.size())
    return Error(ErrorCode::InvalidArgument, "frame " + std::to_string(index) + " does not exist");
  m_next = index;
  return Ok{};
}

Result<EncodedChunk> ZstReader::read_unit(unsigned char* buf, size_t capacity, size_t data_size) {
  if (m_next >= m_offsets.size()) return Error(ErrorCode::Corruption, "read past the last frame");
  const size_t n = m_sizes[m_next];
  if (n > capacity) return Error(ErrorCode::Corruption, "frame larger than its buffer");
  if (util::pread_full(m_fd.get(), buf, n, m_offsets[m_next]) != static_cast<long long>(n)) {
    return Error::from_errno(ErrorCode::Io, "reading frame " + std::to_string(m_next), errno);
  }
  ++m_next;
  return EncodedChunk{buf, n, data_size, /*compressed=*/true, 0};
}

bool decode_frame(const unsigned char* frame, size_t size, unsigned char* out, size_t data_size) {
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  // The frame must say it holds exactly this many bytes, and its checksum must match.
  if (ZSTD_getFrameContentSize(frame, size) != data_size) return false;
  const size_t n = ZSTD_decompressDCtx(ctx.get(), out, data_size, frame, size);
  return !ZSTD_isError(n) && n == data_size;
}

bool ZstReader::decode(const EncodedChunk& unit, unsigned char* out) const {
  return decode_frame(unit.bytes, unit.size, out, unit.data_size);
}

}  // namespace exhibit::image

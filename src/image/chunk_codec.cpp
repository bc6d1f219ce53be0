#include "image/chunk_codec.hpp"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace exhibit::image {

namespace {

bool all_zero(const unsigned char* p, size_t n) {
  // Word-wise scan: zero chunks (free space) are common and must be cheap.
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != 0) return false;
  }
  for (; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

bool all_same(const unsigned char* p, size_t n) {
  return n == 0 || std::all_of(p + 1, p + n, [first = p[0]](unsigned char c) { return c == first; });
}

// Already-compressed or encrypted data (photos, archives, random fill) does not deflate, and
// trying costs as much as compressing text. Four 512-byte samples spread over the chunk tell it
// apart cheaply: in such data two sampled bytes are equal about as rarely as in uniform random
// bytes (collision count N(N-1)/256), while text and code collide several times as often.
// The decision depends on the chunk's bytes only, so the image stays the same on any thread.
bool looks_incompressible(const unsigned char* p, size_t n) {
  constexpr size_t k_samples = 4;
  constexpr size_t k_sample_size = 512;
  constexpr uint64_t k_total = k_samples * k_sample_size;
  if (n < 4 * k_total) return false;
  uint32_t counts[256] = {};
  const size_t stride = n / k_samples;
  for (size_t s = 0; s < k_samples; ++s) {
    const unsigned char* q = p + s * stride;
    for (size_t i = 0; i < k_sample_size; ++i) ++counts[q[i]];
  }
  uint64_t collisions = 0;
  for (uint32_t c : counts) collisions += static_cast<uint64_t>(c) * (c - (c > 0 ? 1 : 0));
  constexpr uint64_t k_uniform = k_total * (k_total - 1) / 256;  // 16376; one standard deviation is about 180
  return collisions < k_uniform + k_uniform / 10;
}

}  // namespace

uint32_t chunk_adler32(const unsigned char* data, size_t size) { return isal_adler32(1, data, size); }

ChunkEncoder::ChunkEncoder(Compression compression, size_t chunk_size)
    : m_compression(compression), m_chunk_size(chunk_size) {
  if (compression == Compression::Fast) m_level_buf.resize(ISAL_DEF_LVL1_DEFAULT);
}

ChunkEncoder::~ChunkEncoder() = default;

bool ChunkEncoder::deflate_into(const unsigned char* data, size_t size, unsigned char* out, size_t& out_size) {
  // A compressed chunk is kept only when it is smaller than the data.
  const size_t limit = size - 1;
  if (m_compression == Compression::Fast) {
    // Zeroed first: ISA-L 2.30's stateless init leaves hist_bits unset, and stack garbage of 1-14
    // there shrinks the match window, which changes the output (still valid, but no longer the
    // same bytes for the same chunk: images would differ from run to run). A second, rarer
    // dependence on the process's address layout is handled by running acquire with address
    // randomisation off (cli/main.cpp; docs/DESIGN.md).
    isal_zstream s{};
    isal_deflate_stateless_init(&s);
    s.hist_bits = 0;  // the full 32 KiB window
    s.level = 1;
    s.level_buf = m_level_buf.data();
    s.level_buf_size = static_cast<uint32_t>(m_level_buf.size());
    s.gzip_flag = IGZIP_ZLIB;
    s.end_of_stream = 1;
    s.flush = NO_FLUSH;
    s.next_in = const_cast<unsigned char*>(data);
    s.avail_in = static_cast<uint32_t>(size);
    s.next_out = out;
    s.avail_out = static_cast<uint32_t>(limit);
    if (isal_deflate_stateless(&s) != COMP_OK) return false;
    out_size = s.total_out;
    return true;
  }
  // zlib: best (level 9), and the uniform blocks of empty-block compression (level 1).
  uLongf len = static_cast<uLongf>(limit);
  int level = m_compression == Compression::Best ? Z_BEST_COMPRESSION : Z_BEST_SPEED;
  if (compress2(out, &len, data, static_cast<uLong>(size), level) != Z_OK) return false;
  out_size = len;
  return true;
}

EncodedChunk ChunkEncoder::encode(const unsigned char* data, size_t size, unsigned char* out) {
  EncodedChunk c;
  c.data_size = size;
  const bool try_deflate = (m_compression == Compression::Fast && !looks_incompressible(data, size)) ||
                           m_compression == Compression::Best ||
                           (m_compression == Compression::EmptyBlock && all_same(data, size));
  if (try_deflate && size > 1) {
    size_t out_size = 0;
    if (size == m_chunk_size && all_zero(data, size)) {
      if (m_zero_chunk.empty()) {
        std::vector<unsigned char> tmp(m_chunk_size);
        if (deflate_into(data, size, tmp.data(), out_size)) m_zero_chunk.assign(tmp.begin(), tmp.begin() + out_size);
      }
      if (!m_zero_chunk.empty()) {
        std::memcpy(out, m_zero_chunk.data(), m_zero_chunk.size());
        c.bytes = out;
        c.size = m_zero_chunk.size();
        c.compressed = true;
        return c;
      }
    } else if (deflate_into(data, size, out, out_size)) {
      c.bytes = out;
      c.size = out_size;
      c.compressed = true;
      return c;
    }
  }
  c.bytes = data;
  c.size = size;
  c.checksum = chunk_adler32(data, size);
  return c;
}

DecodeStatus decode_chunk(const unsigned char* bytes, size_t size, bool compressed, uint32_t checksum,
                          unsigned char* out, size_t data_size) {
  if (!compressed) {
    // The checksum covers every stored byte; a chunk that stores more than its media size (an odd
    // writer's) gives its first data_size bytes, as libewf reads it (verify notes the sizes).
    if (size < data_size) return DecodeStatus::BadStream;
    if (chunk_adler32(bytes, size) != checksum) return DecodeStatus::BadChecksum;
    std::memcpy(out, bytes, data_size);
    return DecodeStatus::Ok;
  }
  inflate_state s{};
  isal_inflate_init(&s);
  s.crc_flag = ISAL_ZLIB;
  s.next_in = const_cast<unsigned char*>(bytes);
  s.avail_in = static_cast<uint32_t>(size);
  s.next_out = out;
  s.avail_out = static_cast<uint32_t>(data_size);
  int r = isal_inflate_stateless(&s);
  if (r == ISAL_INCORRECT_CHECKSUM) return DecodeStatus::BadChecksum;
  if (r != ISAL_DECOMP_OK || s.total_out != data_size) return DecodeStatus::BadStream;
  return DecodeStatus::Ok;
}

std::optional<std::vector<unsigned char>> zlib_inflate(const unsigned char* p, size_t size, size_t max_size) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  z.next_in = const_cast<unsigned char*>(p);
  z.avail_in = static_cast<uInt>(size);
  std::vector<unsigned char> out;
  int r = Z_OK;
  while (r == Z_OK) {
    if (z.total_out == out.size()) {
      if (out.size() >= max_size) break;  // full, and the stream holds more
      out.resize(std::min(max_size, std::max<size_t>(2 * out.size(), 64 << 10)));
    }
    z.next_out = out.data() + z.total_out;
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    r = inflate(&z, Z_NO_FLUSH);  // Z_BUF_ERROR once no progress is possible: the stream stops short
  }
  const size_t n = z.total_out;
  inflateEnd(&z);
  if (r != Z_STREAM_END) return std::nullopt;
  out.resize(n);
  return out;
}

}  // namespace exhibit::image

#include "image/ewf2_format.hpp"

#include <bzlib.h>

#include <cstring>
#include <optional>

#include "image/chunk_codec.hpp"
#include "image/ewf_layout.hpp"
#include "util/endian.hpp"
#include "util/text.hpp"

namespace exhibit::image::ewf2 {

using util::load_le32;
using util::load_le64;

namespace {

constexpr size_t k_max_text = 1 << 20;             // inflated metadata text
constexpr uint64_t k_max_table_entries = 1 << 24;  // entries in one sector table

Error bad(const std::string& why) { return Error(ErrorCode::Corruption, why); }

bool adler_ok(const unsigned char* p, size_t n) { return adler32(p, n) == load_le32(p + n); }

// UTF-16LE (after an optional byte order mark) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16le_to_utf8(const unsigned char* p, size_t size) {
  std::string out;
  size_t i = size >= 2 && p[0] == 0xff && p[1] == 0xfe ? 2 : 0;
  auto put = [&](uint32_t c) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | c >> 6);
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | c >> 12);
      out += static_cast<char>(0x80 | (c >> 6 & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | c >> 18);
      out += static_cast<char>(0x80 | (c >> 12 & 0x3f));
      out += static_cast<char>(0x80 | (c >> 6 & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  };
  for (; i + 1 < size; i += 2) {
    uint32_t c = p[i] | p[i + 1] << 8;
    if (c >= 0xd800 && c < 0xdc00 && i + 3 < size) {
      const uint32_t low = p[i + 2] | p[i + 3] << 8;
      if (low >= 0xdc00 && low < 0xe000) {
        put(0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00));
        i += 2;
        continue;
      }
    }
    put(c >= 0xd800 && c < 0xe000 ? 0xfffd : c);
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// The format's escapes inside a value: 0x01 newline, 0x02 carriage return, 0x03 tab.
std::string unescape(std::string v) {
  for (char& c : v) {
    if (c == '\x01') c = '\n';
    if (c == '\x02') c = '\r';
    if (c == '\x03') c = '\t';
  }
  return v;
}

// A whole bzip2 stream into `out` (libbz2 checks its block and stream CRCs): the bytes it holds,
// or nullopt when it is damaged or longer.
std::optional<size_t> bzip2_inflate(const unsigned char* p, size_t size, unsigned char* out, size_t capacity) {
  bz_stream z{};
  if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) return std::nullopt;
  z.next_in = const_cast<char*>(reinterpret_cast<const char*>(p));
  z.avail_in = static_cast<unsigned>(size);
  z.next_out = reinterpret_cast<char*>(out);
  z.avail_out = static_cast<unsigned>(capacity);
  int r = BZ_OK;
  while (r == BZ_OK && z.avail_out > 0) {
    const unsigned before = z.avail_in + z.avail_out;
    r = BZ2_bzDecompress(&z);
    if (r == BZ_OK && z.avail_in + z.avail_out == before) break;  // no progress: the stream is cut short
  }
  // A stream that filled `out` exactly still has its end marker to read; more data is too much.
  char spare = 0;
  if (r == BZ_OK && z.avail_out == 0) {
    z.next_out = &spare;
    z.avail_out = 1;
    r = BZ2_bzDecompress(&z);
    if (z.avail_out == 0) r = BZ_DATA_ERROR;
  }
  const size_t n = z.total_out_lo32;
  BZ2_bzDecompressEnd(&z);
  if (r != BZ_STREAM_END) return std::nullopt;
  return n;
}

}  // namespace

std::string section_name(uint32_t type) {
  switch (type) {
    case DeviceInformation: return "device information";
    case CaseData: return "case data";
    case SectorData: return "sector data";
    case SectorTable: return "sector table";
    case ErrorTable: return "error table";
    case 0x06: return "session table";
    case Md5Hash: return "md5 hash";
    case Sha1Hash: return "sha1 hash";
    case 0x0a: return "restart data";
    case EncryptionKeys: return "encryption keys";
    case 0x0c: return "memory extents table";
    case Next: return "next";
    case Done: return "done";
    case 0x10: return "analytical data";
    default: return "type " + std::to_string(type);
  }
}

Result<FileHeader> parse_file_header(const unsigned char* p, size_t size) {
  if (size < k_file_header_size || std::memcmp(p, k_signature, sizeof k_signature) != 0) {
    return bad("no EVF2 signature");
  }
  FileHeader h;
  h.major = p[8];
  h.minor = p[9];
  h.compression = static_cast<uint16_t>(p[10] | p[11] << 8);
  h.segment = load_le32(p + 12);
  h.set_identifier = util::to_hex(p + 16, 16);
  if (h.major != 2) return Error(ErrorCode::Unsupported, "EWF2 version " + std::to_string(h.major) + " is not known");
  if (h.segment == 0) return bad("segment number 0 in its file header");
  return h;
}

Result<Section> parse_descriptor(const unsigned char* p, uint64_t at) {
  if (!adler_ok(p, 60)) return bad("section descriptor at offset " + std::to_string(at) + " fails its checksum");
  Section s;
  s.type = load_le32(p);
  s.flags = load_le32(p + 4);
  s.previous = load_le64(p + 8);
  s.data_size = load_le64(p + 16);
  s.padding = load_le32(p + 28);
  s.descriptor = at;
  const std::string where = section_name(s.type) + " section at offset " + std::to_string(at);
  if (load_le32(p + 24) != k_descriptor_size) return bad(where + ": descriptor size is not 64");
  if (s.data_size > at - k_file_header_size || at < k_file_header_size) {
    return bad(where + ": its data (" + std::to_string(s.data_size) +
               " bytes) would start before the file header ends");
  }
  if (s.padding > s.data_size) return bad(where + ": more padding than data");
  const uint64_t expected_previous = s.data_offset() == k_file_header_size ? 0 : s.data_offset() - k_descriptor_size;
  if (s.previous != expected_previous) {
    return bad(where + ": the previous section is said to be at " + std::to_string(s.previous) + ", not " +
               std::to_string(expected_previous));
  }
  return s;
}

Result<ChunkTable> parse_sector_table(const unsigned char* p, size_t size) {
  if (size < 32) return bad("sector table shorter than its header");
  if (!adler_ok(p, 16)) return bad("sector table header fails its checksum");
  ChunkTable t;
  t.first_chunk = load_le64(p);
  const uint64_t n = load_le32(p + 8);
  if (n > k_max_table_entries || 32 + 16 * n + 4 > size) {
    return bad("sector table of " + std::to_string(n) + " entries does not fit its section (" + std::to_string(size) +
               " bytes)");
  }
  const unsigned char* e = p + 32;
  if (!adler_ok(e, 16 * n)) return bad("sector table entries fail their checksum");
  t.entries.resize(n);
  for (uint64_t i = 0; i < n; ++i, e += 16) t.entries[i] = {load_le64(e), load_le32(e + 8), load_le32(e + 12)};
  return t;
}

Result<std::string> parse_hash_section(const unsigned char* p, size_t size, size_t digest_size) {
  if (size < digest_size + 4) return bad("hash section shorter than its digest");
  if (!adler_ok(p, digest_size)) return bad("hash section fails its checksum");
  return util::to_hex(p, digest_size);
}

Result<std::vector<std::pair<uint64_t, uint64_t>>> parse_error_table(const unsigned char* p, size_t size) {
  if (size < 32) return bad("error table shorter than its header");
  if (!adler_ok(p, 16)) return bad("error table header fails its checksum");
  const uint64_t n = load_le32(p);
  if (n > k_max_table_entries || 32 + 16 * n + 4 > size) return bad("error table entries do not fit their section");
  const unsigned char* e = p + 32;
  if (!adler_ok(e, 16 * n)) return bad("error table entries fail their checksum");
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (uint64_t i = 0; i < n; ++i, e += 16) out.emplace_back(load_le64(e), load_le32(e + 8));
  return out;
}

bool bzip2_decode(const unsigned char* p, size_t size, unsigned char* out, size_t out_size) {
  return bzip2_inflate(p, size, out, out_size) == std::optional<size_t>(out_size);
}

Result<std::map<std::string, std::string>> parse_text_section(const unsigned char* p, size_t size, uint16_t method) {
  std::optional<std::vector<unsigned char>> text;
  if (method == k_method_bzip2) {
    std::vector<unsigned char> out(k_max_text);
    if (const std::optional<size_t> n = bzip2_inflate(p, size, out.data(), out.size())) {
      text.emplace(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  } else {
    text = zlib_inflate(p, size, k_max_text);
  }
  if (!text) return bad("its compressed text does not decompress");
  const std::vector<std::string> lines = split(utf16le_to_utf8(text->data(), text->size()), '\n');
  // "1", "main", then the tags and their values.
  if (lines.size() < 4) return bad("its text has fewer than four lines");
  auto row = [&](size_t i) {
    std::string l = lines[i];
    if (!l.empty() && l.back() == '\r') l.pop_back();
    return split(l, '\t');
  };
  const std::vector<std::string> tags = row(2);
  const std::vector<std::string> values = row(3);
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!tags[i].empty()) out[tags[i]] = i < values.size() ? unescape(values[i]) : "";
  }
  return out;
}

}  // namespace exhibit::image::ewf2

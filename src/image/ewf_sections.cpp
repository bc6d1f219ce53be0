#include "image/ewf_sections.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "image/ewf_layout.hpp"
#include "util/endian.hpp"
#include "util/text.hpp"

namespace exhibit::image::ewf {

namespace {

std::string value_of(const HeaderValues& values, const std::string& id) {
  for (const auto& [k, v] : values) {
    if (k != id) continue;
    std::string out = v;
    for (auto& c : out) {
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    return out;
  }
  return {};
}

// A date value as given, or else made from `acquired`: Unix seconds for header2; for header the
// local time as six numbers without leading zeros ("2026 12 2 10 27 7"), as libewf writes them.
std::string date_of(const HeaderValues& values, const char* id, std::optional<int64_t> acquired, bool unix_seconds) {
  std::string v = value_of(values, id);
  if (!v.empty() || !acquired) return v;
  if (unix_seconds) return std::to_string(*acquired);
  const auto t = static_cast<std::time_t>(*acquired);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::string out;
  for (const int n : {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec}) {
    if (!out.empty()) out += ' ';
    out += std::to_string(n);
  }
  return out;
}

// Code points of UTF-8 text (the caller has checked it is valid; a stray byte becomes U+FFFD).
std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    uint32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

Bytes utf16le_with_bom(const std::string& text) {
  Bytes out{0xFF, 0xFE};
  auto unit = [&](uint32_t u) {
    out.push_back(static_cast<unsigned char>(u & 0xFF));
    out.push_back(static_cast<unsigned char>(u >> 8));
  };
  for (uint32_t cp : code_points(text)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

Bytes deflate_default(const Bytes& in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  Bytes out(size);
  compress2(out.data(), &size, in.data(), static_cast<uLong>(in.size()), Z_DEFAULT_COMPRESSION);
  out.resize(size);
  return out;
}

void append_checksum(Bytes& b, size_t from) {
  const size_t at = b.size();
  b.resize(at + 4);
  util::store_le32(b.data() + at, adler32(b.data() + from, at - from));
}

uint8_t compression_level(Compression c) {
  switch (c) {
    case Compression::Fast: return 1;
    case Compression::Best: return 2;
    case Compression::None:
    case Compression::EmptyBlock: return 0;
  }
  return 1;
}

}  // namespace

Bytes file_header(uint16_t segment_number) {
  Bytes b(k_file_header_size, 0);
  std::memcpy(b.data(), k_evf_signature, sizeof k_evf_signature);
  b[8] = 1;
  util::store_le16(b.data() + 9, segment_number);
  return b;
}

Bytes descriptor(const std::string& type, uint64_t next, uint64_t size) {
  Bytes b(k_descriptor_size, 0);
  std::memcpy(b.data(), type.data(), std::min<size_t>(type.size(), 16));
  util::store_le64(b.data() + 16, next);
  util::store_le64(b.data() + 24, size);
  util::store_le32(b.data() + 72, adler32(b.data(), 72));
  return b;
}

Bytes volume_body(const VolumeInfo& v) {
  Bytes b(k_volume_body_size, 0);
  b[0] = v.removable ? 0x00 : 0x01;
  util::store_le32(b.data() + 4, v.chunk_count);
  util::store_le32(b.data() + 8, v.sectors_per_chunk);
  util::store_le32(b.data() + 12, v.bytes_per_sector);
  util::store_le64(b.data() + 16, v.sector_count);
  b[36] = static_cast<unsigned char>(0x01 | (v.physical ? 0x02 : 0x00));  // image, physical device
  b[52] = compression_level(v.compression);
  util::store_le32(b.data() + 56, v.sectors_per_chunk);  // error granularity
  std::memcpy(b.data() + 64, v.set_identifier.data(), v.set_identifier.size());
  util::store_le32(b.data() + 1048, adler32(b.data(), 1048));
  return b;
}

Bytes header2_body(const HeaderValues& values, std::optional<int64_t> acquired) {
  auto v = [&](const char* id) { return value_of(values, id); };
  const std::string text = "3\nmain\na\tc\tn\te\tt\tmd\tsn\tav\tov\tm\tu\tp\tdc\n" + v("description") + "\t" +
                           v("case_number") + "\t" + v("evidence_number") + "\t" + v("examiner_name") + "\t" +
                           v("notes") + "\t" + v("model") + "\t" + v("serial_number") + "\t" +
                           v("acquiry_software_version") + "\t" + v("acquiry_operating_system") + "\t" +
                           date_of(values, "acquiry_date", acquired, true) + "\t" +
                           date_of(values, "system_date", acquired, true) + "\t0\t\n\n" +
                           "srce\n0\t1\np\tn\tid\tev\ttb\tlo\tpo\tah\tgu\taq\n0\t0\n\t\t\t\t\t-1\t-1\t\t\t\n\n"
                           "sub\n0\t1\np\tn\tid\tnu\tco\tgu\n0\t0\n\t\t\t\t1\t\n\n";
  return deflate_default(utf16le_with_bom(text));
}

Bytes header_body(const HeaderValues& values, std::optional<int64_t> acquired) {
  auto ascii = [](const std::string& text) {
    std::string out;
    for (uint32_t cp : code_points(text)) out.push_back(cp < 0x80 ? static_cast<char>(cp) : '\x1a');
    return out;
  };
  auto v = [&](const char* id) { return ascii(value_of(values, id)); };
  const std::string text = "1\r\nmain\r\nc\tn\ta\te\tt\tav\tov\tm\tu\tp\r\n" + v("case_number") + "\t" +
                           v("evidence_number") + "\t" + v("description") + "\t" + v("examiner_name") + "\t" +
                           v("notes") + "\t" + v("acquiry_software_version") + "\t" + v("acquiry_operating_system") +
                           "\t" + ascii(date_of(values, "acquiry_date", acquired, false)) + "\t" +
                           ascii(date_of(values, "system_date", acquired, false)) + "\t0\r\n\r\n";
  return deflate_default(Bytes(text.begin(), text.end()));
}

Bytes table_body(uint64_t base, const std::vector<uint32_t>& entries) {
  Bytes b(k_table_header_size, 0);
  util::store_le32(b.data(), static_cast<uint32_t>(entries.size()));
  util::store_le64(b.data() + 8, base);
  util::store_le32(b.data() + 20, adler32(b.data(), 20));
  b.resize(k_table_header_size + 4 * entries.size());
  for (size_t i = 0; i < entries.size(); ++i) util::store_le32(b.data() + k_table_header_size + 4 * i, entries[i]);
  append_checksum(b, k_table_header_size);
  return b;
}

Bytes error2_body(const std::vector<SectorRange>& errors) {
  Bytes b(520, 0);
  util::store_le32(b.data(), static_cast<uint32_t>(errors.size()));
  util::store_le32(b.data() + 516, adler32(b.data(), 516));
  b.resize(520 + 8 * errors.size());
  for (size_t i = 0; i < errors.size(); ++i) {
    util::store_le32(b.data() + 520 + 8 * i, static_cast<uint32_t>(errors[i].first));
    util::store_le32(b.data() + 524 + 8 * i, static_cast<uint32_t>(errors[i].count));
  }
  append_checksum(b, 520);
  return b;
}

Bytes digest_body(const std::array<uint8_t, 16>& md5, const std::optional<std::array<uint8_t, 20>>& sha1) {
  Bytes b(80, 0);
  std::memcpy(b.data(), md5.data(), md5.size());
  if (sha1) std::memcpy(b.data() + 16, sha1->data(), sha1->size());
  util::store_le32(b.data() + 76, adler32(b.data(), 76));
  return b;
}

Bytes hash_body(const std::array<uint8_t, 16>& md5) {
  Bytes b(36, 0);
  std::memcpy(b.data(), md5.data(), md5.size());
  util::store_le32(b.data() + 32, adler32(b.data(), 32));
  return b;
}

template <size_t N>
std::optional<std::array<uint8_t, N>> bytes_from_hex(const std::string& hex) {
  const auto bytes = util::from_hex(hex);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

template std::optional<std::array<uint8_t, 16>> bytes_from_hex<16>(const std::string&);
template std::optional<std::array<uint8_t, 20>> bytes_from_hex<20>(const std::string&);

}  // namespace exhibit::image::ewf

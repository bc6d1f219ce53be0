#include "image/ewf2_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "image/ewf2_format.hpp"
#include "image/file_kind.hpp"
#include "image/segment_names.hpp"
#include "util/endian.hpp"

namespace exhibit::image {

namespace {

constexpr uint64_t k_max_section_read = 256ull << 20;  // sector tables of up to 16 M chunks
constexpr size_t k_max_sections = 1 << 20;

Error corrupt(const std::string& path, const std::string& why) {
  return Error(ErrorCode::Corruption, path + ": " + why);
}

// "x.Ex01" -> ("x", "Ex" or "ex"); nullopt for other names.
std::optional<std::pair<std::string, std::string>> split_first(const std::string& path) {
  if (path.size() < 6) return std::nullopt;
  const std::string ext = path.substr(path.size() - 5);
  if (ext == ".Ex01" || ext == ".ex01") return std::make_pair(path.substr(0, path.size() - 5), ext.substr(1, 2));
  return std::nullopt;
}

Result<std::vector<unsigned char>> read_data(int fd, const ewf2::Section& s, const std::string& path) {
  if (s.data_size > k_max_section_read) {
    return corrupt(path, ewf2::section_name(s.type) + " section of " + std::to_string(s.data_size) +
                             " bytes is larger than any we read");
  }
  std::vector<unsigned char> data(static_cast<size_t>(s.data_size));
  if (util::pread_full(fd, data.data(), data.size(), s.data_offset()) != static_cast<long long>(data.size())) {
    return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
  }
  return data;
}

std::optional<uint64_t> number(const std::map<std::string, std::string>& m, const char* tag) {
  auto it = m.find(tag);
  if (it == m.end() || it->second.empty() || it->second.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::string utc_date(const std::string& seconds) {
  if (seconds.empty() || seconds.size() > 12 || seconds.find_first_not_of("0123456789") != std::string::npos) {
    return seconds;
  }
  const auto t = static_cast<time_t>(std::stoll(seconds));
  std::tm tm{};
  char buf[32];
  if (gmtime_r(&t, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return seconds;
  return buf;
}

}  // namespace

bool is_ewf2_file(const std::string& path) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  unsigned char sig[sizeof ewf2::k_signature];
  return fd && util::pread_full(fd.get(), sig, sizeof sig, 0) == static_cast<long long>(sizeof sig) &&
         std::memcmp(sig, ewf2::k_signature, sizeof sig) == 0;
}

Result<std::unique_ptr<Ewf2Reader>> Ewf2Reader::open(const std::string& first_segment) {
  std::unique_ptr<Ewf2Reader> r(new Ewf2Reader());
  const auto split = split_first(first_segment);
  bool last = false;
  for (uint32_t n = 1; !last; ++n) {
    std::string path = first_segment;
    if (n > 1) {
      const auto ext = split ? ewf2_segment_extension(n, split->second) : std::nullopt;
      if (!ext) {
        return corrupt(r->m_info.segment_files.back(), "ends with a 'next' section, and segment " + std::to_string(n) +
                                                           " has no name we know (name the first segment .Ex01)");
      }
      path = split->first + "." + *ext;
      if (::access(path.c_str(), F_OK) != 0) {
        return Error(ErrorCode::Corruption, "segment " + std::to_string(n) + " (" + path + ") is missing: " +
                                                r->m_info.segment_files.back() + " ends with a 'next' section");
      }
    }
    EXHIBIT_CHECK(r->read_segment(path, n, last));
  }
  EXHIBIT_CHECK(r->finish_info());
  return r;
}

Status Ewf2Reader::read_segment(const std::string& path, uint32_t number, bool& last) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "opening " + path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, "stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::InvalidArgument, path + ": not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  unsigned char head[ewf2::k_file_header_size] = {};
  const long long got = util::pread_full(fd.get(), head, sizeof head, 0);
  auto header = ewf2::parse_file_header(head, got < 0 ? 0 : static_cast<size_t>(got));
  if (!header) return Error(header.error().code(), path + ": " + header.error().message());
  if (number == 1 && header->segment != 1) return Error(ErrorCode::InvalidArgument, not_an_image_message(path));
  if (header->segment != number) {
    return corrupt(path, "is segment " + std::to_string(header->segment) + ", expected " + std::to_string(number));
  }
  if (number == 1) {
    m_info.set_identifier = header->set_identifier;
  } else if (header->set_identifier != m_info.set_identifier) {
    return corrupt(path, "belongs to another image (set identifier " + header->set_identifier + ", not " +
                             m_info.set_identifier + ")");
  }
  // The chain of descriptors, from the last one (the file's last 64 bytes) back to the first.
  std::vector<ewf2::Section> sections;
  if (size < ewf2::k_file_header_size + ewf2::k_descriptor_size) return corrupt(path, "truncated: no sections");
  for (uint64_t at = size - ewf2::k_descriptor_size;;) {
    if (sections.size() >= k_max_sections) return corrupt(path, "more sections than any image has");
    unsigned char d[ewf2::k_descriptor_size];
    if (util::pread_full(fd.get(), d, sizeof d, at) != static_cast<long long>(sizeof d)) {
      return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
    }
    auto s = ewf2::parse_descriptor(d, at);
    if (!s) {
      return corrupt(path, (sections.empty() ? "truncated or damaged at its end: " : "") + s.error().message());
    }
    sections.push_back(*s);
    if (s->previous == 0) break;
    at = s->previous;
  }
  std::reverse(sections.begin(), sections.end());
  const uint32_t closing = sections.back().type;
  if (closing != ewf2::Done && closing != ewf2::Next) {
    return corrupt(path, "ends with a " + ewf2::section_name(closing) +
                             " section, not 'done' or 'next' (truncated, or written by a run that did not finish)");
  }
  last = closing == ewf2::Done;
  m_info.segment_files.push_back(path);
  m_files.push_back(std::move(fd));
  const int f = m_files.back().get();
  const auto segment = static_cast<uint32_t>(m_files.size() - 1);
  std::vector<std::pair<uint64_t, uint64_t>> data_ranges;  // the sector data sections: [begin, end)
  for (const ewf2::Section& s : sections) {
    if ((s.flags & ewf2::k_section_encrypted) != 0 || s.type == ewf2::EncryptionKeys) {
      return Error(ErrorCode::Unsupported, path +
                                               ": the image is encrypted; EnCase's key scheme is not public, so "
                                               "exhibit cannot decrypt or check it");
    }
    const std::string where = path + ": " + ewf2::section_name(s.type) + " section at offset " +
                              std::to_string(s.data_offset());
    auto in = [&](const Error& e) { return Error(e.code(), where + ": " + e.message()); };
    switch (s.type) {
      case ewf2::SectorData: data_ranges.emplace_back(s.data_offset(), s.descriptor); break;
      case ewf2::DeviceInformation:
      case ewf2::CaseData: {
        if (number > 1) break;  // repeated in every segment; the first one's is used
        EXHIBIT_TRY(auto data, read_data(f, s, path));
        auto text = ewf2::parse_text_section(data.data(), data.size(), header->compression);
        if (!text) return in(text.error());
        (s.type == ewf2::CaseData ? m_case : m_device) = std::move(*text);
        break;
      }
      case ewf2::SectorTable: {
        EXHIBIT_TRY(auto data, read_data(f, s, path));
        auto table = ewf2::parse_sector_table(data.data(), data.size());
        if (!table) return in(table.error());
        if (table->first_chunk != m_chunks.size()) {
          return in(Error(ErrorCode::Corruption, "its first chunk is " + std::to_string(table->first_chunk) +
                                                     ", expected " + std::to_string(m_chunks.size())));
        }
        for (const auto& e : table->entries) {
          const bool fill = ewf2::is_pattern_fill(e.flags);
          const std::string chunk = "chunk " + std::to_string(m_chunks.size());
          if (!fill) {
            const bool inside = std::any_of(data_ranges.begin(), data_ranges.end(), [&](const auto& r) {
              return e.offset >= r.first && e.offset <= r.second && e.size <= r.second - e.offset;
            });
            if (!inside) return in(Error(ErrorCode::Corruption, chunk + " lies outside the sector data"));
            if ((e.flags & (ewf2::k_chunk_compressed | ewf2::k_chunk_checksummed)) == 0) {
              return in(Error(ErrorCode::Unsupported, chunk + " is stored with neither compression nor a checksum: "
                                                              "exhibit cannot check it"));
            }
            m_any_compressed = m_any_compressed || (e.flags & ewf2::k_chunk_compressed);
          }
          m_chunks.push_back({segment, e.offset, e.size, e.flags});
        }
        break;
      }
      case ewf2::Md5Hash:
      case ewf2::Sha1Hash: {
        const bool md5 = s.type == ewf2::Md5Hash;
        EXHIBIT_TRY(auto data, read_data(f, s, path));
        auto hex = ewf2::parse_hash_section(data.data(), data.size(), md5 ? 16 : 20);
        if (!hex) return in(hex.error());
        m_info.hashes.push_back({md5 ? "md5" : "sha1", *hex});
        break;
      }
      case ewf2::ErrorTable: {
        EXHIBIT_TRY(auto data, read_data(f, s, path));
        auto errors = ewf2::parse_error_table(data.data(), data.size());
        if (!errors) return in(errors.error());
        for (const auto& [first, count] : *errors) m_info.acquisition_errors.push_back({first, count});
        break;
      }
      default: break;
    }
  }
  if (number == 1) m_method = header->compression;
  if (m_any_compressed && m_method != ewf2::k_method_zlib && m_method != ewf2::k_method_bzip2) {
    return Error(ErrorCode::Unsupported, path + ": compression method " + std::to_string(m_method) + " is not known");
  }
  return Ok{};
}

Status Ewf2Reader::finish_info() {
  const std::string& first = m_info.segment_files.front();
  const auto bps = number(m_device, "bp");
  const auto sectors = number(m_device, "ts");
  const auto spc = number(m_case, "sb");
  if (!bps || !sectors || !spc || *bps == 0 || *bps > 65536 || *spc == 0 || *bps * *spc > (64u << 20) ||
      *sectors > (UINT64_MAX / *bps)) {
    return corrupt(first,
                   "implausible or missing geometry in its device information and case data (bytes per "
                   "sector, total sectors, sectors per chunk)");
  }
  m_info.format = k_ewf2_format_name;
  m_info.unit = StorageUnit::Chunk;
  m_info.bytes_per_sector = static_cast<uint32_t>(*bps);
  m_info.sectors_per_chunk = static_cast<uint32_t>(*spc);
  m_info.sector_count = *sectors;
  m_info.media_size = *sectors * *bps;
  const uint64_t chunk = *bps * *spc;
  m_info.chunk_count = m_info.media_size / chunk + (m_info.media_size % chunk ? 1 : 0);
  if (m_chunks.size() != m_info.chunk_count) {
    return corrupt(first, "its sector tables hold " + std::to_string(m_chunks.size()) + " chunks; the media size (" +
                              std::to_string(m_info.media_size) + " bytes) needs " +
                              std::to_string(m_info.chunk_count));
  }
  m_info.compression = !m_any_compressed ? "none" : m_method == ewf2::k_method_bzip2 ? "bzip2" : "deflate";
  EXHIBIT_CHECK(check_bzip2_framing());
  static const std::map<std::string, std::string> media = {{"f", "fixed"},  {"r", "removable"}, {"c", "optical"},
                                                           {"m", "memory"}, {"l", "logical"},   {"a", "RAM disk"},
                                                           {"p", "PALM"}};
  auto dt = m_device.find("dt");
  m_info.media_type = dt == m_device.end() ? "" : media.count(dt->second) ? media.at(dt->second) : dt->second;
  m_info.physical = m_device.count("ph") && m_device.at("ph") == "1";
  // The names libewf gives the same values in an E01, so `info` and the record compare read alike.
  static const std::vector<std::pair<const char*, const char*>> names = {{"cn", "case_number"},
                                                                         {"en", "evidence_number"},
                                                                         {"nm", "description"},
                                                                         {"ex", "examiner_name"},
                                                                         {"nt", "notes"},
                                                                         {"av", "acquiry_software_version"},
                                                                         {"os", "acquiry_operating_system"},
                                                                         {"tt", "acquiry_date"},
                                                                         {"at", "system_date"}};
  for (const auto& [tag, name] : names) {
    auto it = m_case.find(tag);
    if (it == m_case.end() || it->second.empty()) continue;
    const bool date = std::strcmp(tag, "tt") == 0 || std::strcmp(tag, "at") == 0;
    m_info.header_values.emplace_back(name, date ? utc_date(it->second) : it->second);
  }
  for (const auto& [tag, name] :
       std::vector<std::pair<const char*, const char*>>{{"md", "model"}, {"sn", "serial_number"}}) {
    auto it = m_device.find(tag);
    if (it != m_device.end() && !it->second.empty()) m_info.header_values.emplace_back(name, it->second);
  }
  return Ok{};
}

// libewf writes each bzip2 chunk as a whole stream ("BZh..."); libyal's description says EnCase
// strips the stream header and end marker. Without a sample of that form to check a reader
// against, such a set is refused rather than reported as a set of bad chunks.
Status Ewf2Reader::check_bzip2_framing() const {
  if (m_method != ewf2::k_method_bzip2) return Ok{};
  for (const Chunk& c : m_chunks) {
    if ((c.flags & ewf2::k_chunk_compressed) == 0 || ewf2::is_pattern_fill(c.flags)) continue;
    unsigned char magic[3] = {};
    const std::string& path = m_info.segment_files[c.segment];
    if (util::pread_full(m_files[c.segment].get(), magic, sizeof magic, c.offset) != 3) {
      return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
    }
    if (std::memcmp(magic, "BZh", 3) != 0) {
      return Error(ErrorCode::Unsupported, path +
                                               ": bzip2 chunks without their stream header (EnCase's form, "
                                               "as libyal describes it) are not supported: no sample to check "
                                               "a reader against");
    }
    break;  // one is enough to know the form
  }
  return Ok{};
}

Status Ewf2Reader::seek_unit(uint64_t index) {
  if (index > m_chunks.size()) return Error(ErrorCode::Corruption, "seeking past chunk " + std::to_string(index));
  m_next = index;
  return Ok{};
}

Result<EncodedChunk> Ewf2Reader::read_unit(unsigned char* buf, size_t capacity, size_t data_size) {
  if (m_next >= m_chunks.size()) return Error(ErrorCode::Corruption, "reading past the last chunk");
  const Chunk& c = m_chunks[m_next++];
  EncodedChunk out;
  out.bytes = buf;
  out.data_size = data_size;
  if (ewf2::is_pattern_fill(c.flags)) {
    util::store_le64(buf, c.offset);
    out.size = 8;
    out.pattern_fill = true;
    return out;
  }
  const std::string& path = m_info.segment_files[c.segment];
  if (c.size > capacity) {
    return Error(ErrorCode::Corruption,
                 path + ": a chunk stored in " + std::to_string(c.size) + " bytes, more than its data can need");
  }
  if (util::pread_full(m_files[c.segment].get(), buf, c.size, c.offset) != static_cast<long long>(c.size)) {
    return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
  }
  out.size = c.size;
  out.compressed = (c.flags & ewf2::k_chunk_compressed) != 0;
  if (!out.compressed) {
    if (c.size < 4) return Error(ErrorCode::Corruption, path + ": a stored chunk shorter than its checksum");
    out.size = c.size - 4;
    out.checksum = util::load_le32(buf + out.size);
  }
  return out;
}

bool Ewf2Reader::decode(const EncodedChunk& c, unsigned char* out) const {
  if (c.pattern_fill) {
    for (size_t i = 0; i < c.data_size; ++i) out[i] = c.bytes[i % 8];
    return true;
  }
  // A stored chunk: its checksum over every stored byte, the first data_size the media (as for E01).
  if (c.compressed && m_method == ewf2::k_method_bzip2) return ewf2::bzip2_decode(c.bytes, c.size, out, c.data_size);
  return decode_chunk(c.bytes, c.size, c.compressed, c.checksum, out, c.data_size) == DecodeStatus::Ok;
}

}  // namespace exhibit::image

#include "image/e01_writer.hpp"

#include <openssl/rand.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "exhibit/setting.hpp"
#include "image/segment_names.hpp"
#include "util/endian.hpp"

namespace exhibit::image {

namespace {

constexpr size_t k_buffer_bytes = 4 << 20;

// Bytes the two tables of a group of `entries` chunks take.
uint64_t tables_size(uint64_t entries) {
  return 2 * (ewf::k_descriptor_size + ewf::k_table_header_size + 4 * entries + 4);
}

}  // namespace

E01Writer::E01Writer(const EwfWriteOptions& options, io::Env& env) : m_opt(options), m_env(&env) {
  ewf::VolumeInfo v;
  v.removable = options.removable;
  v.physical = options.physical;
  const uint64_t chunk_bytes = uint64_t{options.sectors_per_chunk} * options.bytes_per_sector;
  v.chunk_count = static_cast<uint32_t>((options.media_size + chunk_bytes - 1) / chunk_bytes);
  v.sectors_per_chunk = options.sectors_per_chunk;
  v.bytes_per_sector = options.bytes_per_sector;
  v.sector_count = options.media_size / options.bytes_per_sector;
  v.compression = options.compression;
  // Marked as a version 4 UUID, as ewfacquire (and our libewf writer) store it.
  auto guid = options.set_identifier.value_or(std::array<uint8_t, 16>{});
  guid[6] = static_cast<uint8_t>((guid[6] & 0x0F) | 0x40);
  guid[8] = static_cast<uint8_t>((guid[8] & 0x3F) | 0x80);
  v.set_identifier = guid;
  m_volume = ewf::volume_body(v);
  m_buf.reserve(k_buffer_bytes);
}

std::string E01Writer::segment_path(uint32_t number) const {
  return m_opt.base + "." + segment_extension(number).value_or("E??");
}

Result<std::unique_ptr<E01Writer>> E01Writer::create(const EwfWriteOptions& options, io::Env& env) {
  if (!options.set_identifier) return Error(ErrorCode::InvalidArgument, "an E01 needs a set identifier");
  std::unique_ptr<E01Writer> w(new E01Writer(options, env));
  EXHIBIT_CHECK(w->open_segment(1));
  return w;
}

Result<std::unique_ptr<E01Writer>> E01Writer::resume(const EwfWriteOptions& options, const E01Checkpoint& cp,
                                                     io::Env& env) {
  if (!options.set_identifier) return Error(ErrorCode::InvalidArgument, "an E01 needs a set identifier");
  std::unique_ptr<E01Writer> w(new E01Writer(options, env));
  w->m_segment = cp.segment;
  const std::string path = w->segment_path(cp.segment);
  EXHIBIT_TRY(w->m_file, env.open(path, io::OpenMode::Existing));
  EXHIBIT_TRY(const uint64_t size, w->m_file->size());
  if (size < cp.file_size) {
    return Error(ErrorCode::Corruption, path + " is " + std::to_string(size) + " bytes, shorter than the " +
                                            std::to_string(cp.file_size) + " bytes saved as written: cannot resume");
  }
  EXHIBIT_CHECK(w->m_file->truncate(cp.file_size));
  // Segments begun after the checkpoint hold nothing we can vouch for.
  for (uint32_t n = cp.segment + 1;; ++n) {
    if (auto removed = env.remove(w->segment_path(n)); !removed) {
      if (removed.error().sys_errno() == ENOENT) break;
      return removed.error();
    }
  }
  w->m_offset = w->m_buf_start = cp.file_size;
  w->m_group_offset = cp.group_offset;
  w->m_entries = cp.entries;
  w->m_closed_tables = cp.closed_tables;
  w->m_segment_chunks = cp.entries.size() + (cp.closed_tables.empty() ? 0 : 1);  // nonzero once it holds a chunk
  w->m_chunks = cp.chunks;
  w->start_hashing(path);  // from its first byte: the part written before the interruption too
  w->advance_hashing();
  return w;
}

Status E01Writer::append(const unsigned char* data, size_t size) {
  if (m_buf.size() + size > k_buffer_bytes) EXHIBIT_CHECK(flush());
  if (size >= k_buffer_bytes) {
    EXHIBIT_CHECK(m_file->append(data, size));
    m_buf_start += size;
    m_offset += size;
    advance_hashing();
  } else {
    m_buf.insert(m_buf.end(), data, data + size);
    m_offset += size;
  }
  return Ok{};
}

Status E01Writer::flush() {
  if (m_buf.empty()) return Ok{};
  EXHIBIT_CHECK(m_file->append(m_buf.data(), m_buf.size()));
  m_buf_start += m_buf.size();
  m_buf.clear();
  advance_hashing();
  return Ok{};
}

void E01Writer::start_hashing(const std::string& path) {
  auto hasher = hash::GrowingFileDigest::start(path, "sha256");
  m_hasher = hasher ? std::move(*hasher) : nullptr;  // else the caller hashes the file afterwards
}

void E01Writer::advance_hashing() {
  // In the file: bytes before m_buf_start. Final: all but the open group's descriptor and after.
  if (m_hasher) m_hasher->advance(std::min(m_buf_start, m_group_offset != 0 ? m_group_offset : m_offset));
}

void E01Writer::finish_hashing() {
  if (!m_hasher) return;
  if (auto digest = m_hasher->finish(m_offset)) m_hashed.push_back(std::move(*digest));
  m_hasher.reset();
}

Status E01Writer::append_section(const std::string& type, const ewf::Bytes& body) {
  const uint64_t size = ewf::k_descriptor_size + body.size();
  EXHIBIT_CHECK(append(ewf::descriptor(type, m_offset + size, size)));
  return append(body);
}

Status E01Writer::open_segment(uint32_t number) {
  if (!segment_extension(number)) {
    return Error(ErrorCode::InvalidArgument,
                 "more segment files than names up to .ZZZ: use a larger " + setting_text(Setting::SegmentSize));
  }
  m_segment = number;
  const std::string path = segment_path(number);
  // A new file, never an existing one opened through whatever link lies at the name: the set was
  // checked and cleared before (core/output_guard, --force), and a resumed run removed what it
  // had begun after its checkpoint.
  EXHIBIT_TRY(m_file, m_env->open(path, io::OpenMode::New));
  start_hashing(path);
  m_offset = m_buf_start = 0;
  m_buf.clear();
  m_closed_tables.clear();
  m_segment_chunks = 0;
  EXHIBIT_CHECK(append(ewf::file_header(static_cast<uint16_t>(number))));
  if (number == 1) {
    const ewf::Bytes header2 = ewf::header2_body(m_opt.header_values, m_opt.acquisition_time);
    EXHIBIT_CHECK(append_section("header2", header2));
    EXHIBIT_CHECK(append_section("header2", header2));
    EXHIBIT_CHECK(append_section("header", ewf::header_body(m_opt.header_values, m_opt.acquisition_time)));
    return append_section("volume", m_volume);
  }
  return append_section("data", m_volume);
}

Status E01Writer::open_group() {
  m_group_offset = m_offset;
  m_entries.clear();
  return append(ewf::descriptor("sectors", 0, 0));  // completed by close_group()
}

Status E01Writer::close_group() {
  if (m_group_offset == 0) return Ok{};
  const uint64_t end = m_offset;
  const ewf::Bytes sectors = ewf::descriptor("sectors", end, end - m_group_offset);
  if (m_group_offset >= m_buf_start) {
    std::memcpy(m_buf.data() + (m_group_offset - m_buf_start), sectors.data(), sectors.size());
  } else {
    EXHIBIT_CHECK(m_file->write_at(m_group_offset, sectors.data(), sectors.size()));
  }
  const ewf::Bytes table = ewf::table_body(m_group_offset, m_entries);
  m_closed_tables.push_back(m_offset);
  EXHIBIT_CHECK(append_section("table", table));
  EXHIBIT_CHECK(append_section("table2", table));
  m_group_offset = 0;
  m_entries.clear();
  return Ok{};
}

Status E01Writer::close_segment() {
  EXHIBIT_CHECK(close_group());
  EXHIBIT_CHECK(append(ewf::descriptor("next", m_offset, 0)));
  EXHIBIT_CHECK(flush());
  EXHIBIT_CHECK(m_file->sync_data());
  finish_hashing();
  m_file.reset();
  return Ok{};
}

Status E01Writer::write_chunk(const EncodedChunk& c) {
  const uint64_t stored = c.size + (c.compressed ? 0 : 4);
  // A new group when none is open, the table is full, an offset would not fit its 31 bits, or the
  // group holds max_group_bytes already.
  const bool new_group = m_group_offset == 0 || m_entries.size() >= ewf::k_max_table_entries ||
                         m_offset + stored - m_group_offset > INT32_MAX ||
                         (m_opt.max_group_bytes != 0 && !m_entries.empty() &&
                          m_offset + stored - m_group_offset > m_opt.max_group_bytes);
  // A new segment when this chunk, its table entries and the closing section would not fit
  // (with the tables of a group this chunk closes).
  const uint64_t after = m_offset +
                         (new_group ? (m_group_offset != 0 ? tables_size(m_entries.size()) : 0) +
                                          ewf::k_descriptor_size + stored + tables_size(1)
                                    : stored + tables_size(m_entries.size() + 1)) +
                         ewf::k_descriptor_size;
  if (m_segment_chunks > 0 && after > m_opt.segment_size) {
    EXHIBIT_CHECK(close_segment());
    EXHIBIT_CHECK(open_segment(m_segment + 1));
  }
  if (m_group_offset != 0 && new_group) EXHIBIT_CHECK(close_group());
  if (m_group_offset == 0) EXHIBIT_CHECK(open_group());
  m_entries.push_back(static_cast<uint32_t>(m_offset - m_group_offset) | (c.compressed ? ewf::k_compressed_flag : 0));
  EXHIBIT_CHECK(append(c.bytes, c.size));
  if (!c.compressed) {
    unsigned char checksum[4];
    util::store_le32(checksum, c.checksum);
    EXHIBIT_CHECK(append(checksum, sizeof checksum));
  }
  ++m_segment_chunks;
  ++m_chunks;
  return Ok{};
}

Result<E01Checkpoint> E01Writer::checkpoint() {
  EXHIBIT_CHECK(flush());
  EXHIBIT_CHECK(m_file->sync_data());
  E01Checkpoint cp;
  cp.chunks = m_chunks;
  cp.segment = m_segment;
  cp.file_size = m_offset;
  cp.group_offset = m_group_offset;
  cp.closed_tables = m_closed_tables;
  cp.entries = m_entries;
  return cp;
}

Status E01Writer::finish(const std::string& md5_hex, const std::string& sha1_hex) {
  const auto md5 = ewf::bytes_from_hex<16>(md5_hex);
  if (!md5) return Error(ErrorCode::InvalidArgument, "an E01 needs the MD5 of its media");
  std::optional<std::array<uint8_t, 20>> sha1;
  if (!sha1_hex.empty()) {
    sha1 = ewf::bytes_from_hex<20>(sha1_hex);
    if (!sha1) return Error(ErrorCode::InvalidArgument, "not a SHA-1: " + sha1_hex);
  }
  EXHIBIT_CHECK(close_group());
  if (m_segment == 1) EXHIBIT_CHECK(append_section("data", m_volume));
  if (!m_errors.empty()) EXHIBIT_CHECK(append_section("error2", ewf::error2_body(m_errors)));
  if (sha1) EXHIBIT_CHECK(append_section("digest", ewf::digest_body(*md5, sha1)));  // libewf: none without SHA-1
  EXHIBIT_CHECK(append_section("hash", ewf::hash_body(*md5)));
  EXHIBIT_CHECK(append(ewf::descriptor("done", m_offset, 0)));
  EXHIBIT_CHECK(flush());
  EXHIBIT_CHECK(m_file->sync());
  finish_hashing();
  const auto file = std::move(m_file);
  return file->close();
}

Result<std::array<uint8_t, 16>> random_set_identifier() {
  std::array<uint8_t, 16> guid{};
  if (RAND_bytes(guid.data(), static_cast<int>(guid.size())) != 1) {
    return Error(ErrorCode::Io, "no random bytes for the set identifier");
  }
  return guid;
}

}  // namespace exhibit::image

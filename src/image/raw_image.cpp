#include "image/raw_image.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace exhibit::image {

std::string raw_segment_path(const std::string& base, uint64_t segment_size, uint32_t number) {
  if (segment_size == 0) return base + ".raw";
  char ext[16];
  std::snprintf(ext, sizeof ext, ".%03u", number);
  return base + ext;
}

std::vector<std::string> existing_raw_segments(const std::string& base) {
  std::vector<std::string> out;
  for (uint32_t n = 1;; ++n) {
    std::string p = raw_segment_path(base, 1, n);
    if (::access(p.c_str(), F_OK) != 0) return out;
    out.push_back(std::move(p));
  }
}

std::string raw_range_text(const std::string& base, uint64_t segment_size, uint64_t first, uint64_t last) {
  if (segment_size == 0) {
    return raw_segment_path(base, 0, 1) + " bytes " + std::to_string(first) + "-" + std::to_string(last);
  }
  const auto file = [&](uint64_t at) {
    return raw_segment_path(base, segment_size, static_cast<uint32_t>(at / segment_size + 1));
  };
  const auto part = [&](uint64_t from, uint64_t to) {
    return file(from) + " bytes " + std::to_string(from % segment_size) + "-" + std::to_string(to % segment_size);
  };
  const uint64_t first_file = first / segment_size, last_file = last / segment_size;
  if (first_file == last_file) return part(first, last);
  // Whole files lie between the two ends.
  return part(first, (first_file + 1) * segment_size - 1) + (last_file == first_file + 1 ? " and " : " through ") +
         part(last_file * segment_size, last);
}

Result<std::unique_ptr<RawWriter>> RawWriter::create(const std::string& base, uint64_t segment_size, io::Env& env) {
  std::unique_ptr<RawWriter> w(new RawWriter());
  w->m_env = &env;
  w->m_base = base;
  w->m_segment_size = segment_size;
  EXHIBIT_CHECK(w->open_next());
  return w;
}

Result<std::unique_ptr<RawWriter>> RawWriter::resume(const std::string& base, uint64_t segment_size, uint64_t bytes,
                                                     io::Env& env) {
  std::unique_ptr<RawWriter> w(new RawWriter());
  w->m_env = &env;
  w->m_base = base;
  w->m_segment_size = segment_size;
  w->m_number = segment_size == 0 || bytes == 0 ? 1 : static_cast<uint32_t>((bytes - 1) / segment_size + 1);
  w->m_in_file = segment_size == 0 ? bytes : bytes - uint64_t{w->m_number - 1} * segment_size;
  w->m_total = bytes;
  // The files before the last one written were whole segments: one cut or grown since would shift
  // every later byte.
  for (uint32_t n = 1; n < w->m_number; ++n) {
    const std::string earlier = raw_segment_path(base, segment_size, n);
    struct stat st {};
    if (::stat(earlier.c_str(), &st) != 0) return Error::from_errno(ErrorCode::Corruption, earlier, errno);
    if (static_cast<uint64_t>(st.st_size) != segment_size) {
      return Error(ErrorCode::Corruption, earlier + " holds " + std::to_string(st.st_size) + " bytes, not the " +
                                              std::to_string(segment_size) +
                                              " written before the interruption; not resumed");
    }
  }
  const std::string path = raw_segment_path(base, segment_size, w->m_number);
  EXHIBIT_TRY(w->m_file, env.open(path, io::OpenMode::Existing));
  EXHIBIT_TRY(const uint64_t size, w->m_file->size());
  if (size < w->m_in_file) {
    return Error(ErrorCode::Corruption, path + " is shorter than the bytes saved as written: cannot resume");
  }
  EXHIBIT_CHECK(w->m_file->truncate(w->m_in_file));
  for (uint32_t n = w->m_number + 1; segment_size != 0; ++n) {
    if (auto removed = env.remove(raw_segment_path(base, segment_size, n)); !removed) {
      if (removed.error().sys_errno() == ENOENT) break;
      return removed.error();
    }
  }
  return w;
}

Result<uint64_t> RawWriter::checkpoint() {
  EXHIBIT_CHECK(m_file->sync_data());
  return m_total;
}

Status RawWriter::open_next() {
  if (m_file) EXHIBIT_CHECK(m_file->sync_data());
  ++m_number;
  // A new file (as E01Writer::open_segment): never written through a file already at the name.
  EXHIBIT_TRY(m_file, m_env->open(raw_segment_path(m_base, m_segment_size, m_number), io::OpenMode::New));
  m_in_file = 0;
  return Ok{};
}

Status RawWriter::write(const unsigned char* data, size_t size) {
  while (size > 0) {
    if (m_segment_size != 0 && m_in_file == m_segment_size) EXHIBIT_CHECK(open_next());
    const size_t n = m_segment_size == 0 ? size
                                         : static_cast<size_t>(std::min<uint64_t>(size, m_segment_size - m_in_file));
    EXHIBIT_CHECK(m_file->append(data, n));
    data += n;
    size -= n;
    m_in_file += n;
    m_total += n;
  }
  return Ok{};
}

Status RawWriter::finish() {
  EXHIBIT_CHECK(m_file->sync());
  const auto file = std::move(m_file);
  return file->close();
}

Result<std::unique_ptr<RawReader>> RawReader::open(const std::string& path) {
  std::unique_ptr<RawReader> r(new RawReader());
  std::vector<std::string> files;
  auto ends_with = [&](const char* suffix) {
    const size_t n = std::strlen(suffix);
    return path.size() > n && path.compare(path.size() - n, n, suffix) == 0;
  };
  if (ends_with(".001")) {
    files = existing_raw_segments(path.substr(0, path.size() - 4));
    if (files.empty()) files.push_back(path);  // reported as missing when opened
  } else {
    files.push_back(path);
  }
  uint64_t media = 0;
  for (const auto& f : files) {
    util::UniqueFd fd(::open(f.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, f, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
      return Error(ErrorCode::InvalidArgument, f + ": not a regular file");
    r->m_starts.push_back(media);
    media += static_cast<uint64_t>(st.st_size);
    r->m_fds.push_back(std::move(fd));
  }
  if (media == 0) return Error(ErrorCode::Corruption, path + ": the raw image is empty");
  ImageInfo& info = r->m_info;
  info.segment_files = files;
  info.format = files.size() > 1 || ends_with(".001") ? "raw (split)" : "raw";
  info.unit = StorageUnit::Block;
  info.media_size = media;
  info.bytes_per_sector = 512;
  info.sector_count = media / 512;
  info.sectors_per_chunk = k_unit / 512;
  info.chunk_count = (media + k_unit - 1) / k_unit;
  info.compression = "none";
  info.media_type = "unknown";
  return r;
}

Status RawReader::seek_unit(uint64_t index) {
  m_next = index;
  return Ok{};
}

Status RawReader::read_at(uint64_t offset, unsigned char* buf, size_t size) {
  while (size > 0) {
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    const size_t file = static_cast<size_t>(it - m_starts.begin()) - 1;
    const uint64_t end = file + 1 < m_starts.size() ? m_starts[file + 1] : m_info.media_size;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(size, end - offset));
    if (util::pread_full(m_fds[file].get(), buf, n, offset - m_starts[file]) != static_cast<long long>(n)) {
      return Error::from_errno(ErrorCode::Io, "reading " + m_info.segment_files[file], errno == 0 ? EIO : errno);
    }
    buf += n;
    size -= n;
    offset += n;
  }
  return Ok{};
}

Result<EncodedChunk> RawReader::read_unit(unsigned char* buf, size_t capacity, size_t data_size) {
  if (data_size > capacity) return Error(ErrorCode::InvalidArgument, "raw block larger than its buffer");
  EXHIBIT_CHECK(read_at(m_next * k_unit, buf, data_size));
  ++m_next;
  EncodedChunk c;
  c.bytes = buf;
  c.size = data_size;
  c.data_size = data_size;
  return c;
}

bool RawReader::decode(const EncodedChunk& unit, unsigned char* out) const {
  std::memcpy(out, unit.bytes, unit.data_size);
  return true;
}

}  // namespace exhibit::image

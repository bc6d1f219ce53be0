// Our E01 writer: EnCase 6 segment files (BASE.E01, .E02, … .EAA …) in the layout libewf 20140813
// writes, from chunks already encoded (image/chunk_codec), in media order. Unlike libewf it can
// say what is safely on disk (checkpoint) and continue from there after a crash (resume), which
// is what `exhibit acquire --resume` is built on. It closes groups of chunks at
// EwfWriteOptions::max_group_bytes (libewf at 65534 chunks; with 0 the files are libewf's byte for
// byte), and hashes each segment file as it is written, on a thread that reads it back behind
// the last byte that can still change (the open group's descriptor).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "hash/file_digest.hpp"
#include "hash/growing_file_digest.hpp"
#include "image/chunk_codec.hpp"
#include "image/ewf_sections.hpp"
#include "image/ewf_write_options.hpp"
#include "io/env.hpp"

namespace exhibit::image {

// 16 random bytes for an image's set identifier (the writers mark them as a version 4 UUID).
Result<std::array<uint8_t, 16>> random_set_identifier();

// Where the writer stood when everything before it was synced to disk.
struct E01Checkpoint {
  uint64_t chunks = 0;                  // chunks written
  uint32_t segment = 1;                 // the segment being written
  uint64_t file_size = 0;               // its bytes that are on disk and belong to the image
  uint64_t group_offset = 0;            // its open "sectors" descriptor (0: no group open)
  std::vector<uint64_t> closed_tables;  // its "table" descriptors, of groups already closed
  std::vector<uint32_t> entries;        // table entries of the open group
};

class E01Writer {
 public:
  // Every segment file is created, written and synced through `env`.
  static Result<std::unique_ptr<E01Writer>> create(const EwfWriteOptions& options, io::Env& env = io::posix_env());
  // Continues after `cp`: the segment it names is cut back to cp.file_size and later segment
  // files are removed. Errors the caller recorded before must be added again.
  static Result<std::unique_ptr<E01Writer>> resume(const EwfWriteOptions& options, const E01Checkpoint& cp,
                                                   io::Env& env = io::posix_env());

  Status write_chunk(const EncodedChunk& chunk);
  // Kept in memory; written in the last segment's error2 section by finish().
  void add_acquisition_error(const SectorRange& range) { m_errors.push_back(range); }
  // Writes out and syncs everything so far; the result is what resume() takes.
  Result<E01Checkpoint> checkpoint();
  // Closes the set with the error list and the MD5 (and SHA-1 if given), syncs and closes.
  Status finish(const std::string& md5_hex, const std::string& sha1_hex);

  std::string segment_path(uint32_t number) const;
  uint64_t chunks_written() const { return m_chunks; }
  // The SHA-256 of each segment file closed by this writer (read back as written; a segment it
  // could not read back is missing here and is hashed by the caller).
  const std::vector<hash::FileDigest>& hashed_files() const { return m_hashed; }

 private:
  E01Writer(const EwfWriteOptions& options, io::Env& env);
  Status open_segment(uint32_t number);
  Status close_segment();
  Status open_group();
  Status close_group();
  Status append(const unsigned char* data, size_t size);
  Status append(const ewf::Bytes& b) { return append(b.data(), b.size()); }
  Status append_section(const std::string& type, const ewf::Bytes& body);
  Status flush();
  // Starts hashing the segment just opened (or resumed) from its first byte.
  void start_hashing(const std::string& path);
  // Lets the hashing thread go as far as the file holds bytes that will not change.
  void advance_hashing();
  // The segment is complete at m_offset bytes and synced.
  void finish_hashing();

  EwfWriteOptions m_opt;
  io::Env* m_env;
  ewf::Bytes m_volume;  // the volume/data section body
  std::unique_ptr<io::WritableFile> m_file;
  uint32_t m_segment = 0;
  uint64_t m_offset = 0;     // logical end of the segment file (buffered bytes included)
  uint64_t m_buf_start = 0;  // file offset of m_buf[0]
  ewf::Bytes m_buf;
  uint64_t m_group_offset = 0;  // 0: no group open
  std::vector<uint32_t> m_entries;
  std::vector<uint64_t> m_closed_tables;
  uint64_t m_segment_chunks = 0;
  uint64_t m_chunks = 0;
  std::vector<SectorRange> m_errors;
  std::unique_ptr<hash::GrowingFileDigest> m_hasher;
  std::vector<hash::FileDigest> m_hashed;
};

}  // namespace exhibit::image

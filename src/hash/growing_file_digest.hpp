// The SHA-256 (or any digest) of a file while it is being written, on a thread of its own that
// reads it back behind the writer: the writer moves a limit below which the file's bytes are
// final (written, and never rewritten), the thread hashes up to it, and finish() waits for the
// rest. So the segment files' digests for the record cost no time after the stream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "exhibit/digest.hpp"
#include "exhibit/error.hpp"
#include "hash/file_digest.hpp"
#include "util/fd.hpp"

namespace exhibit::hash {

class GrowingFileDigest {
 public:
  // Starts hashing `path` (which exists) from its first byte.
  static Result<std::unique_ptr<GrowingFileDigest>> start(const std::string& path, const std::string& algorithm);
  ~GrowingFileDigest();
  GrowingFileDigest(const GrowingFileDigest&) = delete;
  GrowingFileDigest& operator=(const GrowingFileDigest&) = delete;

  // The file's bytes before `limit` are final (a smaller limit than before is ignored).
  void advance(uint64_t limit);
  // The file is complete at `size` bytes: the digest of exactly those bytes, once hashed.
  Result<FileDigest> finish(uint64_t size);

 private:
  GrowingFileDigest() = default;
  void run();

  std::string m_path;
  std::optional<DigestSet> m_set;
  util::UniqueFd m_fd;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  uint64_t m_limit = 0;
  bool m_final = false;    // m_limit is the file's size
  bool m_stopped = false;  // destroyed before finish(): give up
  bool m_done = false;
  Result<FileDigest> m_result = Error(ErrorCode::Io, "not hashed");
  std::thread m_thread;
};

}  // namespace exhibit::hash

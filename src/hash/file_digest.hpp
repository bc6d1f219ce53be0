// Digests of whole files (segment files), several at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit::hash {

struct FileDigest {
  std::string path;
  uint64_t size = 0;
  std::string hex;         // lower case
  double cpu_seconds = 0;  // of the thread that hashed it, while it did
};

// The threads digest_files runs for `files` files when asked for `threads`.
size_t file_digest_threads(unsigned threads, size_t files);

// `algorithm` over each of `paths`, up to `threads` files at a time; results in the order of
// `paths`. A file that cannot be read is an Error naming it (code `unreadable`); once `stop` is
// set, the files not yet finished are Cancelled errors.
std::vector<Result<FileDigest>> digest_files(const std::vector<std::string>& paths, const std::string& algorithm,
                                             unsigned threads, ErrorCode unreadable = ErrorCode::Io,
                                             const std::atomic<bool>* stop = nullptr);

}  // namespace exhibit::hash

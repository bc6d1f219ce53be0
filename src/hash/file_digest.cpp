#include "hash/file_digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <thread>

#include "hash/digest.hpp"
#include "util/fd.hpp"
#include "util/thread_clock.hpp"

namespace exhibit::hash {

namespace {

Result<FileDigest> digest_file(const std::string& path, const std::string& algorithm, ErrorCode unreadable,
                               const std::atomic<bool>* stop) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(unreadable, path, errno);
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  EXHIBIT_TRY(DigestSet set, DigestSet::create({algorithm}));
  std::vector<unsigned char> buffer(1 << 20);
  FileDigest out;
  out.path = path;
  const double cpu_start = util::thread_cpu_seconds();
  for (;;) {
    if (stop != nullptr && stop->load()) return Error(ErrorCode::Cancelled, "hashing " + path + ": stopped");
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno(unreadable, "reading " + path, errno);
    if (n == 0) break;
    set.update(buffer.data(), static_cast<size_t>(n));
    out.size += static_cast<uint64_t>(n);
  }
  out.hex = set.finish().front().hex;
  out.cpu_seconds = util::thread_cpu_seconds() - cpu_start;
  return out;
}

}  // namespace

size_t file_digest_threads(unsigned threads, size_t files) {
  // Each thread reads through a 1 MiB buffer; beyond a few the disk is the limit anyway.
  return std::min<size_t>({std::max(1u, threads), 16u, files});
}

std::vector<Result<FileDigest>> digest_files(const std::vector<std::string>& paths, const std::string& algorithm,
                                             unsigned threads, ErrorCode unreadable, const std::atomic<bool>* stop) {
  std::vector<std::optional<Result<FileDigest>>> results(paths.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < paths.size(); i = next++)
      results[i].emplace(digest_file(paths[i], algorithm, unreadable, stop));
  };
  std::vector<std::thread> pool;
  const size_t n = file_digest_threads(threads, paths.size());
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::vector<Result<FileDigest>> out;
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace exhibit::hash

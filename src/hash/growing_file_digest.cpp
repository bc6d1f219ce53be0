#include "hash/growing_file_digest.hpp"

#include <fcntl.h>

#include <cerrno>
#include <vector>

#include "hash/digest.hpp"
#include "util/thread_clock.hpp"

namespace exhibit::hash {

Result<std::unique_ptr<GrowingFileDigest>> GrowingFileDigest::start(const std::string& path,
                                                                    const std::string& algorithm) {
  EXHIBIT_TRY(DigestSet set, DigestSet::create({algorithm}));
  std::unique_ptr<GrowingFileDigest> g(new GrowingFileDigest());
  g->m_path = path;
  g->m_set.emplace(std::move(set));
  g->m_fd = util::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!g->m_fd) return Error::from_errno(ErrorCode::Destination, "reading back " + path, errno);
  g->m_thread = std::thread([p = g.get()] { p->run(); });
  return g;
}

GrowingFileDigest::~GrowingFileDigest() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopped = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void GrowingFileDigest::advance(uint64_t limit) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_final || limit <= m_limit) return;
    m_limit = limit;
  }
  m_cv.notify_all();
}

Result<FileDigest> GrowingFileDigest::finish(uint64_t size) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_limit = size;
    m_final = true;
  }
  m_cv.notify_all();
  std::unique_lock<std::mutex> lock(m_mutex);
  m_cv.wait(lock, [&] { return m_done; });
  return m_result;
}

void GrowingFileDigest::run() {
  const double cpu_start = util::thread_cpu_seconds();
  DigestSet& set = *m_set;
  std::vector<unsigned char> buffer(1 << 20);
  uint64_t hashed = 0;
  Result<FileDigest> result = Error(ErrorCode::Cancelled, "hashing " + m_path + ": stopped");
  for (;;) {
    uint64_t limit = 0;
    bool final = false;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_cv.wait(lock, [&] { return m_stopped || m_final || m_limit > hashed; });
      if (m_stopped) break;
      limit = m_limit;
      final = m_final;
    }
    bool failed = false;
    while (hashed < limit) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), limit - hashed));
      const long long n = util::pread_full(m_fd.get(), buffer.data(), want, hashed);
      if (n <= 0) {
        result = n < 0 ? Error::from_errno(ErrorCode::Destination, "reading back " + m_path, errno)
                       : Error(ErrorCode::Destination, "reading back " + m_path + ": it ends at byte " +
                                                           std::to_string(hashed) + ", before the " +
                                                           std::to_string(limit) + " bytes written");
        failed = true;
        break;
      }
      set.update(buffer.data(), static_cast<size_t>(n));
      hashed += static_cast<uint64_t>(n);
    }
    if (failed) break;
    if (final && hashed == limit) {
      FileDigest d;
      d.path = m_path;
      d.size = hashed;
      d.hex = set.finish().front().hex;
      d.cpu_seconds = util::thread_cpu_seconds() - cpu_start;
      result = std::move(d);
      break;
    }
  }
  std::lock_guard<std::mutex> lock(m_mutex);
  m_result = std::move(result);
  m_done = true;
  m_cv.notify_all();
}

}  // namespace exhibit::hash

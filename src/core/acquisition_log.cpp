#include "core/acquisition_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "util/text.hpp"

namespace exhibit::core {

Result<AcquisitionLog> AcquisitionLog::create(const std::string& path, bool replace) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  util::UniqueFd fd(::open(path.c_str(), flags, 0644));
  if (!fd) {
    int e = errno;
    if (e == EEXIST) return Error(ErrorCode::AlreadyExists, path + " already exists (use --force to replace it)");
    return Error::from_errno(ErrorCode::Destination, "creating " + path, e);
  }
  return AcquisitionLog(std::move(fd), path);
}

void AcquisitionLog::write_raw(const std::string& text) {
  // A log write that fails must not stop the acquisition; the image and its hashes matter more.
  (void)util::write_full(m_fd.get(), text.data(), text.size());
}

void AcquisitionLog::line(const std::string& text) {
  write_raw(util::iso8601_utc(std::time(nullptr)) + "  " + text + "\n");
}

void AcquisitionLog::field(const std::string& key, const std::string& value) {
  write_raw("    " + key + ": " + util::sanitize_for_terminal(value) + "\n");
}

void AcquisitionLog::sync() { ::fdatasync(m_fd.get()); }

}  // namespace exhibit::core

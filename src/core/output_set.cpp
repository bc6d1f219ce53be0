#include "core/output_set.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "image/segment_names.hpp"
#include "report/record.hpp"
#include "util/fd.hpp"

namespace exhibit::core {

namespace fs = std::filesystem;

std::string OutputSet::record_path() const { return report::record_path_for_base(m_base); }

std::vector<std::string> OutputSet::existing_files() const {
  std::vector<std::string> found;
  for (const auto& b : {image::SegmentBase{m_base, false}, image::SegmentBase{partial_base(), false}}) {
    for (auto& p : image::existing_segments(b)) found.push_back(p);
  }
  for (const auto& p : {log_path(), map_path(), record_path(), checksums_path(), cms_signature_path(),
                        plain_signature_path(), timestamp_request_path(), report_path(), resume_path()}) {
    if (::access(p.c_str(), F_OK) == 0) found.push_back(p);
  }
  return found;
}

Status OutputSet::prepare(bool force) const {
  fs::path parent = fs::path(m_base).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return Error(ErrorCode::Destination, "creating folder " + parent.string() + ": " + ec.message());
  } else if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Error(ErrorCode::Destination, "destination " + parent.string() + " is not a folder");
  }
  auto existing = existing_files();
  if (!existing.empty() && !force) {
    return Error(ErrorCode::AlreadyExists, existing.front() + " already exists (use --force to replace the image)");
  }
  for (const auto& p : existing) {
    if (::unlink(p.c_str()) != 0) return Error::from_errno(ErrorCode::Destination, "removing " + p, errno);
  }
  return Ok{};
}

Result<std::vector<std::string>> OutputSet::commit_segments() const {
  std::vector<std::string> out;
  for (const auto& from : image::existing_segments({partial_base(), false})) {
    std::string ext = from.substr(from.size() - 3);
    std::string to = m_base + "." + ext;
    util::UniqueFd fd(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) != 0) return Error::from_errno(ErrorCode::Destination, "syncing " + from, errno);
    if (std::rename(from.c_str(), to.c_str()) != 0) {
      return Error::from_errno(ErrorCode::Destination, "renaming " + from + " to " + to, errno);
    }
    out.push_back(to);
  }
  if (out.empty()) return Error(ErrorCode::Destination, "no segment file was written for " + m_base);
  // Make the renames themselves durable.
  fs::path parent = fs::path(m_base).parent_path();
  util::UniqueFd dir(::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
  return out;
}

}  // namespace exhibit::core

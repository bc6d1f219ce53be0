#include "core/output_guard.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>

#include "core/output_set.hpp"
#include "exhibit/setting.hpp"
#include "image/unit_reader.hpp"
#include "io/device_info.hpp"

namespace exhibit::core {

namespace fs = std::filesystem;

namespace {

// Where a path leads once symlinks, `.` and `..` are resolved, and what is there now.
struct Resolved {
  std::string location;                 // canonical folder of the nearest existing ancestor + the rest, normalised
  std::string folder;                   // that existing ancestor: the file system the file is (or would be) on
  std::optional<struct stat> existing;  // the file itself, following symlinks
  bool dangling_link = false;
  bool missing_folder = false;  // the file's own folder does not exist yet
};

Result<Resolved> resolve(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec);
  if (ec) return Error(ErrorCode::InvalidArgument, "output " + path + ": " + ec.message());
  fs::path rest;
  struct stat lst {};
  while (::lstat(p.c_str(), &lst) != 0) {
    if (errno != ENOENT && errno != ENOTDIR)
      return Error::from_errno(ErrorCode::InvalidArgument, "output " + path, errno);
    if (!p.has_relative_path()) break;  // "/" always exists; paranoia
    rest = rest.empty() ? p.filename() : p.filename() / rest;
    p = p.parent_path();
  }
  Resolved r;
  if (rest.empty()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      r.dangling_link = true;
    } else {
      r.existing = st;
    }
    if (S_ISLNK(lst.st_mode) && r.dangling_link) {
      r.location = p.string();
      r.folder = fs::canonical(p.parent_path(), ec).string();
      return r;
    }
    fs::path canon = fs::canonical(p, ec);
    if (ec || !r.existing)
      return Error(ErrorCode::InvalidArgument, "output " + path + ": " + (ec ? ec.message() : "vanished"));
    r.location = canon.string();
    r.folder = S_ISDIR(r.existing->st_mode) ? canon.string() : canon.parent_path().string();
    return r;
  }
  fs::path canon = fs::canonical(p, ec);
  if (ec) return Error(ErrorCode::InvalidArgument, "output " + path + ": " + ec.message());
  r.location = (canon / rest).lexically_normal().string();
  r.folder = canon.string();
  r.missing_folder = rest.has_parent_path();
  // "new/../x": once the folders are made, that is the existing x.
  struct stat st {};
  if (::stat(r.location.c_str(), &st) == 0) r.existing = st;
  return r;
}

const char* kind_of(mode_t m) {
  if (S_ISBLK(m)) return "a block device";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISDIR(m)) return "a folder";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

Error refuse(const std::string& path, const std::string& why) {
  return Error(ErrorCode::InvalidArgument, "refusing to write " + path + ": " + why + " (nothing was written)");
}

}  // namespace

Status OutputGuard::protect_source(const std::string& path) {
  m_source = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Ok{};  // opening the source reports it
  m_files.push_back({{st.st_dev, st.st_ino}, "it is the source " + path});
  if (!S_ISBLK(st.st_mode)) return Ok{};
  m_devices = io::device_family(st.st_rdev);
  // Writing over a loop device's backing file writes into the source.
  SourceInfo info;
  io::read_sysfs_identity(st.st_rdev, info);
  struct stat b {};
  if (!info.loop_backing_file.empty() && ::stat(info.loop_backing_file.c_str(), &b) == 0) {
    m_files.push_back({{b.st_dev, b.st_ino}, "it is the file behind the source " + path});
  }
  return Ok{};
}

void OutputGuard::protect_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) m_files.push_back({{st.st_dev, st.st_ino}, what});
}

void OutputGuard::add_output(const std::string& path, bool may_exist, bool folder_made) {
  m_outputs.push_back({path, may_exist, folder_made});
}

Status OutputGuard::check(bool force) const {
  std::vector<std::pair<std::string, Resolved>> seen;
  for (const auto& o : m_outputs) {
    EXHIBIT_TRY(Resolved r, resolve(o.path));
    if (r.dangling_link) return refuse(o.path, "it is a symbolic link to a missing file");
    if (r.missing_folder && !o.folder_made) return refuse(o.path, "its folder does not exist");
    if (r.existing) {
      const io::FileId id{r.existing->st_dev, r.existing->st_ino};
      for (const auto& p : m_files) {
        if (p.id == id) return refuse(o.path, p.what);
      }
      if (!S_ISREG(r.existing->st_mode)) return refuse(o.path, std::string("it is ") + kind_of(r.existing->st_mode));
    }
    // The file system it goes onto, and what that lives on.
    const io::StorageChain chain = io::storage_chain(r.folder);
    for (dev_t d : chain.devices) {
      if (std::find(m_devices.begin(), m_devices.end(), d) != m_devices.end()) {
        return refuse(o.path, "its folder " + r.folder + " is on a file system that lives on the source " + m_source);
      }
    }
    for (const auto& f : chain.files) {
      for (const auto& p : m_files) {
        if (p.id == f)
          return refuse(o.path,
                        "its folder " + r.folder + " is on a loop device over a protected file (" + p.what + ")");
      }
    }
    for (const auto& [other, s] : seen) {
      const bool same_file = r.existing && s.existing && r.existing->st_dev == s.existing->st_dev &&
                             r.existing->st_ino == s.existing->st_ino;
      if (same_file || r.location == s.location) return refuse(o.path, "it is the same file as " + other);
    }
    if (r.existing && !o.may_exist && !force) {
      return Error(ErrorCode::AlreadyExists, o.path + " already exists (use " + setting_text(Setting::Force) +
                                                 " to replace it; nothing was written)");
    }
    seen.emplace_back(o.path, std::move(r));
  }
  return Ok{};
}

Status check_image_output(const std::vector<std::string>& segments, const std::string& first_segment,
                          const std::string& output, const std::string& source, bool force, const std::string& what) {
  OutputGuard guard;
  if (!source.empty()) EXHIBIT_CHECK(guard.protect_source(source));
  const std::string label = "it is a file of " + what;
  for (const auto& f : segments) guard.protect_file(f, label);
  if (auto base = image::image_base(first_segment)) {
    for (const auto& f : OutputSet(*base).all_paths()) guard.protect_file(f, label);
  }
  guard.add_output(output);
  return guard.check(force);
}

}  // namespace exhibit::core

// BlockSource over a regular file or a block device.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>

#include "exhibit/setting.hpp"
#include "io/block_source.hpp"
#include "io/device_info.hpp"
#include "io/identify_query.hpp"
#include "io/nbd_address.hpp"
#include "io/nbd_source.hpp"
#include "io/write_block.hpp"
#include "util/aligned_buffer.hpp"
#include "util/fd.hpp"

namespace exhibit::io {

namespace {

class FileSource final : public BlockSource {
 public:
  FileSource(util::UniqueFd fd, SourceInfo info) : m_fd(std::move(fd)), m_info(std::move(info)) {}

  const SourceInfo& info() const override { return m_info; }
  const WriteBlockRecord& write_block() const override { return m_guard.record(); }
  void release() override { m_guard.restore(); }
  WriteBlockGuard& guard() { return m_guard; }
  int fd() const { return m_fd.get(); }

  Status check_unchanged() override {
    uint64_t now = 0;
    if (m_info.is_block_device) {
      if (ioctl(m_fd.get(), BLKGETSIZE64, &now) != 0) {
        return Error::from_errno(ErrorCode::SourceGone, "reading the size of " + m_info.path, errno);
      }
    } else {
      struct stat st {};
      if (::fstat(m_fd.get(), &st) != 0) return Error::from_errno(ErrorCode::SourceGone, m_info.path, errno);
      now = static_cast<uint64_t>(st.st_size);
    }
    if (now != m_info.size) {
      return Error(ErrorCode::SourceGone, "the size of " + m_info.path + " changed from " +
                                              std::to_string(m_info.size) + " to " + std::to_string(now) +
                                              " bytes during the acquisition");
    }
    return m_guard.recheck();
  }

  Result<size_t> read_at(uint64_t offset, unsigned char* buf, size_t size) override {
    long long n = util::pread_full(m_fd.get(), buf, size, offset);
    if (n < 0) {
      return Error::from_errno(ErrorCode::Io, "reading " + m_info.path + " at byte " + std::to_string(offset), errno);
    }
    return static_cast<size_t>(n);
  }

 private:
  util::UniqueFd m_fd;
  SourceInfo m_info;
  WriteBlockGuard m_guard;
};

}  // namespace

Result<std::unique_ptr<BlockSource>> open_source(const std::string& path, const OpenOptions& options) {
  if (is_nbd_uri(path)) return open_nbd_source(path, options.remote);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int e = errno;
    return Error::from_errno(e == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "source " + path, e);
  }
  const bool is_block = S_ISBLK(st.st_mode);
  if (S_ISDIR(st.st_mode)) return Error(ErrorCode::InvalidArgument, "source " + path + ": is a directory");
  if (!is_block && !S_ISREG(st.st_mode)) {
    return Error(ErrorCode::InvalidArgument, "source " + path + ": not a regular file or block device");
  }

  SourceInfo info;
  info.path = path;
  info.is_block_device = is_block;
  std::vector<MountEntry> mounts;
  if (is_block) {
    read_sysfs_identity(st.st_rdev, info);
    mounts = mounts_of(st.st_rdev);
    for (const auto& m : mounts) info.mounts.push_back(m.mount_point + (m.read_write ? " (rw)" : " (ro)"));
    if (!options.allow_mounted) {
      for (const auto& m : mounts) {
        if (m.read_write) {
          return Error(ErrorCode::InvalidArgument, "source " + path + " is mounted read-write at " + m.mount_point +
                                                       " (unmount it, or pass " + setting_text(Setting::AllowMounted) +
                                                       " to image it live)");
        }
      }
    }
  }

  int flags = O_RDONLY | O_CLOEXEC | O_NOATIME;
  // O_EXCL on a block device fails with EBUSY while anything mounts it or holds it exclusively.
  const bool exclusive = is_block && !options.allow_mounted && mounts.empty();
  if (exclusive) flags |= O_EXCL;
  util::UniqueFd fd(::open(path.c_str(), flags | O_DIRECT));
  if (!fd && errno == EPERM) fd = util::UniqueFd(::open(path.c_str(), (flags & ~O_NOATIME) | O_DIRECT));
  bool direct = static_cast<bool>(fd);
  if (!fd && errno == EINVAL) fd = util::UniqueFd(::open(path.c_str(), flags & ~O_NOATIME));
  if (!fd) {
    int e = errno;
    if (e == EBUSY) {
      return Error(ErrorCode::InvalidArgument, "source " + path + " is busy (in use by a mount or another program)");
    }
    return Error::from_errno(ErrorCode::Io, "opening source " + path, e);
  }

  if (is_block) {
    EXHIBIT_CHECK(read_geometry(fd.get(), info));
    info.drive = query_drive_identity(fd.get(), info.device_name);
    if (info.model.empty()) info.model = info.drive.model;
    if (info.serial.empty()) info.serial = info.drive.serial;
    if (info.firmware.empty()) info.firmware = info.drive.firmware;
  } else {
    info.size = static_cast<uint64_t>(st.st_size);
    info.logical_sector_size = options.sector_size ? options.sector_size : 512;
    info.physical_sector_size = info.logical_sector_size;
  }
  if (options.sector_size && is_block && options.sector_size != info.logical_sector_size) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::SectorSize) + " applies to files only; " + path +
                                                 " has " + std::to_string(info.logical_sector_size) + "-byte sectors");
  }

  // Some file systems (tmpfs) refuse O_DIRECT reads; fall back to buffered reads there. (Block
  // devices take O_DIRECT: nothing is read from them before the acquisition's log exists.)
  if (direct && !is_block && info.size > 0) {
    util::AlignedBuffer probe(info.logical_sector_size);
    if (::pread(fd.get(), probe.data(), info.logical_sector_size, 0) < 0 && errno == EINVAL) {
      fd = util::UniqueFd(::open(path.c_str(), flags & ~O_NOATIME));
      if (!fd) return Error::from_errno(ErrorCode::Io, "opening source " + path, errno);
      direct = false;
    }
  }
  info.direct_io = direct;

  auto source = std::make_unique<FileSource>(std::move(fd), std::move(info));
  if (is_block) {
    source->guard().record().exclusive_open = exclusive;
    EXHIBIT_CHECK(source->guard().engage(source->fd(), path));
  }
  return std::unique_ptr<BlockSource>(std::move(source));
}

}  // namespace exhibit::io

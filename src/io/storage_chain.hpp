// Which block devices and files a write ends up on, and which devices hold a source's data: what
// the output guard (core/output_guard.hpp) compares so that nothing is ever written onto evidence.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace exhibit::io {

struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileId&) const = default;
};

// Every block device that shares `device`'s data: itself, its partitions, the disk a partition
// belongs to, and everything built on any of them (device-mapper, md: sysfs holders), recursively.
std::vector<dev_t> device_family(dev_t device, const std::string& sysfs_root = "/sys");

// What writing into the existing folder `dir` writes to: its file system's block device (from
// st_dev, and from the mount table's source, as st_dev is anonymous on btrfs), and where that is a
// loop device, the file behind it (`files`) and in turn what that file lives on.
struct StorageChain {
  std::vector<dev_t> devices;
  std::vector<FileId> files;
};
StorageChain storage_chain(const std::string& dir, const std::string& mountinfo_path = "/proc/self/mountinfo",
                           const std::string& sysfs_root = "/sys");

}  // namespace exhibit::io

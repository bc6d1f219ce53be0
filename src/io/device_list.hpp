// `exhibit devices`: every block device the kernel knows, from sysfs and the mount table, so a
// field officer can pick the right drive and see which ones hold the running system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/source_info.hpp"
#include "io/device_info.hpp"

namespace exhibit::io {

struct DeviceEntry {
  SourceInfo info;                   // path /dev/NAME, identity, sector sizes, size
  std::string dev;                   // MAJ:MIN
  bool read_only = false;            // the kernel read-only flag (sysfs ro)
  bool rotational = false;
  std::vector<std::string> partitions;
  std::vector<MountEntry> mounts;    // of the device and its partitions
  bool system = false;               // holds /, /boot, /usr or /var: the running system
  bool mounted_read_write = false;
};

// The devices under `sysfs_root`/block, sorted by name; `sysfs_root` and `mountinfo_path` are
// the real ones except in tests.
std::vector<DeviceEntry> list_devices(const std::string& sysfs_root = "/sys",
                                      const std::string& mountinfo_path = "/proc/self/mountinfo");

}  // namespace exhibit::io

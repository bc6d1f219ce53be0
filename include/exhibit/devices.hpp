// The block devices the kernel knows (`exhibit devices`), from sysfs and the mount table, so a
// field officer can pick the right drive and see which ones hold the running system.
#pragma once

#include <string>
#include <vector>

#include "exhibit/source_info.hpp"

namespace exhibit {

// One line of the mount table.
struct MountEntry {
  std::string mount_point;
  std::string device;  // major:minor
  std::string source;  // what was mounted: "/dev/sdb1", "tmpfs", ... (after the " - " separator)
  bool read_write = false;
};

struct DeviceEntry {
  SourceInfo info;         // path /dev/NAME, identity, sector sizes, size
  std::string dev;         // MAJ:MIN
  bool read_only = false;  // the kernel read-only flag (sysfs ro)
  bool rotational = false;
  std::vector<std::string> partitions;
  std::vector<MountEntry> mounts;  // of the device and its partitions
  bool system = false;             // holds /, /boot, /usr or /var: the running system
  bool mounted_read_write = false;
};

// Every block device under /sys/block, sorted by path. Reads sysfs and /proc/self/mountinfo
// only: no device is opened.
std::vector<DeviceEntry> list_devices();

}  // namespace exhibit

// Identity and geometry of a block device from ioctls and sysfs; mount table lookups.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "exhibit/devices.hpp"
#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit::io {

using MountEntry = exhibit::MountEntry;  // public: exhibit/devices.hpp

// Size (BLKGETSIZE64), sector sizes (BLKSSZGET, BLKPBSZGET) of an open block device.
Status read_geometry(int fd, SourceInfo& info);

// Model, serial, vendor, firmware, transport, removable from /sys/dev/block/MAJ:MIN.
// `sysfs_root` is "/sys" except in tests.
void read_sysfs_identity(dev_t device, SourceInfo& info, const std::string& sysfs_root = "/sys");

// Every mount of the device or one of its partitions, from a mountinfo file.
std::vector<MountEntry> mounts_of(dev_t device, const std::string& mountinfo_path = "/proc/self/mountinfo",
                                  const std::string& sysfs_root = "/sys");

// One sysfs attribute, trimmed ("" if absent).
std::string read_sysfs_attribute(const std::string& path);

// Parses /proc/self/mountinfo text (exposed for tests).
std::vector<MountEntry> parse_mountinfo(const std::string& text);

}  // namespace exhibit::io

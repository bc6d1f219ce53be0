// `exhibit devices`: every block device the kernel knows, from sysfs and the mount table. The
// public list_devices() (exhibit/devices.hpp) reads the real ones; tests give their own roots.
#pragma once

#include <string>
#include <vector>

#include "exhibit/devices.hpp"
#include "io/device_info.hpp"

namespace exhibit::io {

using DeviceEntry = exhibit::DeviceEntry;

// The devices under `sysfs_root`/block, sorted by name; `sysfs_root` and `mountinfo_path` are
// the real ones except in tests.
std::vector<DeviceEntry> list_devices(const std::string& sysfs_root = "/sys",
                                      const std::string& mountinfo_path = "/proc/self/mountinfo");

}  // namespace exhibit::io

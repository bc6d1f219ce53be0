#include "io/device_list.hpp"

#include <sys/sysmacros.h>

#include <algorithm>
#include <filesystem>

namespace exhibit::io {

namespace fs = std::filesystem;

namespace {

uint64_t number(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoull(s);
}

bool is_system_mount(const std::string& mount_point) {
  for (const char* m : {"/", "/boot", "/boot/efi", "/usr", "/var"}) {
    if (mount_point == m) return true;
  }
  return false;
}

}  // namespace

std::vector<DeviceEntry> list_devices(const std::string& sysfs_root, const std::string& mountinfo_path) {
  std::vector<DeviceEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(sysfs_root) / "block", ec)) {
    const fs::path dir = entry.path();
    DeviceEntry d;
    d.dev = read_sysfs_attribute((dir / "dev").string());
    const auto colon = d.dev.find(':');
    if (colon == std::string::npos) continue;
    const dev_t device = makedev(static_cast<unsigned>(number(d.dev.substr(0, colon))),
                                 static_cast<unsigned>(number(d.dev.substr(colon + 1))));
    const std::string name = dir.filename().string();
    d.info.path = "/dev/" + name;
    d.info.is_block_device = true;
    read_sysfs_identity(device, d.info, sysfs_root);
    if (d.info.device_name.empty()) d.info.device_name = name;
    d.info.removable = read_sysfs_attribute((dir / "removable").string()) == "1";
    d.info.size = number(read_sysfs_attribute((dir / "size").string())) * 512;  // sysfs counts 512-byte units
    d.info.logical_sector_size =
        static_cast<uint32_t>(number(read_sysfs_attribute((dir / "queue/logical_block_size").string())));
    d.info.physical_sector_size =
        static_cast<uint32_t>(number(read_sysfs_attribute((dir / "queue/physical_block_size").string())));
    d.read_only = read_sysfs_attribute((dir / "ro").string()) == "1";
    d.rotational = read_sysfs_attribute((dir / "queue/rotational").string()) == "1";
    for (const auto& sub : fs::directory_iterator(dir, ec)) {
      if (fs::exists(sub.path() / "partition")) d.partitions.push_back(sub.path().filename().string());
    }
    std::sort(d.partitions.begin(), d.partitions.end());
    d.mounts = mounts_of(device, mountinfo_path, sysfs_root);
    for (const auto& m : d.mounts) {
      d.system = d.system || is_system_mount(m.mount_point);
      d.mounted_read_write = d.mounted_read_write || m.read_write;
    }
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceEntry& a, const DeviceEntry& b) { return a.info.path < b.info.path; });
  return out;
}

}  // namespace exhibit::io

namespace exhibit {

std::vector<DeviceEntry> list_devices() { return io::list_devices(); }

}  // namespace exhibit

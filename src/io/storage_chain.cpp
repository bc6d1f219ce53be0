#include "io/storage_chain.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/device_info.hpp"

namespace exhibit::io {

namespace fs = std::filesystem;

namespace {

constexpr int k_max_depth = 8;  // loop over a file on a loop over a file ...: far more than anyone stacks

std::string dev_key(dev_t d) { return std::to_string(major(d)) + ":" + std::to_string(minor(d)); }

// "8:17" as a dev_t, or 0.
dev_t parse_dev(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return 0;
  try {
    return makedev(static_cast<unsigned>(std::stoul(text.substr(0, colon))),
                   static_cast<unsigned>(std::stoul(text.substr(colon + 1))));
  } catch (...) {
    return 0;
  }
}

fs::path sysfs_node(dev_t d, const std::string& sysfs_root) {
  std::error_code ec;
  fs::path p = fs::canonical(fs::path(sysfs_root) / "dev/block" / dev_key(d), ec);
  return ec ? fs::path() : p;
}

void add_unique(std::vector<dev_t>& v, dev_t d) {
  if (d != 0 && std::find(v.begin(), v.end(), d) == v.end()) v.push_back(d);
}

// `d`, its partitions and everything that holds any of them.
void collect_upward(dev_t d, const std::string& sysfs_root, std::vector<dev_t>& out, int depth) {
  if (d == 0 || depth > k_max_depth || std::find(out.begin(), out.end(), d) != out.end()) return;
  out.push_back(d);
  const fs::path node = sysfs_node(d, sysfs_root);
  if (node.empty()) return;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(node, ec)) {
    if (fs::exists(entry.path() / "partition", ec)) {
      collect_upward(parse_dev(read_sysfs_attribute((entry.path() / "dev").string())), sysfs_root, out, depth + 1);
    }
  }
  for (const auto& entry : fs::directory_iterator(node / "holders", ec)) {
    collect_upward(parse_dev(read_sysfs_attribute((entry.path() / "dev").string())), sysfs_root, out, depth + 1);
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The mount that holds `dir` (a canonical path): the longest mount point that is a prefix of it.
const MountEntry* mount_of(const std::string& dir, const std::vector<MountEntry>& mounts) {
  const MountEntry* best = nullptr;
  for (const auto& m : mounts) {
    const std::string& mp = m.mount_point;
    const bool inside = dir == mp || mp == "/" ||
                        (dir.rfind(mp, 0) == 0 && dir.size() > mp.size() && dir[mp.size()] == '/');
    // Later lines of mountinfo are mounted over earlier ones at the same point.
    if (inside && (best == nullptr || mp.size() >= best->mount_point.size())) best = &m;
  }
  return best;
}

void collect_downward(const std::string& dir, const std::vector<MountEntry>& mounts, const std::string& sysfs_root,
                      StorageChain& out, int depth) {
  if (depth > k_max_depth) return;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return;
  std::vector<dev_t> devices{st.st_dev};
  if (const MountEntry* m = mount_of(dir, mounts)) {
    add_unique(devices, parse_dev(m->device));
    struct stat src {};
    if (m->source.rfind("/dev/", 0) == 0 && ::stat(m->source.c_str(), &src) == 0 && S_ISBLK(src.st_mode)) {
      add_unique(devices, src.st_rdev);
    }
  }
  for (dev_t d : devices) {
    if (std::find(out.devices.begin(), out.devices.end(), d) != out.devices.end()) continue;
    out.devices.push_back(d);
    // A loop device writes into its backing file, which lives somewhere in turn.
    const fs::path node = sysfs_node(d, sysfs_root);
    if (node.empty()) continue;
    const std::string backing = read_sysfs_attribute((node / "loop/backing_file").string());
    struct stat b {};
    if (backing.empty() || ::stat(backing.c_str(), &b) != 0) continue;
    out.files.push_back({b.st_dev, b.st_ino});
    collect_downward(fs::path(backing).parent_path().string(), mounts, sysfs_root, out, depth + 1);
  }
}

}  // namespace

std::vector<dev_t> device_family(dev_t device, const std::string& sysfs_root) {
  std::vector<dev_t> out;
  collect_upward(device, sysfs_root, out, 0);
  // A partition's disk holds its data too (and so do the disk's other holders).
  const fs::path node = sysfs_node(device, sysfs_root);
  std::error_code ec;
  if (!node.empty() && fs::exists(node / "partition", ec)) {
    const dev_t disk = parse_dev(read_sysfs_attribute((node.parent_path() / "dev").string()));
    add_unique(out, disk);
  }
  return out;
}

StorageChain storage_chain(const std::string& dir, const std::string& mountinfo_path, const std::string& sysfs_root) {
  const std::vector<MountEntry> mounts = parse_mountinfo(read_text(mountinfo_path));
  StorageChain out;
  collect_downward(dir, mounts, sysfs_root, out, 0);
  return out;
}

}  // namespace exhibit::io

#include "io/device_info.hpp"

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace exhibit::io {

namespace fs = std::filesystem;

std::string read_sysfs_attribute(const std::string& path) {
  const fs::path p(path);
  std::ifstream in(p);
  if (!in) return {};
  std::string s;
  std::getline(in, s, '\0');
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

namespace {

std::string read_attribute(const fs::path& p) { return read_sysfs_attribute(p.string()); }

// The serial number from SCSI VPD page 0x80 (unit serial number) as sysfs exposes it.
std::string serial_from_vpd80(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() < 4 || static_cast<unsigned char>(raw[1]) != 0x80) return {};
  size_t len = (static_cast<unsigned char>(raw[2]) << 8) | static_cast<unsigned char>(raw[3]);
  std::string serial = raw.substr(4, len);
  while (!serial.empty() && (serial.back() == ' ' || serial.back() == '\0')) serial.pop_back();
  size_t b = serial.find_first_not_of(' ');
  return b == std::string::npos ? std::string() : serial.substr(b);
}

std::string dev_string(dev_t d) { return std::to_string(major(d)) + ":" + std::to_string(minor(d)); }

std::string unescape_mount(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string oct = s.substr(i + 1, 3);
      if (oct.size() == 3 && oct.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(oct, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool has_option(const std::string& options, const std::string& opt) {
  std::stringstream ss(options);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    if (tok == opt) return true;
  }
  return false;
}

}  // namespace

Status read_geometry(int fd, SourceInfo& info) {
  uint64_t size = 0;
  if (ioctl(fd, BLKGETSIZE64, &size) != 0) {
    return Error::from_errno(ErrorCode::Io, "BLKGETSIZE64 on " + info.path, errno);
  }
  int logical = 0;
  if (ioctl(fd, BLKSSZGET, &logical) != 0) {
    return Error::from_errno(ErrorCode::Io, "BLKSSZGET on " + info.path, errno);
  }
  unsigned int physical = 0;
  if (ioctl(fd, BLKPBSZGET, &physical) != 0) {
    return Error::from_errno(ErrorCode::Io, "BLKPBSZGET on " + info.path, errno);
  }
  info.size = size;
  info.logical_sector_size = static_cast<uint32_t>(logical);
  info.physical_sector_size = physical;
  return Ok{};
}

void read_sysfs_identity(dev_t device, SourceInfo& info, const std::string& sysfs_root) {
  fs::path node = fs::path(sysfs_root) / "dev/block" / dev_string(device);
  std::error_code ec;
  fs::path real = fs::canonical(node, ec);
  if (ec) return;
  info.device_name = real.filename().string();
  // A partition's identity is its disk's.
  fs::path disk = fs::exists(real / "partition") ? real.parent_path() : real;
  info.removable = read_attribute(disk / "removable") == "1";
  fs::path dev = disk / "device";
  info.model = read_attribute(dev / "model");
  info.vendor = read_attribute(dev / "vendor");
  info.serial = read_attribute(dev / "serial");
  if (info.serial.empty()) info.serial = serial_from_vpd80(dev / "vpd_pg80");
  info.firmware = read_attribute(dev / "firmware_rev");
  if (info.firmware.empty()) info.firmware = read_attribute(dev / "rev");
  info.loop_backing_file = read_attribute(disk / "loop/backing_file");
  const std::string p = real.string();
  if (info.device_name.rfind("loop", 0) == 0) {
    info.transport = "loop";
  } else if (p.find("/usb") != std::string::npos) {
    info.transport = "usb";
  } else if (p.find("/nvme") != std::string::npos) {
    info.transport = "nvme";
  } else if (p.find("/mmc") != std::string::npos) {
    info.transport = "mmc";
  } else if (p.find("/ata") != std::string::npos) {
    info.transport = "sata";
  } else if (p.find("/virtio") != std::string::npos) {
    info.transport = "virtio";
  }
}

std::vector<MountEntry> parse_mountinfo(const std::string& text) {
  std::vector<MountEntry> out;
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::stringstream ss(line);
    std::vector<std::string> f;
    std::string tok;
    while (ss >> tok) f.push_back(tok);
    if (f.size() < 6) continue;
    size_t sep = 6;
    while (sep < f.size() && f[sep] != "-") ++sep;
    MountEntry m;
    m.device = f[2];
    m.mount_point = unescape_mount(f[4]);
    if (sep + 2 < f.size()) m.source = unescape_mount(f[sep + 2]);
    bool super_ro = sep + 3 < f.size() && has_option(f[sep + 3], "ro");
    m.read_write = has_option(f[5], "rw") && !super_ro;
    out.push_back(m);
  }
  return out;
}

std::vector<MountEntry> mounts_of(dev_t device, const std::string& mountinfo_path, const std::string& sysfs_root) {
  std::vector<std::string> devs{dev_string(device)};
  std::error_code ec;
  fs::path node = fs::canonical(fs::path(sysfs_root) / "dev/block" / dev_string(device), ec);
  if (!ec) {
    for (const auto& entry : fs::directory_iterator(node, ec)) {
      if (fs::exists(entry.path() / "partition")) {
        std::string d = read_attribute(entry.path() / "dev");
        if (!d.empty()) devs.push_back(d);
      }
    }
  }
  std::ifstream in(mountinfo_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<MountEntry> out;
  for (auto& m : parse_mountinfo(text)) {
    for (const auto& d : devs) {
      if (m.device == d) out.push_back(m);
    }
  }
  return out;
}

}  // namespace exhibit::io

// `exhibit devices` from a directory tree shaped like real sysfs: a SATA disk with a partition
// holding the root file system, a USB stick, an NVMe namespace with 4096-byte sectors, an MMC
// card mounted read-only, and a read-only loop device.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/device_list.hpp"
#include "test_support.hpp"

using namespace exhibit;
namespace fs = std::filesystem;

namespace {

struct FakeDevice {
  std::string name, dev, devices_path;  // devices_path: where the kernel puts it under /sys/devices
  uint64_t sectors512;
  unsigned logical, physical;
  bool removable, rotational, ro;
  std::string model, vendor, serial, firmware;
  std::vector<std::pair<std::string, std::string>> partitions;  // name, MAJ:MIN
};

void put(const fs::path& p, const std::string& value) {
  fs::create_directories(p.parent_path());
  test::write_file(p.string(), value + "\n");
}

void build(const std::string& root, const FakeDevice& d) {
  const fs::path real = fs::path(root) / "devices" / d.devices_path / "block" / d.name;
  put(real / "dev", d.dev);
  put(real / "size", std::to_string(d.sectors512));
  put(real / "removable", d.removable ? "1" : "0");
  put(real / "ro", d.ro ? "1" : "0");
  put(real / "queue/logical_block_size", std::to_string(d.logical));
  put(real / "queue/physical_block_size", std::to_string(d.physical));
  put(real / "queue/rotational", d.rotational ? "1" : "0");
  if (!d.model.empty()) put(real / "device/model", d.model);
  if (!d.vendor.empty()) put(real / "device/vendor", d.vendor);
  if (!d.serial.empty()) put(real / "device/serial", d.serial);
  if (!d.firmware.empty()) put(real / "device/firmware_rev", d.firmware);
  fs::create_directories(fs::path(root) / "block");
  fs::create_directories(fs::path(root) / "dev/block");
  fs::create_symlink(real, fs::path(root) / "block" / d.name);
  fs::create_symlink(real, fs::path(root) / "dev/block" / d.dev);
  for (const auto& [part, dev] : d.partitions) {
    put(real / part / "dev", dev);
    put(real / part / "partition", "1");
    fs::create_symlink(real / part, fs::path(root) / "dev/block" / dev);
  }
}

const io::DeviceEntry* find(const std::vector<io::DeviceEntry>& list, const std::string& path) {
  for (const auto& d : list) {
    if (d.info.path == path) return &d;
  }
  return nullptr;
}

}  // namespace

TEST(DeviceList, ReadsIdentityGeometryAndMountsFromSysfs) {
  test::TempDir tmp;
  const std::string sys = tmp / "sys";
  build(sys, {"sda",
              "8:0",
              "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0",
              3907029168,
              512,
              4096,
              false,
              true,
              false,
              "ST2000DM008-2FR102",
              "ATA",
              "ZFL0ABCD",
              "0001",
              {{"sda1", "8:1"}, {"sda2", "8:2"}}});
  build(sys, {"sdb",
              "8:16",
              "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0",
              60063744,
              512,
              512,
              true,
              false,
              false,
              "Cruzer Blade",
              "SanDisk",
              "4C530001",
              "1.00",
              {}});
  build(sys, {"nvme0n1",
              "259:0",
              "pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0",
              2000409264,
              4096,
              4096,
              false,
              false,
              false,
              "Samsung SSD 980 1TB",
              "",
              "S64ANS0T123456",
              "2B4QFXO7",
              {}});
  build(sys, {"mmcblk0",
              "179:0",
              "platform/soc/mmc0/mmc0:aaaa",
              62333952,
              512,
              512,
              true,
              false,
              false,
              "SD64G",
              "",
              "0x1234abcd",
              "",
              {{"mmcblk0p1", "179:1"}}});
  build(sys, {"loop0", "7:0", "virtual", 131072, 4096, 4096, false, false, true, "", "", "", "", {}});
  test::write_file(tmp / "mountinfo",
                   "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
                   "23 22 8:1 / /boot/efi rw,relatime shared:2 - vfat /dev/sda1 rw\n"
                   "40 22 179:1 / /media/card ro,nosuid shared:3 - vfat /dev/mmcblk0p1 ro\n"
                   "41 22 0:5 / /proc rw shared:4 - proc proc rw\n");
  const auto list = io::list_devices(sys, tmp / "mountinfo");
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].info.path, "/dev/loop0") << "sorted by path";

  const auto* sda = find(list, "/dev/sda");
  ASSERT_NE(sda, nullptr);
  EXPECT_EQ(sda->info.size, 3907029168ull * 512);
  EXPECT_EQ(sda->info.model, "ST2000DM008-2FR102");
  EXPECT_EQ(sda->info.serial, "ZFL0ABCD");
  EXPECT_EQ(sda->info.firmware, "0001");
  EXPECT_EQ(sda->info.transport, "sata");
  EXPECT_EQ(sda->info.logical_sector_size, 512u);
  EXPECT_EQ(sda->info.physical_sector_size, 4096u);
  EXPECT_TRUE(sda->rotational);
  EXPECT_EQ(sda->partitions, (std::vector<std::string>{"sda1", "sda2"}));
  ASSERT_EQ(sda->mounts.size(), 2u);
  EXPECT_TRUE(sda->system) << "holds /";
  EXPECT_TRUE(sda->mounted_read_write);

  const auto* usb = find(list, "/dev/sdb");
  ASSERT_NE(usb, nullptr);
  EXPECT_EQ(usb->info.transport, "usb");
  EXPECT_TRUE(usb->info.removable);
  EXPECT_EQ(usb->info.vendor, "SanDisk");
  EXPECT_FALSE(usb->system);
  EXPECT_TRUE(usb->mounts.empty());

  const auto* nvme = find(list, "/dev/nvme0n1");
  ASSERT_NE(nvme, nullptr);
  EXPECT_EQ(nvme->info.transport, "nvme");
  EXPECT_EQ(nvme->info.logical_sector_size, 4096u);
  EXPECT_EQ(nvme->info.serial, "S64ANS0T123456");

  const auto* mmc = find(list, "/dev/mmcblk0");
  ASSERT_NE(mmc, nullptr);
  EXPECT_EQ(mmc->info.transport, "mmc");
  ASSERT_EQ(mmc->mounts.size(), 1u);
  EXPECT_FALSE(mmc->mounts[0].read_write);
  EXPECT_FALSE(mmc->mounted_read_write);
  EXPECT_FALSE(mmc->system);

  const auto* loop = find(list, "/dev/loop0");
  ASSERT_NE(loop, nullptr);
  EXPECT_EQ(loop->info.transport, "loop");
  EXPECT_TRUE(loop->read_only);
  EXPECT_EQ(loop->info.size, 131072u * 512);
}

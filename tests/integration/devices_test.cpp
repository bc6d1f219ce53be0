// `exhibit devices --json` on this machine: a loop device we attach appears with its true size,
// sector sizes and read-only flag (512 and 4096 via losetup --sector-size), and the device
// holding the root file system is marked as the running system. And the identity query behind
// the bus, run against a loop device.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
using nlohmann::json;

TEST(Devices, ListsAnAttachedLoopDeviceAndMarksTheSystemDisk) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and loop devices";
  TempDir tmp;
  run("truncate -s 24M " + sh_quote(tmp / "a.img") + " && truncate -s 40M " + sh_quote(tmp / "b.img"));
  LoopDevice small(tmp / "a.img", /*read_only=*/true, 512);
  LoopDevice big(tmp / "b.img", /*read_only=*/false, 4096);
  ASSERT_TRUE(small.ok() && big.ok());
  auto r = run(sh_quote(exhibit_bin()) + " devices --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["command"], "devices");
  auto find = [&](const std::string& path) -> json {
    for (const auto& d : j["devices"]) {
      if (d["path"] == path) return d;
    }
    return json();
  };
  const json a = find(small.path());
  ASSERT_FALSE(a.is_null()) << r.out;
  EXPECT_EQ(a["size"], 24u << 20);
  EXPECT_EQ(a["logical_sector_size"], 512);
  EXPECT_EQ(a["read_only"], true);
  EXPECT_EQ(a["transport"], "loop");
  EXPECT_EQ(a["loop_backing_file"], tmp / "a.img");
  const json b = find(big.path());
  ASSERT_FALSE(b.is_null()) << r.out;
  EXPECT_EQ(b["size"], 40u << 20);
  EXPECT_EQ(b["logical_sector_size"], 4096);
  EXPECT_EQ(b["read_only"], false);
  // The root file system's device (per findmnt, an independent reader of the mount table).
  auto root = run("findmnt -n -o MAJ:MIN /");
  std::string root_dev = root.out.substr(0, root.out.find('\n'));
  root_dev.erase(0, root_dev.find_first_not_of(' '));
  root_dev.erase(root_dev.find_last_not_of(' ') + 1);
  bool marked = false;
  for (const auto& d : j["devices"]) {
    for (const auto& m : d["mounts"]) {
      if (m["mount_point"] == "/" && m["device"] == root_dev) marked = d["system"].get<bool>();
    }
  }
  if (root_dev.rfind("0:", 0) == 0) {
    GTEST_SKIP() << "/ is not on a block device here (" << root_dev << ")";
  }
  EXPECT_TRUE(marked) << "the device holding / (" << root_dev << ") is not marked\n" << r.out;
  // The text form says so too.
  auto text = run(sh_quote(exhibit_bin()) + " devices");
  EXPECT_NE(text.out.find("SYSTEM: holds the running system"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(big.path()), std::string::npos);
}

// The SG_IO path (ATA IDENTIFY through SAT, then SCSI INQUIRY) runs against a loop device, which
// supports neither: the acquisition says so cleanly and goes on.
TEST(Devices, IdentityBehindTheBusOnALoopDeviceIsReportedAsNotSupported) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and loop devices";
  TempDir tmp;
  write_file(tmp / "disk.img", random_bytes(4 << 20, 81));
  LoopDevice dev(tmp / "disk.img", /*read_only=*/true);
  ASSERT_TRUE(dev.ok());
  auto r = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(dev.path()) + " -o " + sh_quote(tmp / "x"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string log = read_file(tmp / "x.log");
  EXPECT_NE(log.find("identity behind the bus (read-only commands)"), std::string::npos) << log;
  EXPECT_NE(log.find("step: ATA IDENTIFY DEVICE: SG_IO: "), std::string::npos) << log;
  EXPECT_NE(log.find("status: not supported by this device"), std::string::npos) << log;
  EXPECT_EQ(log.find("HIDDEN AREA"), std::string::npos);
  const json m = json::parse(read_file(tmp / "x.manifest.json"));
  EXPECT_EQ(m["source"]["drive"]["status"].get<std::string>().rfind("not supported by this device", 0), 0u);
  EXPECT_EQ(m["source"]["drive"]["hpa_sectors"], 0);
  // info reads it back from the record beside the image.
  auto info = run(sh_quote(exhibit_bin()) + " info --json " + sh_quote(tmp / "x.E01"));
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(json::parse(info.out)["drive"]["status"], m["source"]["drive"]["status"]);
  auto text = run(sh_quote(exhibit_bin()) + " info " + sh_quote(tmp / "x.E01"));
  EXPECT_NE(text.out.find("drive identity       not supported by this device"), std::string::npos) << text.out;
}

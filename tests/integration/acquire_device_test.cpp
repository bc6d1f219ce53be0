// An ext4 disk with known files, attached as a loop device, acquired through the CLI and checked
// with independent tools: ewfverify, ewfinfo, md5sum/sha1sum/sha256sum, fls/icat.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;

namespace {

const std::vector<std::pair<std::string, std::string>>& known_files() {
  static const std::vector<std::pair<std::string, std::string>> files = {
      {"evidence/ledger.txt", "2026-11-01 paid 4000 to account 12-34-56\n"},
      {"evidence/photo.bin", random_bytes(300000, 42)},
      {"readme-first.txt", "nothing to see here\n"},
  };
  return files;
}

std::string acquire_command(const std::string& source, const std::string& base) {
  return sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(base) +
         " --case-number 42 --evidence-number disk1 --examiner 'J. Smith'"
         " --description 'Seagate 2TB from desk' --notes 'seized 2026-11-28' --quiet";
}

}  // namespace

class DeviceAcquire : public ::testing::TestWithParam<unsigned> {};

TEST_P(DeviceAcquire, Ext4LoopDeviceRoundTrip) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and /dev/loop-control";
  const unsigned sector = GetParam();
  TempDir tmp;
  const std::string disk = tmp / "disk.img";
  make_ext4(disk, 24, known_files(), tmp.path());
  const std::string before = digest_of("sha256sum", disk);
  LoopDevice loop(disk, /*read_only=*/true, sector);
  ASSERT_TRUE(loop.ok()) << "losetup failed";
  const std::string base = tmp / "out/case42-disk1";
  const std::string e01 = base + ".E01";

  auto r = run(acquire_command(loop.path(), base));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  auto v = run("ewfverify -q " + sh_quote(e01));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out;

  auto info = run("ewfinfo " + sh_quote(e01));
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(field_after(info.out, "Case number:"), "42");
  EXPECT_EQ(field_after(info.out, "Evidence number:"), "disk1");
  EXPECT_EQ(field_after(info.out, "Examiner name:"), "J. Smith");
  EXPECT_EQ(field_after(info.out, "Description:"), "Seagate 2TB from desk");
  EXPECT_EQ(field_after(info.out, "Notes:"), "seized 2026-11-28");
  EXPECT_EQ(field_after(info.out, "File format:"), "EnCase 6");
  EXPECT_EQ(field_after(info.out, "Bytes per sector:"), std::to_string(sector));
  EXPECT_EQ(field_after(info.out, "Is physical:"), "yes");
  EXPECT_NE(field_after(info.out, "Acquisition date:"), "");
  EXPECT_NE(field_after(info.out, "Operating system used:"), "");
  EXPECT_EQ(field_after(info.out, "Software version used:"), EXHIBIT_VERSION);
  EXPECT_EQ(field_after(info.out, "MD5:"), digest_of("md5sum", loop.path()));
  EXPECT_EQ(field_after(info.out, "SHA1:"), digest_of("sha1sum", loop.path()));
  EXPECT_EQ(field_after(info.out, "MD5:"), digest_of("md5sum", disk));

  auto fls = run("fls -r " + sh_quote(e01));
  ASSERT_EQ(fls.exit_code, 0) << fls.err;
  for (const char* name : {"ledger.txt", "photo.bin", "readme-first.txt", "evidence"}) {
    EXPECT_NE(fls.out.find(name), std::string::npos) << name << "\n" << fls.out;
  }
  // icat extracts a file from the image byte for byte.
  std::string inode = fls.out.substr(0, fls.out.find(":\tphoto.bin"));
  inode = inode.substr(inode.find_last_of(' ') + 1);
  auto icat = run("icat " + sh_quote(e01) + " " + inode + " | sha256sum");
  write_file(tmp / "photo.expected", known_files()[1].second);
  EXPECT_EQ(icat.out.substr(0, 64), digest_of("sha256sum", tmp / "photo.expected"));

  auto ours = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(e01));
  EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  EXPECT_NE(ours.out.find(digest_of("sha256sum", disk) + "  MATCH"), std::string::npos) << ours.out;
  // The independent commands verify prints give the results it claims.
  const std::string repeat = ours.out.substr(ours.out.find("repeat with independent tools:"));
  const std::string ewfverify_line = field_after(repeat, "\n  ");
  ASSERT_EQ(ewfverify_line.rfind("ewfverify ", 0), 0u) << repeat;
  EXPECT_NE(run(ewfverify_line).out.find("ewfverify: SUCCESS"), std::string::npos);
  const std::string export_line = field_after(repeat.substr(repeat.find(ewfverify_line) + 1), "\n  ");
  ASSERT_NE(export_line.find("sha256sum"), std::string::npos) << repeat;
  EXPECT_EQ(run(export_line).out.substr(0, 64), digest_of("sha256sum", disk)) << export_line;

  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("kernel read-only flag checked with BLKROGET: 1"), std::string::npos) << log;
  EXPECT_NE(log.find("ACQUISITION COMPLETE: every sector read"), std::string::npos) << log;
  EXPECT_NE(log.find(digest_of("sha256sum", disk)), std::string::npos) << log;
  EXPECT_NE(read_file(base + ".manifest.json").find(digest_of("sha256sum", disk)), std::string::npos);

  EXPECT_EQ(run("blockdev --getro " + loop.path()).out, "1\n");
  EXPECT_EQ(digest_of("sha256sum", disk), before) << "the source changed";
}

INSTANTIATE_TEST_SUITE_P(SectorSizes, DeviceAcquire, ::testing::Values(512u, 4096u));

TEST(WriteBlock, FlagIsSetDuringAcquisitionAndRestored) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and /dev/loop-control";
  TempDir tmp;
  const std::string disk = tmp / "disk.img";
  write_file(disk, random_bytes(4 << 20, 9));
  const std::string before = digest_of("sha256sum", disk);
  LoopDevice loop(disk, /*read_only=*/false);
  ASSERT_TRUE(loop.ok());
  ASSERT_EQ(run("blockdev --getro " + loop.path()).out, "0\n");
  // --verify=source: the source is opened again for the re-read, write-blocked again, and left as found.
  auto r =
      run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(tmp / "img") + " -q --verify=source");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string log = read_file(tmp / "img.log");
  EXPECT_NE(log.find("re-read write-block: kernel read-only flag set with BLKROSET 1"), std::string::npos) << log;
  EXPECT_NE(log.find("re-read write-block: kernel read-only flag restored to 0"), std::string::npos) << log;
  EXPECT_NE(log.find("source: " + loop.path() + ": 4194304 bytes compared sector by sector, identical"),
            std::string::npos)
      << log;
  EXPECT_NE(read_file(tmp / "img.manifest.json").find("\"verdict\": \"verified\""), std::string::npos);
  EXPECT_NE(read_file(tmp / "img.report.html").find("Write-block steps of the source re-read"), std::string::npos);
  EXPECT_NE(log.find("kernel read-only flag before acquisition: 0"), std::string::npos) << log;
  EXPECT_NE(log.find("kernel read-only flag set with BLKROSET 1"), std::string::npos) << log;
  EXPECT_NE(log.find("kernel read-only flag checked with BLKROGET: 1"), std::string::npos) << log;
  EXPECT_NE(log.find("kernel read-only flag restored to 0"), std::string::npos) << log;
  EXPECT_EQ(run("blockdev --getro " + loop.path()).out, "0\n");
  EXPECT_EQ(digest_of("sha256sum", disk), before);
  EXPECT_EQ(field_after(run("ewfinfo " + sh_quote(tmp / "img.E01")).out, "MD5:"), digest_of("md5sum", disk));
}

TEST(WriteBlock, MountedReadWriteSourceIsRefused) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and /dev/loop-control";
  TempDir tmp;
  const std::string disk = tmp / "disk.img";
  make_ext4(disk, 16, known_files(), tmp.path());
  LoopDevice loop(disk, /*read_only=*/false);
  ASSERT_TRUE(loop.ok());
  const std::string mnt = tmp / "mnt";
  ScopedMount mount(loop.path(), mnt);
  if (!mount.ok()) GTEST_SKIP() << "cannot mount ext4 here";

  auto r = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(tmp / "img") + " -q");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("mounted read-write at " + mnt), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-mounted"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp / "img.E01"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "img.log"));

  auto live = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(tmp / "live") +
                  " --allow-mounted -q");
  EXPECT_EQ(live.exit_code, 0) << live.err;
  EXPECT_NE(read_file(tmp / "live.log").find("mounted at: " + mnt + " (rw)"), std::string::npos);
}

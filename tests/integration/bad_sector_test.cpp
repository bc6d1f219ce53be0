// Real unreadable sectors: nbdkit's ddrescue filter fails reads of chosen ranges, served through
// nbdfuse and a direct-I/O loop device. The E01 error list must hold exactly those ranges and
// every other sector must equal the source.
#include <gtest/gtest.h>

#include <cstdio>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

TEST(BadSectors, OnlyUnreadableSectorsAreZeroFilledAndListed) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const uint64_t size = 24 << 20;
  const uint64_t last_sector = size / 512 - 1;
  const std::string source = tmp / "source.img";
  const std::string data = random_bytes(size, 77);
  write_file(source, data);
  const std::string before = digest_of("sha256sum", source);
  // The first sector, one in the middle of a chunk, a run inside one 4 KiB page, a run across a
  // chunk and a read boundary, an 8 MiB bad region, and the last sector.
  const std::vector<SectorRange> bad = {{0, 1}, {2048 + 37, 1}, {4097, 6}, {8190, 9}, {16384, 16384}, {last_sector, 1}};

  std::string expected = data;
  for (const auto& r : bad) expected.replace(r.first * 512, r.count * 512, std::string(r.count * 512, '\0'));
  write_file(tmp / "expected.img", expected);

  BadSectorDisk rig(source, ddrescue_map(size, bad), tmp.path());
  ASSERT_TRUE(rig.ok()) << "nbdfuse did not come up";
  {
    LoopDevice loop(rig.file(), /*read_only=*/true, 512, /*direct_io=*/true);
    ASSERT_TRUE(loop.ok());
    const std::string base = tmp / "bad";
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(base) + " -q --retries 1");
    ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_NE(r.out.find("0-0, 2085-2085, 4097-4102, 8190-8198, 16384-32767, 49151-49151"), std::string::npos) << r.out;

    auto info = run("ewfinfo -e " + sh_quote(base + ".E01"));
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_EQ(ewfinfo_error_ranges(info.out), bad) << info.out;

    auto v = run("ewfverify -q " + sh_quote(base + ".E01"));
    EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out;
    auto exp = run("ewfexport -q -u -f raw -t " + sh_quote(tmp / "exported") + " " + sh_quote(base + ".E01"));
    ASSERT_EQ(exp.exit_code, 0) << exp.err;
    EXPECT_EQ(digest_of("sha256sum", tmp / "exported.raw"), digest_of("sha256sum", tmp / "expected.img"));

    const std::string log = read_file(base + ".log");
    EXPECT_NE(log.find("UNREADABLE sectors 0-0 (1 sectors"), std::string::npos) << log;
    EXPECT_NE(log.find("UNREADABLE sectors 8190-8198 (9 sectors"), std::string::npos) << log;
    EXPECT_NE(log.find("UNREADABLE sectors 16384-32767 (16384 sectors"), std::string::npos) << log;
    EXPECT_NE(log.find("UNREADABLE sectors 49151-49151 (1 sectors"), std::string::npos) << log;
    EXPECT_NE(log.find("ACQUISITION COMPLETE WITH UNREADABLE SECTORS"), std::string::npos) << log;

    // GNU ddrescuelog reads our map and lists exactly the bad sectors.
    if (have_tool("ddrescuelog")) {
      auto listed = run("ddrescuelog -l- -b512 " + sh_quote(base + ".map"));
      ASSERT_EQ(listed.exit_code, 0) << listed.err;
      std::string want;
      for (const auto& b : bad) {
        for (uint64_t k = 0; k < b.count; ++k) want += std::to_string(b.first + k) + "\n";
      }
      EXPECT_EQ(listed.out, want);
      auto untried = run("ddrescuelog -l? -b512 " + sh_quote(base + ".map"));
      EXPECT_EQ(untried.exit_code, 0) << untried.err;
      EXPECT_EQ(untried.out, "") << "the map still has areas not tried";
    }

    auto ours = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(base + ".E01"));
    EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
    EXPECT_NE(ours.out.find("16402 sectors unreadable at acquisition"), std::string::npos) << ours.out;
  }
  EXPECT_EQ(digest_of("sha256sum", source), before) << "the source changed";
}

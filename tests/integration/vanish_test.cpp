// A source that stops answering mid-acquisition (the cable is pulled): nbdkit's error filter
// fails every read once a trigger file exists. Debian's ewfacquire and dc3dd report success here
// with the rest zero-filled; we must stop with exit 3 and an unfinished image, which --resume
// completes once the cable is back.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

TEST(Vanish, PulledCableStopsWithAnUnfinishedImageThatResumes) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(64 << 20, 31));
  const std::string before = digest_of("sha256sum", source);
  const std::string trigger = tmp / "pull-the-cable";
  // error is the outer filter: once triggered, reads fail at once; before that the source reads
  // at no more than about 10 MB/s (rate is in bits per second), so the whole takes at least 6 s,
  // however fast the machine. The run stops itself when it saved its first periodic state (2 s
  // of reading, with chunks written: something to resume), the cable is pulled there, and the
  // run goes on.
  NbdDisk disk(source, "--filter=error --filter=rate", "error-rate=100% error-file=" + sh_quote(trigger) + " rate=80M",
               tmp.path());
  ASSERT_TRUE(disk.ok());
  const std::string base = tmp / "img";
  auto check_unfinished = [&] {
    EXPECT_FALSE(fs::exists(base + ".E01")) << "an unfinished image must not look finished";
    EXPECT_FALSE(fs::exists(base + ".manifest.json"));
    EXPECT_TRUE(fs::exists(base + ".incomplete.E01"));
    const std::string log = read_file(base + ".log");
    EXPECT_NE(log.find("ACQUISITION FAILED: the source stopped answering"), std::string::npos) << log;
    EXPECT_EQ(log.find("ACQUISITION COMPLETE"), std::string::npos) << log;
    // Most of the source was never read: the map must not claim it was, nor call it bad.
    const std::string map = read_file(base + ".map");
    EXPECT_NE(map.find("  ?\n"), std::string::npos) << map;
    auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(base + ".incomplete.E01"));
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_NE(v.err.find("unfinished acquisition"), std::string::npos) << v.err;
  };
  {
    LoopDevice loop(disk.file(), /*read_only=*/true, 512, /*direct_io=*/true);
    ASSERT_TRUE(loop.ok());
    auto r = run(pause_at("acquire:state-saved") + sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " +
                 sh_quote(base) + " -q & pid=$!; " + at_pause_point("touch " + sh_quote(trigger)) +
                 "wait $pid; echo \"exit=$?\"");
    EXPECT_NE(r.out.find("exit=3"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("stopped answering"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" --resume"), std::string::npos) << r.err;
    check_unfinished();
    // The cable is back: --resume completes the image, and it is the source's.
    fs::remove(trigger);
    auto again = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(base) + " -q --resume");
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  }
  auto ewf = run("ewfverify -q " + sh_quote(base + ".E01"));
  EXPECT_NE(ewf.out.find("ewfverify: SUCCESS"), std::string::npos) << ewf.out;
  EXPECT_NE(ewf.out.find(digest_of("md5sum", source)), std::string::npos) << ewf.out;
  EXPECT_NE(ewf.out.find(digest_of("sha1sum", source)), std::string::npos) << ewf.out;
  EXPECT_NE(read_file(base + ".manifest.json").find(before), std::string::npos)
      << "the record holds the source's SHA-256";
  EXPECT_NE(read_file(base + ".log").find("ACQUISITION COMPLETE: every sector read"), std::string::npos);
  EXPECT_EQ(digest_of("sha256sum", source), before);
}

// Several source reads in flight (issue 14): NVMe drives and USB bridges reach full speed only
// with more than one request outstanding. The source here answers every request after 5 ms
// (nbdkit's delay filter) over several NBD connections, so requests made at once overlap; nbdkit's
// log filter shows how many it had in flight. We count them (events in nbdkit's order), we do not
// time them: with --queue-depth 8 at least three times as many reads are in flight as with 1, and
// the image is the source's either way.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

struct DepthRun {
  double in_flight = 0;
  std::string md5;
};

// One acquisition of `source` with `depth` reads in flight, through a fresh server and log.
DepthRun acquire_at_depth(const TempDir& tmp, const std::string& source, unsigned depth) {
  const std::string name = "depth" + std::to_string(depth);
  const std::string log = tmp / (name + ".nbdkit.log");
  const std::string base = tmp / (name + "/img");
  const std::string rig = tmp / (name + "-rig");
  fs::create_directories(rig);
  {
    ServedNbdDisk disk(source, "--filter=log --filter=delay", "rdelay=5ms logfile=" + sh_quote(log), rig, 8);
    EXPECT_TRUE(disk.ok());
    if (!disk.ok()) return {};
    // 128 KiB reads: each is one request at nbdkit (FUSE splits larger ones itself, in parallel).
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(disk.file()) + " -o " + sh_quote(base) +
                 " -q -j 2 --hash md5 --piece-size 0 --read-size 128KiB --queue-depth " + std::to_string(depth));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  const std::string log_text = read_file(base + ".log");
  if (depth > 1) {
    EXPECT_NE(log_text.find("read " + std::to_string(depth) + " threads"), std::string::npos) << log_text;
  }
  return {mean_reads_in_flight(read_file(log)), field_after(log_text, "md5: ")};
}

}  // namespace

TEST(QueueDepth, SeveralReadsInFlightOnASlowSource) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(24 << 20, 14));
  const std::string before = digest_of("sha256sum", source);
  const std::string md5 = digest_of("md5sum", source);

  const DepthRun one = acquire_at_depth(tmp, source, 1);
  const DepthRun eight = acquire_at_depth(tmp, source, 8);
  EXPECT_EQ(one.md5, md5);
  EXPECT_EQ(eight.md5, md5);
  // One at a time is one at a time (the opening identification read is one request too).
  EXPECT_GE(one.in_flight, 1.0);
  EXPECT_LT(one.in_flight, 1.5);
  EXPECT_GE(eight.in_flight, 3 * one.in_flight)
      << "reads in flight: " << one.in_flight << " at depth 1, " << eight.in_flight << " at depth 8";
  std::printf("reads in flight at nbdkit: %.2f at depth 1, %.2f at depth 8\n", one.in_flight, eight.in_flight);
  EXPECT_EQ(digest_of("sha256sum", source), before);
}

TEST(QueueDepth, RefusedOutOfRange) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(1 << 20, 15));
  for (const std::string bad : {"--queue-depth 0", "--queue-depth 33", "--read-size 1KiB", "--read-size 17MiB",
                                "--format zst --read-size 1MiB"}) {
    auto r =
        run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(tmp / "img") + " -q " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << bad << ": " << r.err;
    EXPECT_FALSE(fs::exists(tmp / "img.log")) << bad;
  }
}

// The source changes under the acquisition: its size (grows or shrinks) stops it with exit 3 and
// an unfinished image; its kernel read-only flag cleared by another program is noticed within
// a second (or by the last check, at the end), set again, and recorded in the log and the record, and the acquisition
// completes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// Starts an acquisition of `source` to `base`, runs `meanwhile` while the run is held at its first
// written block (a pause point: the source is open and write-blocked, most of it still unread),
// and returns "exit=N" with the acquisition's output.
CommandResult acquire_while(const std::string& source, const std::string& base, const std::string& meanwhile) {
  return run(pause_at("pipeline:first-block") + sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " +
             sh_quote(base) + " --piece-size 0 & pid=$!; " + at_pause_point(meanwhile) + "wait $pid; echo \"exit=$?\"");
}

}  // namespace

TEST(SourceChange, ASizeChangeStopsTheAcquisition) {
  TempDir tmp;
  for (const char* change : {"1536M", "512M"}) {
    const std::string src = tmp / ("sparse-" + std::string(change) + ".img");
    run("truncate -s 1G " + sh_quote(src));
    const std::string base = tmp / ("img-" + std::string(change));
    auto r = acquire_while(src, base, "truncate -s " + std::string(change) + " " + sh_quote(src));
    EXPECT_NE(r.out.find("exit=3"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("changed from 1073741824 to"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bytes during the acquisition"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(base + ".E01")) << "a stopped acquisition must not look finished";
    EXPECT_NE(read_file(base + ".log").find("ACQUISITION FAILED"), std::string::npos);
  }
}

TEST(SourceChange, AClearedReadOnlyFlagIsSetAgainAndRecorded) {
  if (!have_loop_devices() || !have_tool("blockdev")) GTEST_SKIP() << "needs root, loop devices and blockdev";
  TempDir tmp;
  run("truncate -s 256M " + sh_quote(tmp / "disk.img"));
  LoopDevice dev(tmp / "disk.img", /*read_only=*/false);
  ASSERT_TRUE(dev.ok());
  ASSERT_EQ(run("blockdev --getro " + dev.path()).out, "0\n");
  const std::string base = tmp / "img";
  auto r = acquire_while(dev.path(), base, "blockdev --setrw " + dev.path());
  EXPECT_NE(r.out.find("exit=0"), std::string::npos) << r.out << r.err;
  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("kernel read-only flag found cleared (0) during the acquisition"), std::string::npos) << log;
  EXPECT_NE(log.find("kernel read-only flag set again with BLKROSET 1"), std::string::npos) << log;
  const auto record = nlohmann::json::parse(read_file(base + ".manifest.json"));
  EXPECT_EQ(record["write_block"]["cleared_during"], true);
  // Put back as found at the start (0), as always.
  EXPECT_EQ(run("blockdev --getro " + dev.path()).out, "0\n");
  EXPECT_EQ(run("ewfverify -q " + sh_quote(base + ".E01")).exit_code, 0);
}

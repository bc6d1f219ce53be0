// Ctrl-C during an acquisition, and the progress display on a terminal.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

TEST(Interrupt, SigintStopsAndLeavesAnUnfinishedImage) {
  TempDir tmp;
  // A sparse source (costs no disk), far longer than the few blocks read before the Ctrl-C.
  run("truncate -s 1G " + sh_quote(tmp / "big.img"));
  const std::string base = tmp / "img";
  // SIGINT while the run is held at its first written block (a pause point, not a guessed time).
  auto r = run(pause_at("pipeline:first-block") + sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "big.img") +
               " -o " + sh_quote(base) + " -q & pid=$!; " + at_pause_point("kill -INT $pid") +
               "wait $pid; echo \"exit=$?\"");
  EXPECT_NE(r.out.find("exit=3"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(base + ".E01")) << "an interrupted image must not look finished";
  EXPECT_FALSE(fs::exists(base + ".manifest.json"));
  EXPECT_TRUE(fs::exists(base + ".incomplete.E01"));
  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("ACQUISITION FAILED: interrupted"), std::string::npos) << log;
  EXPECT_EQ(log.find("ACQUISITION COMPLETE"), std::string::npos) << log;
  auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(base + ".incomplete.E01"));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.err.find("is an unfinished acquisition"), std::string::npos) << v.err;
  // The map says how far it got.
  EXPECT_NE(read_file(base + ".map").find("?"), std::string::npos);
}

TEST(Progress, ShownOnATerminalUnlessQuiet) {
  if (!have_tool("script")) GTEST_SKIP() << "needs script(1) from util-linux for a pseudo-terminal";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(4 << 20, 1));
  const std::string cmd = sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "src.bin") + " -o ";
  auto shown = run("script -qec " + sh_quote(cmd + sh_quote(tmp / "a")) + " /dev/null");
  EXPECT_NE(shown.out.find("acquiring 100.0%"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("4.0 MiB of 4.0 MiB"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("/s"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find(" left"), std::string::npos) << shown.out;
  auto quiet = run("script -qec " + sh_quote(cmd + sh_quote(tmp / "b") + " --quiet") + " /dev/null");
  EXPECT_EQ(quiet.out.find("acquiring"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("complete: every sector read"), std::string::npos) << quiet.out;
  // Not a terminal: no progress either (stderr is a file here).
  auto piped = run(cmd + sh_quote(tmp / "c"));
  EXPECT_EQ(piped.err.find("acquiring"), std::string::npos) << piped.err;
}

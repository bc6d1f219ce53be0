// --second-output: two copies written in one run, each finished with its own files; a copy whose
// disk fills up is given up alone, and the exit code and message say which.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

std::string acquire_cmd(const std::string& source, const std::string& first, const std::string& second,
                        const std::string& extra = "") {
  return sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(first) + " --second-output " +
         sh_quote(second) + " -q " + extra;
}

void expect_verified(const std::string& image, const std::string& source_md5) {
  auto ours = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(image));
  EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  if (image.size() > 4 && image.compare(image.size() - 4, 4, ".E01") == 0) {
    auto ewf = run("ewfverify -q " + sh_quote(image));
    EXPECT_NE(ewf.out.find("ewfverify: SUCCESS"), std::string::npos) << ewf.out;
    EXPECT_NE(ewf.out.find(source_md5), std::string::npos) << ewf.out;
  }
}

void expect_nothing_finished(const std::string& base) {
  EXPECT_FALSE(fs::exists(base + ".E01")) << base;
  EXPECT_FALSE(fs::exists(base + ".manifest.json")) << base;
  EXPECT_FALSE(fs::exists(base + ".sha256sums")) << base;
}

}  // namespace

TEST(SecondOutput, BothCopiesAreFinishedAndIdentical) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(6 << 20, 8) + std::string(6 << 20, '\0'));
  const std::string md5 = digest_of("md5sum", source);
  for (const std::string& format : {"e01"s, "zst"s}) {
    SCOPED_TRACE(format);
    const std::string a = tmp / ("a-" + format), b = tmp / ("copies/b-" + format);
    auto r = run(acquire_cmd(source, a, b, "--format " + format + (format == "e01" ? " -S 4MB" : "")));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string ext = format == "e01" ? ".E01" : ".zst";
    expect_verified(a + ext, md5);
    expect_verified(b + ext, md5);
    // Same bytes in, same set identifier and header: the copies are the same files.
    EXPECT_EQ(digest_of("sha256sum", a + ext), digest_of("sha256sum", b + ext));
    EXPECT_TRUE(fs::exists(b + ".log"));
    EXPECT_NE(read_file(b + ".manifest.json").find(md5), std::string::npos);
    auto sums = run("cd " + sh_quote(fs::path(b).parent_path().string()) + " && sha256sum -c " +
                    sh_quote(fs::path(b).filename().string() + ".sha256sums"));
    EXPECT_EQ(sums.exit_code, 0) << sums.out;
  }
}

// The second copy on a file system that fills up: it is given up, the first finishes.
TEST(SecondOutput, ACopyOnAFullDiskIsGivenUpAlone) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root to mount a small file system";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(24 << 20, 13));
  const std::string md5 = digest_of("md5sum", source);
  const std::string small = tmp / "small";
  fs::create_directories(small);
  ScopedMount mount("-t tmpfs -o size=8m tmpfs", small);
  ASSERT_TRUE(mount.ok());

  for (const bool second_fails : {true, false}) {
    SCOPED_TRACE(second_fails ? "second copy on the small disk" : "first copy on the small disk");
    const std::string ok = tmp / (second_fails ? "first" : "second");
    const std::string full = small + (second_fails ? "/second" : "/first");
    auto r = run(second_fails ? acquire_cmd(source, ok, full) : acquire_cmd(source, full, ok));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("copy given up (" + full + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    expect_verified(ok + ".E01", md5);
    expect_nothing_finished(full);
    EXPECT_NE(read_file(ok + ".log").find("COPY FAILED: " + full), std::string::npos);
    run("rm -f " + sh_quote(small) + "/*");
  }
}

// Two copies, kill -9 (power loss), then one --resume: both copies go on from the same block and
// finish as the same files; resuming from the second copy's state works as well. The source reads
// at no more than about 10 MB/s (nbdkit's rate filter) and the kill comes where the run saved its
// first periodic state (a pause point), so it lands in the middle on any machine.
TEST(SecondOutput, BothCopiesResumeTogether) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(48 << 20, 19) + std::string(16 << 20, '\0'));
  const std::string md5 = digest_of("md5sum", source);
  NbdDisk disk(source, "--filter=rate", "rate=80M", tmp.path());
  ASSERT_TRUE(disk.ok());
  LoopDevice loop(disk.file(), /*read_only=*/true, 512, /*direct_io=*/true);
  ASSERT_TRUE(loop.ok());
  for (const bool from_second : {false, true}) {
    SCOPED_TRACE(from_second ? "resumed from the second copy" : "resumed from the first copy");
    const std::string a = tmp / (from_second ? "a2" : "a1"), b = tmp / (from_second ? "copies/b2" : "copies/b1");
    // kill -9 where the run saved its first periodic state (it holds chunks), held there by a
    // pause point: not a guessed time, so the load of the machine does not matter.
    auto r = run("bash -c " + sh_quote(pause_at("acquire:state-saved") + acquire_cmd(loop.path(), a, b, "-j 2") +
                                       " & pid=$!; " + at_pause_point("kill -9 $pid") + "wait $pid; echo exit=$?"));
    ASSERT_EQ(field_after(r.out, "exit="), "137") << r.out << r.err;
    ASSERT_TRUE(fs::exists(a + ".resume"));
    ASSERT_TRUE(fs::exists(b + ".resume"));
    // One state, saved beside each copy in turn: a kill between the two saves leaves the one
    // beside the second copy a checkpoint older, which is as good a place to go on from.
    for (const auto& state : {a + ".resume", b + ".resume"}) {
      EXPECT_NE(read_file(state).find("\"copies\""), std::string::npos) << state;
    }
    EXPECT_EQ(read_file(a + ".resume").find("\"chunks\": 0,"), std::string::npos) << "a checkpoint with progress";
    auto again = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(from_second ? b : a) +
                     " -q --resume");
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    expect_verified(a + ".E01", md5);
    expect_verified(b + ".E01", md5);
    EXPECT_EQ(digest_of("sha256sum", a + ".E01"), digest_of("sha256sum", b + ".E01"));
    EXPECT_FALSE(fs::exists(a + ".resume"));
    EXPECT_FALSE(fs::exists(b + ".resume"));
    EXPECT_NE(read_file(b + ".log").find("acquisition RESUMED"), std::string::npos);
  }
}

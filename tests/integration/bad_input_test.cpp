// Bad input gets one line on stderr naming the file and the reason, and the documented exit code;
// nothing existing is overwritten without --force.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

CommandResult run_exhibit(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

void expect_one_line_error(const CommandResult& r, int code, const std::string& must_contain) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("exhibit: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(must_contain), std::string::npos) << r.err;
}

}  // namespace

TEST(BadInput, MissingSource) {
  TempDir tmp;
  expect_one_line_error(run_exhibit("acquire " + sh_quote(tmp / "nope.img") + " -o " + sh_quote(tmp / "x")), 2,
                        tmp / "nope.img: No such file or directory");
  EXPECT_FALSE(fs::exists(tmp / "x.log"));
}

TEST(BadInput, DirectoryAsSource) {
  TempDir tmp;
  expect_one_line_error(run_exhibit("acquire " + sh_quote(tmp.path()) + " -o " + sh_quote(tmp / "x")), 2,
                        tmp.path() + ": is a directory");
}

TEST(BadInput, EmptySource) {
  TempDir tmp;
  write_file(tmp / "empty", "");
  expect_one_line_error(run_exhibit("acquire " + sh_quote(tmp / "empty") + " -o " + sh_quote(tmp / "x")), 2,
                        "is empty");
}

// A wrong name or path is bad input (2); a file named as an image whose content is not one is a
// damaged image (1), as a zst without its seek table is (tests/integration/damaged_image_test.cpp).
TEST(BadInput, VerifyNonEwfFile) {
  TempDir tmp;
  write_file(tmp / "holiday.E01", std::string(10000, 'x'));
  expect_one_line_error(run_exhibit("verify " + sh_quote(tmp / "holiday.E01")), 1,
                        tmp / "holiday.E01: not an EWF (E01) file");
  write_file(tmp / "notes.txt", "hello");
  expect_one_line_error(run_exhibit("verify " + sh_quote(tmp / "notes.txt")), 2,
                        "is not named as an image exhibit reads; it looks like raw data or an unknown format");
  expect_one_line_error(run_exhibit("info " + sh_quote(tmp / "absent.E01")), 2, tmp / "absent.E01");
}

TEST(BadInput, MissingSegment) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(3 << 20, 3));
  auto r = run_exhibit("acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img") + " -q -c none -S 1MiB");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(tmp / "img.E04"));
  ASSERT_EQ(run_exhibit("verify -q " + sh_quote(tmp / "img.E01")).exit_code, 0);

  fs::rename(tmp / "img.E02", tmp / "moved.E02");
  expect_one_line_error(run_exhibit("verify -q " + sh_quote(tmp / "img.E01")), 1, tmp / "img.E02), which is missing");
  expect_one_line_error(run_exhibit("info " + sh_quote(tmp / "img.E01")), 1, "which is missing");
  fs::rename(tmp / "moved.E02", tmp / "img.E02");

  std::string last;
  for (int n = 9; n >= 2 && last.empty(); --n) {
    std::string p = tmp / ("img.E0" + std::to_string(n));
    if (fs::exists(p)) last = p;
  }
  fs::remove(last);
  expect_one_line_error(run_exhibit("verify -q " + sh_quote(tmp / "img.E01")), 1, last + "), which is missing");
}

TEST(BadInput, ExistingImageIsNotOverwritten) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 4));
  const std::string acq = "acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img") + " -q";
  ASSERT_EQ(run_exhibit(acq).exit_code, 0);
  const std::string image_before = digest_of("sha256sum", tmp / "img.E01");
  const std::string log_before = digest_of("sha256sum", tmp / "img.log");
  expect_one_line_error(run_exhibit(acq), 2, tmp / "img.E01 already exists (use --force");
  EXPECT_EQ(digest_of("sha256sum", tmp / "img.E01"), image_before);
  EXPECT_EQ(digest_of("sha256sum", tmp / "img.log"), log_before);

  for (const auto& e : fs::directory_iterator(tmp.path())) {  // the log alone also blocks
    const std::string name = e.path().filename().string();
    if (name != "img.log" && name != "src.bin") fs::remove(e.path());
  }
  expect_one_line_error(run_exhibit(acq), 2, tmp / "img.log already exists");

  auto forced = run_exhibit(acq + " --force");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(run_exhibit("verify -q " + sh_quote(tmp / "img.E01")).exit_code, 0);
}

TEST(BadInput, DestinationIsNotAFolder) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 4));
  write_file(tmp / "afile", "x");
  expect_one_line_error(run_exhibit("acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "afile/img")), 3,
                        tmp / "afile is not a folder");
}

TEST(BadInput, ReadOnlyDestination) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a read-only tmpfs";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 4));
  ScopedMount mount("-t tmpfs -o ro,size=1m tmpfs", tmp / "ro");
  if (!mount.ok()) GTEST_SKIP() << "cannot mount tmpfs";
  expect_one_line_error(run_exhibit("acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "ro/img")), 3,
                        "Read-only file system");
}

TEST(BadInput, DestinationFillsUp) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(4 << 20, 8));
  ScopedMount mount("-t tmpfs -o size=1m tmpfs", tmp / "small");
  if (!mount.ok()) GTEST_SKIP() << "cannot mount tmpfs";
  auto r = run_exhibit("acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "small/img") + " -q");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("exhibit: error: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "small/img.E01")) << "an unfinished image must not look finished";
  EXPECT_FALSE(fs::exists(tmp / "small/img.manifest.json"));
  EXPECT_NE(read_file(tmp / "small/img.log").find("ACQUISITION FAILED"), std::string::npos);
}

TEST(BadInput, BadOptionValues) {
  TempDir tmp;
  write_file(tmp / "src.bin", "x");
  const std::string acq = "acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img");
  expect_one_line_error(run_exhibit(acq + " --segment-size 12XB"), 2, "--segment-size");
  expect_one_line_error(run_exhibit(acq + " --compression maximum"), 2, "--compression");
  expect_one_line_error(run_exhibit(acq + " --hash md5,nosuch"), 2, "nosuch");
  expect_one_line_error(run_exhibit(acq + " --chunk-sectors 100"), 2, "--chunk-sectors");
  expect_one_line_error(run_exhibit("frobnicate"), 2, "frobnicate");
  EXPECT_FALSE(fs::exists(tmp / "img.E01"));
}

TEST(Cli, HelpDocumentsExitCodes) {
  auto r = run_exhibit("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"0  success", "1  verification failed", "2  usage error", "3  could not complete",
                        "4  acquisition complete but with unreadable sectors"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
}

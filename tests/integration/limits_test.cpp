// Bounded resources whatever the options and input files: a piece size below 1 MiB is refused;
// a record or resume state too large to be ours is refused before it is read, and one that
// would expand in memory stops at a bound; the peak memory of the exhibit process (its own
// maximum resident size, from wait4) stays under 256 MiB in every case, and with 256 threads
// and the largest chunks.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// Peak memory is a property of the real build: under AddressSanitizer the shadow memory and the
// quarantine of freed blocks inflate it several times, so there the bound is not asserted (the
// same runs still check every exit code and message).
#ifdef EXHIBIT_SANITIZED
constexpr long k_limit_kib = 1L << 40;
#else
constexpr long k_limit_kib = 256 * 1024;
#endif

struct Measured {
  CommandResult result;
  long peak_kib = 0;  // the process's maximum resident set size
};

// Runs `args` of exhibit as a child of ours (sh execs it), with its peak memory.
Measured run_measured(const std::string& args, const std::string& env = "") {
  TempDir io;
  const std::string command = "exec env " + env + " " + sh_quote(exhibit_bin()) + " " + args + " >" +
                              sh_quote(io / "out") + " 2>" + sh_quote(io / "err") + " </dev/null";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  Measured m;
  int status = 0;
  struct rusage usage {};
  if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
    m.result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    m.peak_kib = usage.ru_maxrss;
  }
  m.result.out = read_file(io / "out");
  m.result.err = read_file(io / "err");
  return m;
}

void expect_one_line_error(const CommandResult& r, int code, const std::string& must_contain) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("exhibit: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(must_contain), std::string::npos) << r.err;
}

// A 1 MiB image with its record, in `tmp`: img.E01, img.manifest.json.
std::string small_image(const TempDir& tmp) {
  write_file(tmp / "src.bin", random_bytes(1 << 20, 12));
  auto r = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tmp / "img.manifest.json";
}

// The record with `extra` JSON text as one more member at its end, written in pieces of `part`
// repeated `times` times, so a large file costs the test little memory.
void extend_record(const std::string& record, const std::string& head, const std::string& part, size_t times,
                   const std::string& tail) {
  std::string text = read_file(record);
  text.erase(text.find_last_of('}'));
  std::ofstream out(record, std::ios::binary | std::ios::trunc);
  out << text << "," << head;
  for (size_t i = 0; i < times; ++i) out << part;
  out << tail << "}\n";
}

void expect_info_and_verify_bounded(const std::string& image, const std::string& verify_says) {
  auto info = run_measured("info " + sh_quote(image));
  EXPECT_EQ(info.result.exit_code, 0) << info.result.err;
  EXPECT_NE(info.result.out.find("media size"), std::string::npos) << info.result.out;
  EXPECT_EQ(line_count(info.result.err), 1u) << info.result.err;
  EXPECT_EQ(info.result.err.rfind("exhibit: warning: ", 0), 0u) << info.result.err;
  EXPECT_NE(info.result.err.find("the image is shown without its record"), std::string::npos) << info.result.err;
  EXPECT_LT(info.peak_kib, k_limit_kib) << "info";
  auto verify = run_measured("verify -q " + sh_quote(image));
  EXPECT_EQ(verify.result.exit_code, 1) << verify.result.out << verify.result.err;
  EXPECT_NE((verify.result.out + verify.result.err).find(verify_says), std::string::npos)
      << verify.result.out << verify.result.err;
  EXPECT_LT(verify.peak_kib, k_limit_kib) << "verify";
}

}  // namespace

TEST(Limits, PieceSizeBelowOneMiBIsRefused) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 3));
  const std::string acq = "acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x");
  auto r = run_measured(acq + " --piece-size 1");
  expect_one_line_error(r.result, 2, "--piece-size 1 is smaller than the smallest piece, 1MiB (0: no pieces)");
  EXPECT_FALSE(fs::exists(tmp / "x.log"));
  expect_one_line_error(run_measured(acq + " --piece-size 1048575").result, 2, "smaller than the smallest piece");
  // More than 65536 pieces: refused before a byte is read, naming the size that works.
  const std::string big = tmp / "big.img";
  write_file(big, "");
  fs::resize_file(big, (uint64_t{64} << 30) + 512);  // sparse
  expect_one_line_error(
      run_measured("acquire -q " + sh_quote(big) + " -o " + sh_quote(tmp / "y") + " --piece-size 1MiB").result, 2,
      "use --piece-size 2MiB or more, or 0 for none");
  EXPECT_FALSE(fs::exists(tmp / "y.log"));
  EXPECT_FALSE(fs::exists(tmp / "x.E01"));
}

TEST(Limits, RecordOfOneGiBIsRefusedUnread) {
  TempDir tmp;
  const std::string record = small_image(tmp);
  fs::resize_file(record, uint64_t{1} << 30);  // sparse: a gigabyte of zero bytes
  const std::string why =
      "img.manifest.json is 1073741824 bytes, more than a record exhibit writes can be (32 MiB): not read";
  auto verify = run_measured("verify -q " + sh_quote(tmp / "img.E01"));
  expect_one_line_error(verify.result, 1, why);
  EXPECT_NE(verify.result.out.find("verdict: FAILED"), std::string::npos) << verify.result.out;
  expect_info_and_verify_bounded(tmp / "img.E01", why);
}

TEST(Limits, GenuineJsonRecordOf300MBIsRefusedUnread) {
  TempDir tmp;
  const std::string record = small_image(tmp);
  extend_record(record, "\"notes\": \"", std::string(1 << 20, 'n'), 300, "\"");
  ASSERT_GT(fs::file_size(record), 300u << 20);
  expect_info_and_verify_bounded(tmp / "img.E01", "more than a record exhibit writes can be (32 MiB): not read");
}

// 12 MB of "{}," would be 4 million values, over 400 MB once parsed: stopped at 2^20.
TEST(Limits, RecordThatWouldExpandStopsAtTheValueBound) {
  TempDir tmp;
  const std::string record = small_image(tmp);
  std::string part;
  for (int i = 0; i < 4096; ++i) part += "{},";
  extend_record(record, "\"x\": [", part, 1000, "{}]");
  ASSERT_LT(fs::file_size(record), 32u << 20);
  expect_info_and_verify_bounded(tmp / "img.E01", "more than 1048576 values, more than exhibit writes");
}

TEST(Limits, ResumeStateOverTheLimitIsRefusedUnread) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 5));
  write_file(tmp / "img.resume", "");
  fs::resize_file(tmp / "img.resume", uint64_t{1} << 30);
  auto r = run_measured("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img") + " --resume");
  expect_one_line_error(
      r.result, 1, "img.resume is 1073741824 bytes, more than a resume state exhibit writes can be (32 MiB): not read");
  EXPECT_LT(r.peak_kib, k_limit_kib);
}

// The pipeline's buffers stay within bounds whatever --threads, the chunk size and the format.
TEST(Limits, ManyThreadsAndLargestChunksStayUnder256MiB) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(64 << 20, 9));
  const std::string md5 = digest_of("md5sum", tmp / "src.bin");
  struct Case {
    const char* name;
    const char* options;
    const char* first;
  };
  for (const Case& c :
       {Case{"e01", "-j 256", "e01.E01"}, Case{"zst", "--format zst -c best -j 256", "zst.zst"},
        Case{"big", "--chunk-sectors 65536 -j 256", "big.E01"}, Case{"raw", "--format raw -j 256", "raw.001"}}) {
    auto a =
        run_measured("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / c.name) + " " + c.options);
    EXPECT_EQ(a.result.exit_code, 0) << c.name << a.result.err;
    EXPECT_LT(a.peak_kib, k_limit_kib) << "acquire " << c.options;
    auto v = run_measured("verify -q -j 256 " + sh_quote(tmp / c.first));
    EXPECT_EQ(v.result.exit_code, 0) << c.name << v.result.out << v.result.err;
    EXPECT_NE(v.result.out.find("md5"), std::string::npos);
    EXPECT_NE(v.result.out.find(md5), std::string::npos) << c.name << v.result.out;
    EXPECT_LT(v.peak_kib, k_limit_kib) << "verify " << c.options;
  }
}

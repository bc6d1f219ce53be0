// exhibit verify over a folder of images: every image set found once, each result a line of the
// results file with the verdict the image deserves, and a batch killed half-way and run again
// verifies only the rest.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

std::string exhibit_cmd(const std::string& args) { return sh_quote(exhibit_bin()) + " " + args; }

void acquire(const std::string& source, const std::string& base, const std::string& extra) {
  auto r = run(exhibit_cmd("acquire " + sh_quote(source) + " -o " + sh_quote(base) + " -q " + extra));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void flip(const std::string& path, uint64_t offset) {
  std::string bytes = read_file(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x40);
  write_file(path, bytes);
}

// path -> exit code, from a results file; `lines` counts them (each path must appear once).
std::map<std::string, int> verdicts(const std::string& results, size_t& lines) {
  std::map<std::string, int> out;
  auto r = run("jq -r '[.batch.path, .exit_code] | @tsv' " + sh_quote(results));
  std::istringstream in(r.out);
  std::string path;
  int code = 0;
  lines = 0;
  while (in >> path >> code) {
    ++lines;
    out[path] = code;
  }
  return out;
}

}  // namespace

TEST(BatchVerify, AFolderOfImagesGivesOneResultEachAndGoesOnAfterAKill) {
  if (!have_tool("jq")) GTEST_SKIP() << "needs jq";
  TempDir tmp;
  const std::string ev = tmp / "evidence";
  std::map<std::string, int> expected;  // first file -> exit code
  for (int i = 0; i < 13; ++i) {
    const std::string src = tmp / ("src" + std::to_string(i));
    write_file(src, random_bytes(i >= 11 ? 3 << 20 : (256 + 64 * i) << 10, 100 + i));
    const std::string base = ev + "/case" + std::to_string(i % 3) + "/disk" + std::to_string(i);
    const char* format = i < 7 ? "" : i < 9 ? "--format raw" : i < 11 ? "--format zst" : "-S 1MiB";
    acquire(src, base, format);
    expected[i < 7 || i >= 11 ? base + ".E01" : i < 9 ? base + ".001" : base + ".zst"] = 0;
  }
  // Damaged, each its own way: a changed chunk, a changed raw byte (a piece of the record
  // differs), a missing middle segment, a truncated zst.
  for (int i = 0; i < 4; ++i) {
    const std::string src = tmp / ("bad" + std::to_string(i));
    write_file(src, random_bytes(3 << 20, 200 + i));
    const std::string base = ev + "/damaged/d" + std::to_string(i);
    acquire(src, base, i == 1 ? "--format raw" : i == 2 ? "-S 1MiB" : i == 3 ? "--format zst" : "");
  }
  flip(ev + "/damaged/d0.E01", 40000);
  flip(ev + "/damaged/d1.001", 1000000);
  fs::remove(ev + "/damaged/d2.E02");
  fs::resize_file(ev + "/damaged/d3.zst", fs::file_size(ev + "/damaged/d3.zst") - 5000);
  expected[ev + "/damaged/d0.E01"] = 1;
  expected[ev + "/damaged/d1.001"] = 1;
  expected[ev + "/damaged/d2.E01"] = 1;
  expected[ev + "/damaged/d3.zst"] = 1;
  // Sets of another tool's: the Ex01 interop sets, when present.
  const std::string interop = interop_dir();
  if (!interop.empty()) {
    fs::create_directories(ev + "/received");
    for (const auto& e : fs::directory_iterator(interop)) {
      const std::string name = e.path().filename();
      if (name.rfind("ex01_", 0) == 0) fs::copy_file(e.path(), ev + "/received/" + name);
      if (name.rfind("ex01_", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".Ex01") {
        expected[ev + "/received/" + name] = 0;
      }
    }
  }
  // Files that are not image sets: a log, a raw-looking file with no record beside it.
  write_file(ev + "/notes.001", "not an image");

  const std::string results = tmp / "results.jsonl";
  auto r = run(exhibit_cmd("verify -q --jobs 2 --results " + sh_quote(results) + " " + sh_quote(ev)));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the worst of its images: a failed verification
  size_t lines = 0;
  EXPECT_EQ(verdicts(results, lines), expected) << read_file(results).substr(0, 2000);
  EXPECT_EQ(lines, expected.size());
  EXPECT_GE(expected.size(), 17u);
  EXPECT_NE(r.out.find("FAILED    " + ev + "/damaged/d2.E01"), std::string::npos) << r.out;
  // Each line is verify --json's document with the batch's own fields.
  auto first = run("head -n 1 " + sh_quote(results) + " | jq -r '.command, .batch.size > 0, .batch.started'");
  EXPECT_EQ(first.out.substr(0, first.out.find('\n')), "verify") << first.out;

  // Killed after a few results (one image at a time), then run again: only the rest.
  const std::string again = tmp / "again.jsonl";
  auto killed =
      run("bash -c " + sh_quote(exhibit_cmd("verify -q --jobs 1 --results " + sh_quote(again) + " " + sh_quote(ev)) +
                                " & pid=$!; while kill -0 $pid 2>/dev/null; do [ \"$(wc -l < " + sh_quote(again) +
                                " 2>/dev/null || echo 0)\" -ge 5 ] && break; "
                                "sleep 0.05; done; kill -9 $pid; wait $pid; echo exit=$?"));
  const size_t before = std::stoul(run("wc -l < " + sh_quote(again)).out);
  ASSERT_GE(before, 5u) << killed.out << killed.err;
  ASSERT_LT(before, expected.size()) << "finished before the kill: nothing left to resume";
  r = run(exhibit_cmd("verify --jobs 2 --results " + sh_quote(again) + " " + sh_quote(ev)));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find(std::to_string(before) + " of " + std::to_string(expected.size()) +
                       " images already verified as they are now"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(verdicts(again, lines), expected);
  EXPECT_EQ(lines, expected.size()) << "each image once: the second run verified only the rest";

  // A changed image is verified again; --recheck verifies them all.
  flip(ev + "/case0/disk0.E01", 30000);
  r = run(exhibit_cmd("verify -q --results " + sh_quote(again) + " " + sh_quote(ev)));
  EXPECT_EQ(verdicts(again, lines)[ev + "/case0/disk0.E01"], 1);
  EXPECT_EQ(lines, expected.size() + 1);
  r = run(exhibit_cmd("verify -q --recheck --results " + sh_quote(again) + " " + sh_quote(ev)));
  verdicts(again, lines);
  EXPECT_EQ(lines, 2 * expected.size() + 1);
}

// The results file is never a file of an image in the batch.
TEST(BatchVerify, TheResultsFileIsNeverAnImageFile) {
  TempDir tmp;
  write_file(tmp / "src", random_bytes(64 << 10, 3));
  acquire(tmp / "src", tmp / "ev/img", "");
  const std::string before = digest_of("sha256sum", tmp / "ev/img.E01");
  for (const std::string target : {"ev/img.E01", "ev/img.manifest.json", "ev"}) {
    auto r = run(exhibit_cmd("verify -q --results " + sh_quote(tmp / target) + " " + sh_quote(tmp / "ev")));
    EXPECT_EQ(r.exit_code, 2) << target << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
  }
  EXPECT_EQ(digest_of("sha256sum", tmp / "ev/img.E01"), before);
}

// Ctrl-C (SIGINT to the batch) after a few results: the running verification is stopped, no
// result is written for it, and the batch ends with exit 3 saying how to go on.
TEST(BatchVerify, CtrlCStopsTheBatchAndSaysHowToGoOn) {
  TempDir tmp;
  for (int i = 0; i < 10; ++i) {
    write_file(tmp / "src", random_bytes(512 << 10, 300 + i));
    acquire(tmp / "src", tmp / ("ev/img" + std::to_string(i)), "");
  }
  const std::string results = tmp / "results.jsonl";
  auto r = run("bash -c " +
               sh_quote(exhibit_cmd("verify -q --jobs 1 --results " + sh_quote(results) + " " + sh_quote(tmp / "ev")) +
                        " & pid=$!; while kill -0 $pid 2>/dev/null; do [ \"$(wc -l < " + sh_quote(results) +
                        " 2>/dev/null || echo 0)\" -ge 2 ] && break; "
                        "sleep 0.05; done; kill -INT $pid; wait $pid; echo exit=$?"));
  const size_t lines = std::stoul(run("wc -l < " + sh_quote(results)).out);
  ASSERT_LT(lines, 10u) << "finished before the interrupt";
  EXPECT_NE(r.out.find("exit=3"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("run again with the same --results to go on"), std::string::npos) << r.err;
  EXPECT_EQ(run("jq -r .exit_code " + sh_quote(results) + " | sort -u").out, "0\n") << "no result for the stopped one";
  r = run(exhibit_cmd("verify -q --results " + sh_quote(results) + " " + sh_quote(tmp / "ev")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::stoul(run("wc -l < " + sh_quote(results)).out), 10u);
}

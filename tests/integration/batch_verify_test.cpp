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

// `exhibit report` of `results`: its JSON validates and holds each image once with its verdict,
// failures first; its page, rendered by Chromium, shows every image and its verdict, links only
// to files that exist (`with_reports` images verified with --report-dir have one), and is kept as
// a screenshot in the test artefacts.
void expect_summary(const std::string& results, const std::string& folder, const std::map<std::string, int>& expected,
                    size_t with_reports) {
  fs::create_directories(folder);
  auto r = run(exhibit_cmd("report --json " + sh_quote(results)));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  write_file(folder + "/summary.json", r.out);
  auto check =
      run("python3 -c 'import json, sys, jsonschema\n"
          "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' " +
          sh_quote(std::string(EXHIBIT_SOURCE_DIR) + "/docs/output.schema.json") + " " +
          sh_quote(folder + "/summary.json"));
  EXPECT_EQ(check.exit_code, 0) << check.err;
  auto rows = run("jq -r '.images[] | [.path, .exit_code, .verdict, (.report != null)] | @tsv' " +
                  sh_quote(folder + "/summary.json"));
  size_t failures = 0;
  for (const auto& e : expected) failures += e.second != 0;
  std::istringstream in(rows.out);
  std::map<std::string, int> got;
  std::string path, verdict, has_report;
  int code = 0;
  bool failures_first = true, seen_pass = false;
  size_t reports = 0;
  while (in >> path >> code >> verdict >> has_report) {
    got[path] = code;
    EXPECT_EQ(verdict, code == 0 ? "verified" : "failed") << path;
    failures_first &= !(seen_pass && code != 0);
    seen_pass |= code == 0;
    reports += has_report == "true";
  }
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(failures_first) << rows.out;
  // Each image verified with --report-dir has its page (those verify could not open have none).
  EXPECT_EQ(std::to_string(reports) + "\n",
            run("jq -s '[.[] | select(.batch.report)] | length' " + sh_quote(results)).out);
  EXPECT_GE(reports, with_reports - failures);

  const std::string html = folder + "/summary.html";
  r = run(exhibit_cmd("report -q " + sh_quote(results) + " -o " + sh_quote(html)));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Its links: relative, to reports that exist; nothing else is fetched.
  const std::string page = read_file(html);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
  size_t links = 0;
  for (size_t at = page.find("href=\""); at != std::string::npos; at = page.find("href=\"", at + 1)) {
    const size_t start = at + 6;
    const std::string target = page.substr(start, page.find('"', start) - start);
    EXPECT_NE(target[0], '/') << target;
    EXPECT_TRUE(fs::exists(folder + "/" + target)) << target;
    ++links;
  }
  EXPECT_GE(links, reports + 16);  // and an acquisition report for each image we acquired
  const std::string browser = chromium();
  if (browser.empty()) {
    ADD_FAILURE() << "Chromium (Debian package chromium) is needed to render the summary";
    return;
  }
  auto dom = render(browser, html);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  for (const auto& [image, exit_code] : expected) {
    const size_t row = dom.out.find(image);
    ASSERT_NE(row, std::string::npos) << image;
    const size_t start = dom.out.rfind("<tr", row);
    EXPECT_NE(dom.out.substr(start, row - start).find(exit_code == 0 ? "VERIFIED" : "FAILED"), std::string::npos)
        << image;
  }
  EXPECT_NE(dom.out.find(std::to_string(failures) + " FAILED, 0 NOT DONE"), std::string::npos);
  auto shot = render(browser, html, artefact_dir() + "/batch-summary.png");
  EXPECT_EQ(shot.exit_code, 0) << shot.err;
  EXPECT_TRUE(fs::exists(artefact_dir() + "/batch-summary.png"));
}

}  // namespace

TEST(BatchVerify, AFolderOfImagesGivesOneResultEachAndGoesOnAfterAKill) {
  if (!have_tool("jq")) GTEST_SKIP() << "needs jq";
  TempDir tmp;
  const std::string ev = tmp / "evidence";
  std::map<std::string, int> expected;  // first file -> exit code
  for (int i = 0; i < 16; ++i) {
    const std::string src = tmp / ("src" + std::to_string(i));
    write_file(src, random_bytes(i >= 13 ? 3 << 20 : (256 + 64 * i) << 10, 100 + i));
    const std::string base = ev + "/case" + std::to_string(i % 3) + "/disk" + std::to_string(i);
    const char* format = i < 7 ? "" : i < 10 ? "--format raw" : i < 13 ? "--format zst" : "-S 1MiB";
    acquire(src, base, format);
    expected[i < 7 || i >= 13 ? base + ".E01" : i < 10 ? base + ".001" : base + ".zst"] = 0;
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
  EXPECT_GE(expected.size(), 20u);
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
  const std::string reports = tmp / "reports";
  r = run(exhibit_cmd("verify --jobs 2 --results " + sh_quote(again) + " --report-dir " + sh_quote(reports) + " " +
                      sh_quote(ev)));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find(std::to_string(before) + " of " + std::to_string(expected.size()) +
                       " images already verified as they are now"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(verdicts(again, lines), expected);
  EXPECT_EQ(lines, expected.size()) << "each image once: the second run verified only the rest";
  expect_summary(again, tmp / "summary", expected, expected.size() - before);

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
  // Nor is the summary page: not an image's file, not a results file it reads, not an existing page.
  auto r = run(exhibit_cmd("verify -q --results " + sh_quote(tmp / "r.jsonl") + " " + sh_quote(tmp / "ev")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string results_before = read_file(tmp / "r.jsonl");
  write_file(tmp / "old.html", "an earlier summary");
  for (const std::string target : {"ev/img.E01", "ev/img.report.html", "r.jsonl", "ev", "old.html"}) {
    r = run(exhibit_cmd("report " + sh_quote(tmp / "r.jsonl") + " -o " + sh_quote(tmp / target)));
    EXPECT_EQ(r.exit_code, 2) << target << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
  }
  EXPECT_EQ(read_file(tmp / "old.html"), "an earlier summary");
  EXPECT_EQ(read_file(tmp / "r.jsonl"), results_before);
  EXPECT_EQ(digest_of("sha256sum", tmp / "ev/img.E01"), before);
  r = run(exhibit_cmd("report -q " + sh_quote(tmp / "r.jsonl") + " -o " + sh_quote(tmp / "old.html") + " --force"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(tmp / "old.html").find("All images VERIFIED (1)"), std::string::npos);
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

// Merging batch results files: the latest result of each image kept, failures first, lines that
// cannot be used counted by number (never fatal, never a result), a result is a pass only when
// both its exit code and verify's verdict say so, and a verdict that changed while the image did
// not is shown.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/batch_lines.hpp"
#include "exhibit/batch_report.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

namespace {

// A result line as verify --results writes it; `verdict` "" for an error document.
std::string line(const std::string& path, int exit_code, const std::string& verdict, const std::string& ended,
                 uint64_t size = 100, const std::string& md5 = "00112233445566778899aabbccddeeff") {
  nlohmann::json j = {{"output_version", 1}, {"command", "verify"}, {"exit_code", exit_code}};
  if (verdict.empty()) {
    j["error"] = path + ": not an EWF (E01) file";
  } else {
    j["verdict"] = verdict;
    j["digests"] = {{{"algorithm", "md5"}, {"computed", md5}, {"stored", md5}, {"match", verdict == "verified"}}};
    j["bad_chunks"] = nlohmann::json::array();
    if (verdict == "failed") j["bad_chunks"].push_back({{"first_sector", 128}, {"sector_count", 64}});
    j["seconds"] = 1.5;
  }
  j["batch"] = {{"path", path},        {"size", size},     {"mtime_ns", 5},
                {"record_sha256", ""}, {"started", ended}, {"ended", ended}};
  return j.dump() + "\n";
}

const BatchImage& image(const BatchSummary& s, const std::string& path) {
  for (const auto& im : s.images) {
    if (im.path == path) return im;
  }
  throw std::runtime_error("no image " + path);
}

}  // namespace

TEST(BatchReport, MergesTaskFilesKeepsTheLatestAndPutsFailuresFirst) {
  TempDir tmp;
  const std::string dir = tmp / "results";
  std::filesystem::create_directories(dir);
  write_file(dir + "/task-0.jsonl", line("/ev/a.E01", 0, "verified", "2026-12-01T10:00:00Z") +
                                        line("/ev/b.E01", 1, "failed", "2026-12-01T10:00:01Z") +
                                        line("/ev/c.zst", 2, "", "2026-12-01T10:00:02Z"));
  write_file(dir + "/task-1.jsonl", line("/ev/d.001", 0, "verified", "2026-12-01T10:00:03Z") +
                                        // a. verified again later, with the same state: kept, one earlier result.
                                        line("/ev/a.E01", 0, "verified", "2026-12-02T09:00:00Z"));
  write_file(dir + "/notes.txt", "not a results file");
  auto s = merge_batch_results({dir});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(s->inputs.size(), 2u);
  ASSERT_EQ(s->images.size(), 4u);
  EXPECT_EQ(s->verified, 2u);
  EXPECT_EQ(s->failed, 1u);
  EXPECT_EQ(s->not_done, 1u);
  EXPECT_EQ(s->exit_code, 1);  // the worst: a failure
  EXPECT_EQ(s->images[0].path, "/ev/b.E01");
  EXPECT_EQ(s->images[1].path, "/ev/c.zst");
  EXPECT_EQ(s->images[0].reason, "1 damaged chunk range(s), the first at sector 128");
  EXPECT_FALSE(s->images[0].digests.at(0).matched);
  EXPECT_EQ(s->images[1].reason, "/ev/c.zst: not an EWF (E01) file");
  const auto& a = image(*s, "/ev/a.E01");
  EXPECT_EQ(a.ended, "2026-12-02T09:00:00Z");
  EXPECT_EQ(a.earlier_results, 1u);
  EXPECT_EQ(a.earlier_failures, 0u);
  EXPECT_FALSE(a.changed_while_unchanged);
  EXPECT_EQ(a.results_file, dir + "/task-1.jsonl");
  EXPECT_EQ(a.line, 2u);

  // The JSON of the same summary holds each image once, failures first.
  auto j = nlohmann::json::parse(batch_summary_json(*s));
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["counts"]["images"], 4);
  EXPECT_EQ(j["images"][0]["verdict"], "failed");
  EXPECT_EQ(j["images"][1]["verdict"], "not done");
  EXPECT_EQ(j["images"][3]["verdict"], "verified");
}

TEST(BatchReport, LinesThatCannotBeUsedAreCountedNeverTaken) {
  TempDir tmp;
  const std::string f = tmp / "r.jsonl";
  const std::string good = line("/ev/a.E01", 0, "verified", "2026-12-01T10:00:00Z");
  std::string text = good;
  text += "{\"exit_code\": 0, \"verdict\": \"verified\"}\n";      // 2: no batch fields
  text += "not json at all\n";                                    // 3
  text += "\n";                                                   // 4: empty, not a line
  text += std::string(core::k_max_result_line + 10, '[') + "\n";  // 5: too long, skipped whole
  text += "[" + std::string(100, '{') + "\n";                     // 6: malformed
  // 7: exit code 0 without verify's "verified": not a pass.
  text += line("/ev/x.E01", 0, "failed", "2026-12-01T10:00:05Z");
  text += good.substr(0, good.size() / 2);  // 8: cut short by a kill
  write_file(f, text);
  auto s = merge_batch_results({f});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(s->inputs.size(), 1u);
  EXPECT_EQ(s->inputs[0].lines, 7u);
  EXPECT_EQ(s->inputs[0].unreadable_lines, (std::vector<size_t>{2, 3, 5, 6, 8}));
  ASSERT_EQ(s->images.size(), 2u);
  const auto& x = image(*s, "/ev/x.E01");
  EXPECT_EQ(x.verdict, BatchVerdict::NotDone);
  EXPECT_EQ(x.exit_code, 3);
  EXPECT_NE(x.reason.find("not taken as a pass"), std::string::npos) << x.reason;
  EXPECT_EQ(s->exit_code, 3);
  EXPECT_EQ(image(*s, "/ev/a.E01").verdict, BatchVerdict::Verified);
}

TEST(BatchReport, AVerdictThatChangedWhileTheImageDidNotIsShown) {
  TempDir tmp;
  const std::string f = tmp / "r.jsonl";
  // Failed, then verified with the image the same (size, time, record): a flaky share, or an
  // edited results file; either way an examiner must see it.
  write_file(f, line("/ev/a.E01", 1, "failed", "2026-12-01T10:00:00Z") +
                    line("/ev/a.E01", 0, "verified", "2026-12-02T10:00:00Z") +
                    // b changed (another size) and then verified: not flagged.
                    line("/ev/b.E01", 1, "failed", "2026-12-01T10:00:00Z", 100) +
                    line("/ev/b.E01", 0, "verified", "2026-12-02T10:00:00Z", 200));
  auto s = merge_batch_results({f});
  ASSERT_TRUE(s) << s.error().message();
  const auto& a = image(*s, "/ev/a.E01");
  EXPECT_EQ(a.verdict, BatchVerdict::Verified);
  EXPECT_TRUE(a.changed_while_unchanged);
  EXPECT_EQ(a.earlier_failures, 1u);
  const auto& b = image(*s, "/ev/b.E01");
  EXPECT_FALSE(b.changed_while_unchanged);
  EXPECT_EQ(b.earlier_failures, 1u);
}

TEST(BatchReport, MissingInputsAreNamed) {
  TempDir tmp;
  auto s = merge_batch_results({tmp / "nothing.jsonl"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::NotFound);
  EXPECT_NE(s.error().message().find("nothing.jsonl"), std::string::npos);
  s = merge_batch_results({tmp.path()});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("no results files"), std::string::npos) << s.error().message();
}

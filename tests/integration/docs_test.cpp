// The manual pages and the bash completion are written at build time from the grammar --help
// prints (exhibit-docs): every option --help shows is in the command's page as man renders it,
// with the exit codes and the files; the completion offers the commands, the options, the values a
// grammar checks against a set, images for verify and devices for acquire.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

const std::string k_man = std::string(EXHIBIT_BINARY_DIR) + "/man";
const std::string k_completion = std::string(EXHIBIT_BINARY_DIR) + "/completion/exhibit";

std::set<std::string> long_options(const std::string& text) {
  std::set<std::string> out;
  const std::regex option("(^|[\\s,\\[])(--[a-z][a-z-]+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), option); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[2]);
  }
  return out;
}

// `words` completed by the completion function, as bash would (the last word is the one typed),
// one a line, sorted.
std::string complete(const std::string& words, const std::string& folder = ".") {
  auto r = run(
      "cd " + sh_quote(folder) + " && bash -c " +
      sh_quote(
          "source " + sh_quote(k_completion) + "; COMP_WORDS=(" + words +
          "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _exhibit; printf '%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

}  // namespace

TEST(Docs, EachCommandsPageHasEveryOptionItsHelpShows) {
  if (!have_tool("man")) GTEST_SKIP() << "needs man (Debian package man-db)";
  for (const std::string command : {"acquire", "verify", "info", "export", "devices", "report"}) {
    const std::string page = k_man + "/exhibit-" + command + ".1";
    ASSERT_TRUE(fs::exists(page)) << page;
    auto help = run(sh_quote(exhibit_bin()) + " " + command + " --help");
    ASSERT_EQ(help.exit_code, 0) << help.err;
    auto man = run("MANWIDTH=400 man --nh --nj -l " + sh_quote(page) + " 2>&1");
    ASSERT_EQ(man.exit_code, 0) << man.out;
    const auto in_help = long_options(help.out);
    EXPECT_GE(in_help.size(), 2u) << help.out;
    for (const auto& o : in_help) EXPECT_NE(man.out.find(o), std::string::npos) << command << ": " << o;
    EXPECT_EQ(long_options(
                  man.out.substr(man.out.find("OPTIONS"), man.out.find("EXIT STATUS") - man.out.find("OPTIONS"))),
              in_help)
        << command << ": the page lists what --help does, no more";
    for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "SEE ALSO"}) {
      EXPECT_NE(man.out.find(section), std::string::npos) << command << ": " << section;
    }
    EXPECT_NE(man.out.find("verification failed: a mismatch or corruption was found"), std::string::npos);
  }
  auto acquire = run("MANWIDTH=400 man --nh --nj -l " + sh_quote(k_man + "/exhibit-acquire.1"));
  EXPECT_NE(acquire.out.find("FILES"), std::string::npos);
  EXPECT_NE(acquire.out.find("BASE.manifest.json"), std::string::npos);
  EXPECT_NE(acquire.out.find("ENVIRONMENT"), std::string::npos);
  EXPECT_NE(acquire.out.find("SOURCE_DATE_EPOCH"), std::string::npos);
  auto main_page = run("MANWIDTH=400 man --nh --nj -l " + sh_quote(k_man + "/exhibit.1"));
  for (const char* command : {"exhibit-acquire(1)", "exhibit-verify(1)", "exhibit-report(1)"}) {
    EXPECT_NE(main_page.out.find(command), std::string::npos) << command;
  }
  // The compressed pages that are installed are the same pages.
  auto same = run("zcmp " + sh_quote(k_man + "/exhibit-acquire.1.gz") + " " + sh_quote(k_man + "/exhibit-acquire.1"));
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

TEST(Docs, BashCompletionOffersCommandsOptionsValuesImagesAndDevices) {
  if (!have_tool("bash")) GTEST_SKIP() << "needs bash";
  ASSERT_TRUE(fs::exists(k_completion));
  EXPECT_EQ(complete("exhibit ac"), "acquire\n");
  EXPECT_EQ(complete("exhibit ''"), "--help\n--version\nacquire\ndevices\nexport\ninfo\nreport\nserve\nverify\n");
  EXPECT_EQ(complete("exhibit acquire --form"), "--format\n");
  EXPECT_EQ(complete("exhibit acquire --format ''"), "e01\nraw\nzst\n");
  EXPECT_EQ(complete("exhibit acquire -c e"), "empty-block\n");
  EXPECT_EQ(complete("exhibit verify --re"), "--recheck\n--report\n--report-dir\n--require-signature\n--results\n");
  TempDir tmp;
  for (const char* f : {"a.E01", "a.E02", "b.Ex01", "c.zst", "d.001", "notes.txt", "r.jsonl"}) write_file(tmp / f, "");
  fs::create_directories(tmp / "case7");
  EXPECT_EQ(complete("exhibit verify ''", tmp.path()), "a.E01\nb.Ex01\nc.zst\ncase7\nd.001\n");
  EXPECT_EQ(complete("exhibit report ''", tmp.path()), "case7\nr.jsonl\n");
  // acquire's source: every block device lsblk lists, then files.
  auto devices = run("lsblk -dpnro NAME");
  if (devices.exit_code == 0 && !devices.out.empty()) {
    const std::string first = devices.out.substr(0, devices.out.find('\n'));
    EXPECT_NE(complete("exhibit acquire " + first.substr(0, 6)).find(first + "\n"), std::string::npos) << first;
  }
}

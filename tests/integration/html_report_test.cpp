// The printable HTML report, rendered by headless Chromium (an independent renderer): the
// digests and verdicts are in the rendered page, nothing is fetched from anywhere, hostile text
// from the image is shown as text, and a screenshot is kept as a test artefact (not committed).
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// Nothing in the page can make a request: no URLs, no external resources, no scripts in its
// markup (the tags and the style sheet; text between tags is escaped data and may say anything).
void expect_self_contained(const std::string& html) {
  std::string markup;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    if (in_tag) markup += c;
    if (c == '>') in_tag = false;
  }
  const auto style = html.find("<style>");
  if (style != std::string::npos) markup += html.substr(style, html.find("</style>") - style);
  for (const char* needle :
       {"http:", "https:", "src=", "href=", "url(", "@import", "<script", "<link", "<iframe", "<img", "onerror"}) {
    EXPECT_EQ(markup.find(needle), std::string::npos) << "found " << needle;
  }
}

}  // namespace

TEST(HtmlReport, AcquireWritesOneThatRendersWithTheDigestsAndHostileTextAsText) {
  const std::string browser = chromium();
  if (browser.empty()) GTEST_SKIP() << "needs Chromium (Debian package chromium)";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(2 << 20, 51));
  write_file(tmp / "notes.txt", "<script>document.title='pwned'</script><img src=x onerror=alert(1)> \x1b[2J");
  auto a = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") +
               " -e 'J. Smith' -N \"$(cat " + sh_quote(tmp / "notes.txt") + ")\"");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const std::string html = read_file(tmp / "x.report.html");
  expect_self_contained(html);
  EXPECT_NE(html.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);

  auto dom = render(browser, tmp / "x.report.html");
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find(digest_of("md5sum", tmp / "src.bin")), std::string::npos) << dom.out;
  EXPECT_NE(dom.out.find(digest_of("sha256sum", tmp / "src.bin")), std::string::npos);
  EXPECT_NE(dom.out.find("Complete: every sector read"), std::string::npos);
  EXPECT_NE(dom.out.find("<title>Acquisition report</title>"), std::string::npos) << "no script ran";
  EXPECT_EQ(dom.out.find("<img"), std::string::npos) << "markup from the notes became an element";
  EXPECT_EQ(dom.err.find("net::ERR"), std::string::npos) << dom.err;
}

TEST(HtmlReport, VerifyReportShowsWhereAnImageDiffers) {
  const std::string browser = chromium();
  if (browser.empty()) GTEST_SKIP() << "needs Chromium (Debian package chromium)";
  TempDir tmp;
  std::string data = random_bytes(6 << 20, 52);
  write_file(tmp / "a.bin", data);
  data[(4 << 20) + 77] ^= 0x40;  // in piece 4 of 1 MiB
  write_file(tmp / "b.bin", data);
  for (const char* n : {"a", "b"}) {
    ASSERT_EQ(run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / (std::string(n) + ".bin")) + " -o " +
                  sh_quote(tmp / n) + " --piece-size 1MiB")
                  .exit_code,
              0);
  }
  // b's image under a's record.
  fs::copy_file(tmp / "b.E01", tmp / "a.E01", fs::copy_options::overwrite_existing);
  const std::string report = tmp / "verify.html";
  auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(tmp / "a.E01") + " --report " + sh_quote(report));
  EXPECT_EQ(v.exit_code, 1) << v.out;
  const std::string html = read_file(report);
  expect_self_contained(html);
  auto dom = render(browser, report);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find("FAILED: the image does not match what it records"), std::string::npos);
  EXPECT_NE(dom.out.find("piece differs from the record (1)"), std::string::npos) << dom.out;
  EXPECT_NE(dom.out.find("8192-10239"), std::string::npos) << "the differing piece's sectors";
  EXPECT_NE(dom.out.find("MISMATCH"), std::string::npos);
  const std::string shot = artefact_dir() + "/verify-report.png";
  fs::remove(shot);
  auto s = render(browser, report, shot);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_EQ(read_file(shot).substr(1, 3), "PNG");
}

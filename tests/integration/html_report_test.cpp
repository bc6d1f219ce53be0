// The printable HTML report, rendered by headless Chromium (an independent renderer): the
// digests and verdicts are in the rendered page, nothing is fetched from anywhere, hostile text
// from the image is shown as text, and a screenshot is kept as a test artefact (not committed).
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

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

// The report printed to PDF by Chromium: its pages, each page's text (pdftotext), page 1 kept as
// a PNG in the artefacts folder. Every page carries the image's name and "page n of m".
std::vector<std::string> printed_pages(const std::string& browser, const std::string& html, const std::string& png) {
  const std::string pdf = html + ".pdf";
  auto printed = print_to_pdf(browser, html, pdf);
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  const unsigned n = pdf_pages(pdf);
  std::vector<std::string> pages;
  for (unsigned p = 1; p <= n; ++p) pages.push_back(pdf_page_text(pdf, p));
  fs::remove(png);
  EXPECT_TRUE(pdf_page_png(pdf, 1, png)) << "page 1 as a PNG";
  return pages;
}

void expect_every_page_named(const std::vector<std::string>& pages, const std::string& image) {
  for (size_t p = 0; p < pages.size(); ++p) {
    EXPECT_NE(pages[p].find(image), std::string::npos) << "page " << p + 1 << ":\n" << pages[p];
    EXPECT_NE(pages[p].find("page " + std::to_string(p + 1) + " of " + std::to_string(pages.size())), std::string::npos)
        << pages[p];
  }
}

// What the run section lists, wherever it is printed.
void expect_run_fields(const std::string& text) {
  for (const char* field : {"Started (UTC)", "Started (local)", "Finished (UTC)", "Finished (local)", "Duration",
                            "Average rate", "Command line", "Host", "Operating system", "exhibit", "libewf", "OpenSSL",
                            "zstd", "ISA-L", "Repeat with independent tools"}) {
    EXPECT_NE(text.find(field), std::string::npos) << field;
  }
  EXPECT_NE(text.find(run("uname -n").out.substr(0, run("uname -n").out.find('\n'))), std::string::npos) << "host";
  EXPECT_NE(text.find("UTC+0530"), std::string::npos) << "the examiner's local time (TZ=Asia/Kolkata)";
}

std::string joined(const std::vector<std::string>& pages) {
  std::string all;
  for (const auto& p : pages) all += p;
  return all;
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
  EXPECT_NE(dom.out.find("<title>x.E01</title>"), std::string::npos) << "no script ran";
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
  // Printed: page 1 alone holds the summary, then the run and the rest.
  auto again = run("TZ=Asia/Kolkata " + sh_quote(exhibit_bin()) + " verify -q -f " + sh_quote(tmp / "a.E01") +
                   " --report " + sh_quote(report));
  EXPECT_EQ(again.exit_code, 1) << again.out;
  const auto pages = printed_pages(browser, report, artefact_dir() + "/verify-report-page1.png");
  ASSERT_GE(pages.size(), 2u);
  expect_every_page_named(pages, "a.E01");
  for (const char* field :
       {"Verification report", "FAILED: the image does not match what it records", "md5", "sha256", "Pieces",
        "1 differ", "Verified", "Examiner: name and signature", "Witness: name and signature"}) {
    EXPECT_NE(pages[0].find(field), std::string::npos) << field << " on page 1:\n" << pages[0];
  }
  EXPECT_NE(pages[0].find(digest_of("md5sum", tmp / "b.bin")), std::string::npos) << "the digest computed";
  EXPECT_EQ(pages[0].find("Repeat with independent tools"), std::string::npos) << "page 1 holds the summary alone";
  const std::string rest = joined(std::vector<std::string>(pages.begin() + 1, pages.end()));
  expect_run_fields(rest);
  EXPECT_NE(rest.find("8192-10239"), std::string::npos) << "the differing piece's sectors";
  const std::string shot = artefact_dir() + "/verify-report.png";
  fs::remove(shot);
  auto s = render(browser, report, shot);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_EQ(read_file(shot).substr(1, 3), "PNG");
}

// The acquisition report as filed: a source with unreadable sectors (nbdkit's bad-sector rig
// behind a read-only loop device), acquired with --verify. Page 1 alone holds the summary; every
// unreadable range is listed on the later pages; every page names the image and its number.
TEST(HtmlReport, AcquisitionReportPrintsASummaryPageAndEveryUnreadableRange) {
  const std::string browser = chromium();
  if (browser.empty() || !have_tool("pdftotext")) GTEST_SKIP() << "needs Chromium and poppler-utils";
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const uint64_t size = 4 << 20;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(size, 53));
  const std::string before = digest_of("sha256sum", source);
  std::vector<exhibit::SectorRange> bad;  // 90 ranges: more than page 1 could hold
  for (uint64_t i = 0; i < 90; ++i) bad.push_back({100 + i * 90, 1 + i % 3});
  BadSectorDisk rig(source, ddrescue_map(size, bad), tmp.path());
  ASSERT_TRUE(rig.ok()) << "nbdfuse did not come up";
  const std::string base = tmp / "filed";
  {
    LoopDevice loop(rig.file(), /*read_only=*/true, 512, /*direct_io=*/true);
    ASSERT_TRUE(loop.ok());
    auto a = run("TZ=Asia/Kolkata " + sh_quote(exhibit_bin()) + " acquire -q " + loop.path() + " -o " + sh_quote(base) +
                 " --retries 0 --verify --piece-size 1MiB -C 'CASE-19' -E 'EV-7' -e 'J. Smith'");
    ASSERT_EQ(a.exit_code, 4) << a.out << a.err;
  }
  EXPECT_EQ(digest_of("sha256sum", source), before) << "the source changed";
  const auto pages = printed_pages(browser, base + ".report.html", artefact_dir() + "/acquisition-report-page1.png");
  ASSERT_GE(pages.size(), 3u);
  expect_every_page_named(pages, "filed.E01");
  const std::string& first = pages[0];
  std::string expected = read_file(source);
  for (const auto& r : bad) expected.replace(r.first * 512, r.count * 512, std::string(r.count * 512, '\0'));
  write_file(tmp / "expected.img", expected);
  for (const char* field :
       {"Acquisition report", "CASE-19", "EV-7", "J. Smith", "unreadable sectors in 90 ranges", "VERIFIED",
        "Examiner: name and signature", "Witness: name and signature", "Date", "Device", "Acquired"}) {
    EXPECT_NE(first.find(field), std::string::npos) << field << " on page 1:\n" << first;
  }
  for (const char* tool : {"md5sum", "sha1sum", "sha256sum"}) {
    EXPECT_NE(first.find(digest_of(tool, tmp / "expected.img")), std::string::npos) << tool << ":\n" << first;
  }
  EXPECT_EQ(first.find("Write-block steps"), std::string::npos) << "page 1 holds the summary alone";
  const std::string rest = joined(std::vector<std::string>(pages.begin() + 1, pages.end()));
  expect_run_fields(rest);
  for (const char* field : {"Write-block steps", "checked with BLKROGET: 1", "Verification", "ewfverify",
                            "sha256sum -c", "Pieces: SHA-256", base.c_str()}) {
    EXPECT_NE(rest.find(field), std::string::npos) << field;
  }
  for (const auto& r : bad) {
    const std::string listed = std::to_string(r.first) + "-" + std::to_string(r.last());
    EXPECT_NE(rest.find(listed), std::string::npos) << "unreadable range " << listed << " not listed";
  }
}

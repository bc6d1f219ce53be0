// exhibit --version names the commit it was built from and the libraries it runs with, as the
// libraries' own tools report them; the log and the record of an acquisition say the same.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace exhibit::test;

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// The word after the first `word ` in `text` ("" if none).
std::string field_after_word(const std::string& text, const std::string& word) {
  const size_t at = text.find(word + " ");
  if (at == std::string::npos) return "";
  const size_t start = at + word.size() + 1;
  return text.substr(start, text.find_first_of(" \n", start) - start);
}

}  // namespace

TEST(Version, NamesTheCommitAndTheLibrariesAsTheirOwnToolsDo) {
  auto v = run(sh_quote(exhibit_bin()) + " --version");
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const std::string head = first_line(v.out);
  EXPECT_EQ(head.rfind("exhibit 0.", 0), 0u) << head;
  auto git = run("git -C " + sh_quote(EXHIBIT_SOURCE_DIR) + " rev-parse --short=12 HEAD");
  if (git.exit_code == 0) {
    EXPECT_NE(head.find("(commit " + first_line(git.out)), std::string::npos) << head << " / " << git.out;
  }
  const std::string libs = first_line(v.out.substr(v.out.find('\n') + 1));
  EXPECT_EQ(libs.rfind("libraries: ", 0), 0u) << v.out;
  // libewf: ewfinfo -V says "ewfinfo 20140813"; OpenSSL: "OpenSSL 3.0.19 ..."; zstd: "... v1.5.4, ...".
  auto ewf = run("ewfinfo -V");
  const std::string ewf_version = field_after_word(ewf.out, "ewfinfo");
  EXPECT_NE(libs.find("libewf " + ewf_version + ","), std::string::npos) << libs << " / " << ewf.out;
  auto ssl = run("openssl version");
  EXPECT_NE(libs.find("OpenSSL " + field_after_word(ssl.out, "OpenSSL") + ","), std::string::npos)
      << libs << " / " << ssl.out;
  auto zstd = run("zstd --version");
  const size_t at = zstd.out.find(" v");
  ASSERT_NE(at, std::string::npos) << zstd.out;
  const std::string zstd_version = zstd.out.substr(at + 2, zstd.out.find(',', at) - at - 2);
  EXPECT_NE(libs.find("zstd " + zstd_version + ","), std::string::npos) << libs << " / " << zstd.out;
  EXPECT_NE(libs.find("ISA-L 2."), std::string::npos) << libs;
  if (have_tool("nbdinfo")) {  // "nbdinfo 1.14.2\nlibnbd 1.14.2": the library it runs with
    auto nbd = run("nbdinfo --version");
    const size_t lib = nbd.out.find("libnbd ");
    ASSERT_NE(lib, std::string::npos) << nbd.out;
    const std::string word = nbd.out.substr(lib, nbd.out.find('\n', lib) - lib);
    EXPECT_NE(libs.find(word + ","), std::string::npos) << libs << " / " << nbd.out;
  }

  // The log and the record carry the same.
  TempDir tmp;
  write_file(tmp / "src", random_bytes(1 << 20, 9));
  auto a = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / "src") + " -o " + sh_quote(tmp / "x"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const std::string commit = head.substr(head.find("(commit ") + 8, head.find(')') - head.find("(commit ") - 8);
  const std::string log = read_file(tmp / "x.log");
  EXPECT_NE(log.find("built from commit " + commit + ", with " + libs.substr(11)), std::string::npos) << log;
  auto record = nlohmann::json::parse(read_file(tmp / "x.manifest.json"));
  EXPECT_EQ(record["tool"]["commit"], commit);
  EXPECT_EQ(record["tool"]["libraries"]["libewf"], ewf_version);
  EXPECT_EQ(record["tool"]["libraries"]["zstd"], zstd_version);
}

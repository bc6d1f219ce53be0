// exhibit export: the raw media out of an image, whole or a range, to a file or stdout, checked
// against coreutils digests, dd, and ewfexport (libewf's own tool) on the interop images. A
// damaged or incomplete image stops the export with exit 1 or 3: never zero-filled data, never
// an output file that looks complete.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

std::string exhibit_cmd(const std::string& args) { return sh_quote(exhibit_bin()) + " " + args; }

}  // namespace

TEST(Export, WholeMediaAndRangesEqualTheSource) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(5 << 20, 71) + std::string(1 << 20, '\0'));
  ASSERT_EQ(
      run(exhibit_cmd("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " -S 2MiB")).exit_code,
      0);
  auto whole = run(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o - | sha256sum"));
  EXPECT_EQ(whole.out.substr(0, 64), digest_of("sha256sum", tmp / "src.bin"));
  auto file = run(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o " + sh_quote(tmp / "out.raw")));
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(run("cmp " + sh_quote(tmp / "out.raw") + " " + sh_quote(tmp / "src.bin")).exit_code, 0);
  EXPECT_FALSE(fs::exists(tmp / "out.raw.partial"));
  // A range across chunk and segment boundaries, against dd.
  auto range =
      run("bash -c " +
          sh_quote(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o - --offset 2000000 --length 1500001") +
                   " | cmp - <(dd if=" + sh_quote(tmp / "src.bin") + " bs=1 skip=2000000 count=1500001 status=none)"));
  EXPECT_EQ(range.exit_code, 0) << range.out << range.err;
  // Bad requests.
  auto past = run(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o - --offset 7MiB"));
  EXPECT_EQ(past.exit_code, 2) << past.err;
  EXPECT_EQ(line_count(past.err), 1u);
  auto exists = run(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o " + sh_quote(tmp / "out.raw")));
  EXPECT_EQ(exists.exit_code, 2) << exists.err;
  EXPECT_NE(exists.err.find("already exists"), std::string::npos);
  // Never over the image itself, even with --force.
  const std::string before = digest_of("sha256sum", tmp / "x.E01");
  auto self = run(exhibit_cmd("export -q -f " + sh_quote(tmp / "x.E01") + " -o " + sh_quote(tmp / "x.E01")));
  EXPECT_EQ(self.exit_code, 2) << self.err;
  EXPECT_NE(self.err.find("it is a file of the image being exported"), std::string::npos) << self.err;
  EXPECT_EQ(digest_of("sha256sum", tmp / "x.E01"), before);
  auto device = run(exhibit_cmd("export -q -f " + sh_quote(tmp / "x.E01") + " -o /dev/null"));
  EXPECT_EQ(device.exit_code, 2) << device.err;
}

TEST(Export, ADamagedChunkStopsTheExportInsteadOfZeroFilling) {
  TempDir tmp;
  const std::string data = random_bytes(2 << 20, 72);
  write_file(tmp / "src.bin", data);
  ASSERT_EQ(
      run(exhibit_cmd("acquire -q -c none " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x"))).exit_code, 0);
  // Change a byte of sector 200 (chunk 3, sectors 192-255) where it is stored.
  std::string image = read_file(tmp / "x.E01");
  const auto at = image.find(data.substr(200 * 512, 64));
  ASSERT_NE(at, std::string::npos);
  image[at + 5] ^= 0x20;
  write_file(tmp / "x.E01", image);
  auto r = run(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o " + sh_quote(tmp / "out.raw")));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("chunk 3 (sectors 192-255) is damaged"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "out.raw")) << "an incomplete export must not look complete";
  ASSERT_TRUE(fs::exists(tmp / "out.raw.partial"));
  EXPECT_EQ(fs::file_size(tmp / "out.raw.partial"), 3u * 32768) << "exactly the chunks before the damage";
  EXPECT_EQ(read_file(tmp / "out.raw.partial"), data.substr(0, 3 * 32768));
  // To stdout: the exit code says it, and nothing after the damage was written.
  auto piped = run("bash -c " + sh_quote(exhibit_cmd("export -q " + sh_quote(tmp / "x.E01") + " -o -") +
                                         " | wc -c; exit ${PIPESTATUS[0]}"));
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_EQ(piped.out, std::to_string(3 * 32768) + "\n");
}

TEST(Export, InteropImagesMatchTheirReadmeAndEwfexport) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  for (const auto& row : interop_rows(dir)) {
    SCOPED_TRACE(row.first_file);
    const std::string image = sh_quote(dir + "/" + row.first_file);
    auto r =
        run("bash -c " + sh_quote(exhibit_cmd("export -q " + image + " -o -") + " | md5sum; exit ${PIPESTATUS[0]}"));
    EXPECT_EQ(r.signal, 0) << "crashed";
    if (row.expected == "verifies") {
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out.substr(0, 32), row.md5);
      if (row.sha256.size() == 64) {
        EXPECT_EQ(run(exhibit_cmd("export -q " + image + " -o -") + " | sha256sum").out.substr(0, 64), row.sha256);
      }
      // Debian's libewf 20140813 cannot open an Ex01: the README's SHA-256 (from libewf 20260627) is the oracle.
      if (row.ewf2) continue;
      // libewf's own export of the same image (Debian's ewfexport appends a status line).
      auto ewf = run("ewfexport -q -u -t - " + image + " 2>/dev/null | head -c $(" +
                     exhibit_cmd("info --json " + image) + " | jq .media.size) | md5sum");
      EXPECT_EQ(ewf.out.substr(0, 32), row.md5) << ewf.out << ewf.err;
    } else {
      EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 3) << r.exit_code << r.err;
      EXPECT_EQ(line_count(r.err), 1u) << r.err;
    }
  }
}

// EWF2 (Ex01) sets from ../shared/interop (made by libewf 20260627; the README lists their
// digests), damaged as a lab might receive them: a changed byte inside a stored chunk, a
// truncated last segment, a missing middle one, a renamed file, an encrypted section, a file
// that only bears the name. Where each chunk lies was read from the files with a walker written
// apart from exhibit's reader (the section and table offsets in the comments).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "image/ewf_layout.hpp"
#include "oracles.hpp"
#include "test_support.hpp"
#include "util/endian.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// verify's output and exit code; `err` gets what it wrote to stderr.
std::string verify(const std::string& image, int& code, std::string* err = nullptr) {
  auto r = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(image));
  EXPECT_EQ(r.signal, 0) << "crashed";
  code = r.exit_code;
  if (err != nullptr) *err = r.err;
  return r.out + r.err;
}

// Copies the files of the set whose first file is `first` (its name up to "01") into `to`.
void copy_set(const std::string& dir, const std::string& first, const std::string& to) {
  const std::string stem = first.substr(0, first.size() - 2);
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename();
    if (name.rfind(stem, 0) == 0 && name.size() == first.size()) fs::copy_file(e.path(), to + "/" + name);
  }
}

void flip(const std::string& path, uint64_t offset) {
  std::string bytes = read_file(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  write_file(path, bytes);
}

struct DamageCase {
  const char* first;  // first segment
  const char* file;   // the segment changed
  uint64_t offset;    // a byte inside a stored chunk
  const char* chunk;  // what verify must name
};

}  // namespace

TEST(Ewf2, AChangedByteInAStoredChunkFailsNamingItsSectors) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  const DamageCase cases[] = {
      // chunk 0: a zlib stream at 0x1a0, 0x4b6 bytes (4096-byte sectors, 64 per chunk); its last
      // byte is its Adler-32's (a bit changed inside the stream may leave the output as it was:
      // zlib inflates byte 200 of this one changed to the same 256 KiB, and so do we)
      {"ex01_4k.Ex01", "ex01_4k.Ex01", 0x1a0 + 0x4b6 - 1, "chunk 0: sectors 0-63"},
      // chunk 0: a zlib stream at 0x1b0, 0x1a1 bytes
      {"ex01_ext4_deflate.Ex01", "ex01_ext4_deflate.Ex01", 0x1b0 + 0x1a1 - 1, "chunk 0: sectors 0-63"},
      // chunk 37: stored at 0x38e8 (after the 8-byte patterns of fill chunks), 0x8004 bytes with its Adler-32
      {"ex01_ext4_deflate.Ex01", "ex01_ext4_deflate.Ex01", 0x38e8 + 1000, "chunk 37: sectors 2368-2431"},
      // segment 3 holds chunks 62-92, stored with their Adler-32; chunk 62 at 0x1a0
      {"ex01_rand_split.Ex01", "ex01_rand_split.Ex03", 0x1a0 + 5000, "chunk 62: sectors 3968-4031"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.first);
    TempDir tmp;
    copy_set(dir, c.first, tmp.path());
    int code = 0;
    ASSERT_NE(verify(tmp / c.first, code).find("verdict: VERIFIED"), std::string::npos);
    flip(tmp / c.file, c.offset);
    const std::string out = verify(tmp / c.first, code);
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find(std::string("BAD CHUNK            ") + c.chunk), std::string::npos) << out;
    EXPECT_NE(out.find("MISMATCH"), std::string::npos) << out;
    EXPECT_NE(out.find("verdict: FAILED"), std::string::npos) << out;
  }
}

TEST(Ewf2, ATruncatedOrMissingSegmentFailsNamingTheFile) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  TempDir tmp;
  copy_set(dir, "ex01_rand_split.Ex01", tmp.path());
  const std::string first = tmp / "ex01_rand_split.Ex01";
  int code = 0;
  // The last segment cut short (its closing 'done' section lost).
  const std::string last = tmp / "ex01_rand_split.Ex07";
  const std::string whole = read_file(last);
  write_file(last, whole.substr(0, whole.size() - 100));
  std::string err;
  std::string out = verify(first, code, &err);
  EXPECT_EQ(code, 1) << out;
  EXPECT_EQ(line_count(err), 1u) << err;
  EXPECT_NE(out.find(last + ": truncated or damaged at its end"), std::string::npos) << out;
  write_file(last, whole);
  // A middle segment missing.
  fs::rename(tmp / "ex01_rand_split.Ex04", tmp / "elsewhere");
  out = verify(first, code, &err);
  EXPECT_EQ(code, 1) << out;
  EXPECT_EQ(line_count(err), 1u) << err;
  EXPECT_NE(out.find("segment 4 (" + tmp / "ex01_rand_split.Ex04" + ") is missing"), std::string::npos) << out;
  // A segment of another set in its place.
  fs::copy_file(tmp / "ex01_rand_split.Ex07", tmp / "ex01_rand_split.Ex04");
  out = verify(first, code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find(tmp / "ex01_rand_split.Ex04" + ": is segment 7, expected 4"), std::string::npos) << out;
}

TEST(Ewf2, ReadByItsSignatureWhateverItsName) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  TempDir tmp;
  fs::copy_file(dir + "/ex01_ext4_deflate.Ex01", tmp / "renamed.E01");
  int code = 0;
  std::string out = verify(tmp / "renamed.E01", code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("3c3baeae2b55ed9b4488bba41e7ec939  MATCH"), std::string::npos) << out;
  // Bytes that only bear the name.
  write_file(tmp / "not.Ex01", std::string(4096, 'x'));
  std::string err;
  out = verify(tmp / "not.Ex01", code, &err);
  EXPECT_EQ(line_count(err), 1u) << err;
  EXPECT_NE(err.find("no EVF2 signature"), std::string::npos) << err;
  EXPECT_EQ(code, 1);
}

TEST(Ewf2, AnEncryptedSectionIsRefusedSayingWhy) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  TempDir tmp;
  // Sets the encrypted flag (0x2) on the case data section's descriptor (at 0x160), with its
  // Adler-32 made right again: the structure is intact, the content is not readable.
  std::string bytes = read_file(dir + "/ex01_4k.Ex01");
  auto* d = reinterpret_cast<unsigned char*>(bytes.data()) + 0x160;
  ASSERT_EQ(exhibit::util::load_le32(d), 2u) << "case data";
  exhibit::util::store_le32(d + 4, 2);
  exhibit::util::store_le32(d + 60, exhibit::image::adler32(d, 60));
  write_file(tmp / "enc.Ex01", bytes);
  int code = 0;
  std::string err;
  const std::string out = verify(tmp / "enc.Ex01", code, &err);
  EXPECT_EQ(code, 3) << out;  // a format feature we cannot handle
  EXPECT_EQ(line_count(err), 1u) << err;
  EXPECT_NE(err.find("is encrypted"), std::string::npos) << err;
}

// A file given as an image but not named as one we read: the message says what it looks like.
TEST(Ewf2, AFileNotNamedAsAnImageIsDescribed) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  TempDir tmp;
  fs::copy_file(dir + "/ex01_rand_split.Ex03", tmp / "x.Ex03");
  fs::copy_file(dir + "/e01-rs_mimage.E02", tmp / "y.E02");
  write_file(tmp / "z.aff", std::string("AFF10\r\n", 8) + std::string(100, 'a'));
  const std::pair<std::string, std::string> cases[] = {
      {tmp / "x.Ex03", "is segment 3 of an EWF2 (Ex01) set: name its first segment (" + tmp / "x.Ex01)"},
      {tmp / "y.E02", "is segment 2 of an E01 set: name its first segment (" + tmp / "y.E01)"},
      {tmp / "z.aff", "it looks like an AFF image, which exhibit does not read"},
  };
  for (const auto& [file, message] : cases) {
    int code = 0;
    std::string err;
    verify(file, code, &err);
    EXPECT_EQ(code, 2) << err;
    EXPECT_EQ(line_count(err), 1u) << err;
    EXPECT_NE(err.find(message), std::string::npos) << err;
  }
}

// bzip2 chunks (and metadata), in a set written by tests/support/make_ex01.py from the format's
// description (no tool on this machine writes EWF2): read and checked, a changed chunk named;
// an error table is read; the header-stripped form libyal describes for EnCase is refused, saying why.
TEST(Ewf2, Bzip2ChunksAndAnErrorTableAreRead) {
  if (!have_tool("python3")) GTEST_SKIP() << "needs python3";
  TempDir tmp;
  const std::string media = tmp / "media.bin";
  std::string text;
  for (int i = 0; text.size() < (1u << 20); ++i) text += "line " + std::to_string(i) + " of some text\n";
  write_file(media, random_bytes(256 << 10, 7) + std::string(128 << 10, '\0') + text.substr(0, 640 << 10));
  const std::string script = std::string(EXHIBIT_SOURCE_DIR) + "/tests/support/make_ex01.py";
  auto made =
      run("python3 " + sh_quote(script) + " " + sh_quote(media) + " " + sh_quote(tmp / "b.Ex01") + " --method bzip2");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  int code = 0;
  std::string out = verify(tmp / "b.Ex01", code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find(digest_of("md5sum", media) + "  MATCH"), std::string::npos) << out;
  EXPECT_NE(out.find(digest_of("sha1sum", media) + "  MATCH"), std::string::npos) << out;
  EXPECT_EQ(
      run(sh_quote(exhibit_bin()) + " export -q " + sh_quote(tmp / "b.Ex01") + " -o - | sha256sum").out.substr(0, 64),
      digest_of("sha256sum", media));
  EXPECT_NE(run(sh_quote(exhibit_bin()) + " info " + sh_quote(tmp / "b.Ex01")).out.find("compression          bzip2"),
            std::string::npos);
  // The first bzip2 chunk, a byte in its middle changed.
  std::istringstream entries(made.out);
  uint64_t index = 0, offset = 0, size = 0, flags = 0;
  while (entries >> index >> offset >> size >> flags && flags != 1) {
  }
  ASSERT_EQ(flags, 1u) << made.out;
  flip(tmp / "b.Ex01", offset + size / 2);
  out = verify(tmp / "b.Ex01", code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("BAD CHUNK            chunk " + std::to_string(index) + ": sectors " + std::to_string(index * 64) +
                     "-" + std::to_string(index * 64 + 63)),
            std::string::npos)
      << out;
  // EnCase's form, as libyal describes it: refused, not reported as bad chunks.
  // An error table (sectors the acquisition could not read), as info reports it.
  made = run("python3 " + sh_quote(script) + " " + sh_quote(media) + " " + sh_quote(tmp / "e.Ex01") +
             " --method zlib --error 100:8 --error 2000:1");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto info =
      run(sh_quote(exhibit_bin()) + " info --json " + sh_quote(tmp / "e.Ex01") + " | jq -c .acquisition_errors");
  EXPECT_EQ(info.out, "[{\"first_sector\":100,\"sector_count\":8},{\"first_sector\":2000,\"sector_count\":1}]\n")
      << info.err;
  made = run("python3 " + sh_quote(script) + " " + sh_quote(media) + " " + sh_quote(tmp / "s.Ex01") +
             " --method bzip2 --strip-bzip2-header");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string err;
  verify(tmp / "s.Ex01", code, &err);
  EXPECT_EQ(code, 3) << err;
  EXPECT_NE(err.find("bzip2 chunks without their stream header"), std::string::npos) << err;
}

// Raw and seekable zstd images: checked against cat, cmp, zstd -d, sha256sum, and a seek table
// parsed here (frames cut out with dd and inflated by zstd itself).
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

// Random, text and zeros, and a size that is not a whole number of sectors.
std::string mixed_source(const std::string& path) {
  std::string text;
  while (text.size() < (6u << 20)) text += "exhibit raw and zst formats " + std::to_string(text.size()) + "\n";
  const std::string data = random_bytes(7 << 20, 41) + text + std::string(5 << 20, '\0') + random_bytes(3001, 42);
  write_file(path, data);
  return data;
}

std::string acquire(const std::string& source, const std::string& base, const std::string& extra) {
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(base) + " -q " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return r.out;
}

std::string export_sha256(const std::string& image) {
  return run("bash -c " + sh_quote(sh_quote(exhibit_bin()) + " export " + sh_quote(image) + " -o - | sha256sum"))
      .out.substr(0, 64);
}

uint32_t le32(const std::string& s, size_t at) {
  return static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8 |
         static_cast<unsigned char>(s[at + 2]) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

struct Frame {
  uint64_t offset, compressed, decompressed;
};

// The seek table of the zstd seekable format, read by the test itself.
std::vector<Frame> seek_table(const std::string& file) {
  const std::string z = read_file(file);
  std::vector<Frame> frames;
  if (z.size() < 17 || le32(z, z.size() - 4) != 0x8F92EAB1u) return frames;
  const uint32_t count = le32(z, z.size() - 9);
  const size_t table = z.size() - 9 - 8 * size_t{count};
  uint64_t offset = 0;
  for (uint32_t i = 0; i < count; ++i) {
    frames.push_back({offset, le32(z, table + 8 * i), le32(z, table + 8 * i + 4)});
    offset += frames.back().compressed;
  }
  return frames;
}

}  // namespace

TEST(Formats, RawSplitAndOneFileAreTheSourceBytes) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  mixed_source(source);
  const std::string sha = digest_of("sha256sum", source);

  acquire(source, tmp / "split", "--format raw --segment-size 4MB");
  ASSERT_TRUE(fs::exists(tmp / "split.001"));
  EXPECT_EQ(fs::file_size(tmp / "split.001"), 4000000u);
  EXPECT_TRUE(fs::exists(tmp / "split.005"));
  EXPECT_EQ(
      run("bash -c " + sh_quote("cat " + sh_quote(tmp.path()) + "/split.0* | cmp - " + sh_quote(source))).exit_code, 0)
      << "cat BASE.0* must equal the source byte for byte";
  auto sums = run("cd " + sh_quote(tmp.path()) + " && sha256sum -c split.sha256sums");
  EXPECT_EQ(sums.exit_code, 0) << sums.out << sums.err;
  auto v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(tmp / "split.001"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("VERIFIED"), std::string::npos) << v.out;
  EXPECT_EQ(export_sha256(tmp / "split.001"), sha);

  acquire(source, tmp / "one", "--format raw --segment-size 0");
  EXPECT_FALSE(fs::exists(tmp / "one.001"));
  EXPECT_EQ(digest_of("sha256sum", tmp / "one.raw"), sha);
  EXPECT_EQ(run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(tmp / "one.raw")).exit_code, 0);

  // One byte changed in the middle: the record's digests and pieces catch it (raw has no checksums).
  ASSERT_TRUE(change_byte(tmp / "one.raw", 9000000));
  v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(tmp / "one.raw"));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("PIECE MISMATCH       piece 0: bytes 0-"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("verdict: FAILED"), std::string::npos) << v.out;
  EXPECT_EQ(digest_of("sha256sum", source), sha);
}

TEST(Formats, SeekableZstdDecompressesWithZstdAndSeeks) {
  if (!have_tool("zstd")) GTEST_SKIP() << "needs zstd";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  const std::string data = mixed_source(source);
  const std::string sha = digest_of("sha256sum", source);
  acquire(source, tmp / "img", "--format zst");
  const std::string zst = tmp / "img.zst";
  ASSERT_TRUE(fs::exists(zst));
  EXPECT_EQ(run("bash -c " + sh_quote("zstd -dc " + sh_quote(zst) + " | cmp - " + sh_quote(source))).exit_code, 0)
      << "zstd -d must restore the source";
  EXPECT_LT(fs::file_size(zst), data.size() * 3 / 4) << "text and zeros compress";
  EXPECT_EQ(export_sha256(zst), sha);
  EXPECT_EQ(run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(zst)).exit_code, 0);

  // The seek table, parsed here: frames of one size (the last shorter), then the record frame.
  const auto frames = seek_table(zst);
  ASSERT_GE(frames.size(), 4u);
  const uint64_t frame_bytes = frames[0].decompressed;
  ASSERT_GT(frame_bytes, 0u);
  EXPECT_EQ(frames.back().decompressed, 0u) << "the record travels in a skippable frame";
  const std::string record = read_file(zst).substr(frames.back().offset + 8, frames.back().compressed - 8);
  EXPECT_NE(record.find(sha), std::string::npos) << "the embedded record holds the SHA-256";
  // One frame cut out with dd and inflated by zstd is exactly its range of the source.
  const Frame& f = frames[2];
  auto one = run("bash -c " + sh_quote("tail -c +" + std::to_string(f.offset + 1) + " " + sh_quote(zst) +
                                       " | head -c " + std::to_string(f.compressed) + " | zstd -dc | sha256sum"));
  write_file(tmp / "slice", data.substr(2 * frame_bytes, f.decompressed));
  EXPECT_EQ(one.out.substr(0, 64), digest_of("sha256sum", tmp / "slice"));

  // Damage frame 0, then read a range from the middle: it still comes out right, so the read
  // went through the seek table and never decompressed the start of the file.
  ASSERT_TRUE(change_byte(zst, frames[0].compressed / 2));
  const uint64_t offset = 2 * frame_bytes + 12345, length = frame_bytes + 999;
  auto part = run(sh_quote(exhibit_bin()) + " export " + sh_quote(zst) + " -o " + sh_quote(tmp / "part") +
                  " --offset " + std::to_string(offset) + " --length " + std::to_string(length));
  ASSERT_EQ(part.exit_code, 0) << part.err;
  EXPECT_TRUE(read_file(tmp / "part") == data.substr(offset, length));
  // verify names the damaged frame and its range.
  auto v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(zst));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("BAD FRAME            frame 0: sectors 0-" + std::to_string(frame_bytes / 512 - 1) +
                       " (bytes 0-" + std::to_string(frame_bytes - 1) + ")"),
            std::string::npos)
      << v.out;
  // And export stops there instead of inventing bytes.
  auto whole = run(sh_quote(exhibit_bin()) + " export " + sh_quote(zst) + " -o " + sh_quote(tmp / "whole"));
  EXPECT_EQ(whole.exit_code, 1) << whole.err;
  EXPECT_NE(whole.err.find("frame 0"), std::string::npos) << whole.err;
}

TEST(Formats, ExportOfEveryFormatEqualsTheSource) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  mixed_source(source);
  const std::string sha = digest_of("sha256sum", source);
  // E01 pads the last sector: its export is the source and then the padding.
  acquire(source, tmp / "e", "");
  auto e = run("bash -c " + sh_quote(sh_quote(exhibit_bin()) + " export " + sh_quote(tmp / "e.E01") +
                                     " -o - | head -c " + std::to_string(fs::file_size(source)) + " | sha256sum"));
  EXPECT_EQ(e.out.substr(0, 64), sha);
  acquire(source, tmp / "r", "--format raw");
  EXPECT_EQ(export_sha256(tmp / "r.001"), sha);
  acquire(source, tmp / "z", "--format zst -c best");
  EXPECT_EQ(export_sha256(tmp / "z.zst"), sha);
}

TEST(Formats, OptionsThatDoNotApplyAreRefused) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(1 << 20, 5));
  for (const std::string& args : {"--format zst --segment-size 1GB"s, "--format raw --compression best"s,
                                  "--format zst --compression none"s, "--segment-size 0"s, "--format tar"s}) {
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(tmp / "x") + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(tmp / "x.log")) << args;
  }
}

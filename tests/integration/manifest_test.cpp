// The record beside the image: whole-media digests, piecewise SHA-256 and the segment files'
// SHA-256, each checked against coreutils (sha256sum, dd) and by verify, whose printed commands
// are run as printed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr uint64_t k_piece = 1 << 20;

CommandResult acquire(const std::string& source, const std::string& base, const std::string& extra = "") {
  return run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(base) +
             " --piece-size 1MiB -S 3MiB " + extra);
}

// The lines of `text` that start with "  " after "repeat with independent tools:".

}  // namespace

TEST(Manifest, DigestsPiecesAndSegmentsMatchCoreutils) {
  TempDir tmp;
  // Not a whole number of pieces nor of sectors: the last piece is short and leaves out padding.
  std::string data = random_bytes(5 * k_piece + 3 * 512 + 100, 21);
  write_file(tmp / "src.bin", data);
  const std::string before = digest_of("sha256sum", tmp / "src.bin");
  const std::string base = tmp / "out/img";
  auto a = acquire(tmp / "src.bin", base);
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  EXPECT_EQ(digest_of("sha256sum", tmp / "src.bin"), before) << "the source changed";

  const json m = json::parse(read_file(base + ".manifest.json"));
  EXPECT_EQ(m["source"]["digests"]["sha256"], before);  // the padded media has its own digests
  const auto& pieces = m["pieces"]["list"];
  ASSERT_EQ(pieces.size(), 6u);
  EXPECT_EQ(m["pieces"]["piece_size"], k_piece);
  for (size_t i = 0; i < pieces.size(); ++i) {
    auto dd = run("dd if=" + sh_quote(tmp / "src.bin") + " bs=1M skip=" + std::to_string(i) +
                  " count=1 status=none | sha256sum");
    EXPECT_EQ(pieces[i]["sha256"], dd.out.substr(0, 64)) << "piece " << i;
    EXPECT_EQ(pieces[i]["offset"], i * k_piece);
  }
  EXPECT_EQ(pieces[5]["length"], data.size() - 5 * k_piece);

  const auto& segments = m["image"]["segments"];
  ASSERT_GE(segments.size(), 2u);
  for (const auto& s : segments) {
    const std::string file = tmp / ("out/" + s["file"].get<std::string>());
    EXPECT_EQ(s["size"], fs::file_size(file));
    EXPECT_EQ(s["sha256"], digest_of("sha256sum", file));
  }
  auto check = run("cd " + sh_quote(tmp / "out") + " && sha256sum -c img.sha256sums");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(line_count(check.out), segments.size()) << check.out;

  auto v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(base + ".E01"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("6 SHA-256 pieces of 1048576 bytes: every one matches"), std::string::npos) << v.out;
  // Every command verify prints succeeds as printed, and the digest pipelines give the media SHA-256.
  const auto commands = repeat_commands(v.out);
  ASSERT_EQ(commands.size(), 3u) << v.out;
  for (const auto& c : commands) {
    auto r = run(c);
    EXPECT_EQ(r.exit_code, 0) << c << "\n" << r.out << r.err;
    if (c.find("sha256sum -c") != std::string::npos) {
      EXPECT_EQ(r.out.find("FAILED"), std::string::npos) << r.out;
    } else if (c.find("| sha256sum") != std::string::npos) {
      EXPECT_EQ(r.out.substr(0, 64), m["media"]["digests"]["sha256"]) << c;
    } else {
      EXPECT_NE(r.out.find("ewfverify: SUCCESS"), std::string::npos) << r.out;
    }
  }
}

TEST(Manifest, ADifferentImageUnderTheRecordIsCaughtAndThePieceNamed) {
  TempDir tmp;
  std::string data = random_bytes(6 * k_piece, 22);
  write_file(tmp / "a.bin", data);
  const uint64_t changed_at = 3 * k_piece + 12345;  // in piece 3, sector 6168
  data[changed_at] = static_cast<char>(data[changed_at] ^ 0x01);
  write_file(tmp / "b.bin", data);
  ASSERT_EQ(acquire(tmp / "a.bin", tmp / "a").exit_code, 0);
  ASSERT_EQ(acquire(tmp / "b.bin", tmp / "b").exit_code, 0);
  // The segment files of b under a's names: a consistent E01 (its own hashes match), but not the
  // one a's record describes.
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind("b.E", 0) == 0)
      fs::copy_file(e.path(), tmp / "a" + name.substr(1), fs::copy_options::overwrite_existing);
  }
  auto v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(tmp / "a.E01"));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("chunks  "), std::string::npos) << "every chunk is valid in itself\n" << v.out;
  EXPECT_NE(v.out.find("PIECE MISMATCH       piece 3: bytes 3145728-4194303, sectors 6144-8191 differ"),
            std::string::npos)
      << v.out;
  EXPECT_EQ(v.out.find("piece 2:"), std::string::npos) << v.out;
  EXPECT_EQ(v.out.find("piece 4:"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("MISMATCH (the file changed)"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("verdict: FAILED"), std::string::npos) << v.out;
  // The printed commands say the same: sha256sum -c fails, and the piece's digest as ewfexport
  // reads it is the one verify computed, not the recorded one.
  const json m = json::parse(read_file(tmp / "a.manifest.json"));
  bool piece_checked = false;
  for (const auto& c : repeat_commands(v.out)) {
    auto r = run(c);
    if (c.find("sha256sum -c") != std::string::npos) {
      EXPECT_NE(r.exit_code, 0) << c << r.out;
      EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
    } else if (c.find("tail -c +3145729 | head -c 1048576") != std::string::npos) {
      piece_checked = true;
      auto dd = run("dd if=" + sh_quote(tmp / "b.bin") + " bs=1M skip=3 count=1 status=none | sha256sum");
      EXPECT_EQ(r.out.substr(0, 64), dd.out.substr(0, 64)) << c;
      EXPECT_NE(r.out.substr(0, 64), m["pieces"]["list"][3]["sha256"]) << c;
    }
  }
  EXPECT_TRUE(piece_checked) << v.out;
}

TEST(Manifest, NoPiecesWhenTheSizeIsZero) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(2 * k_piece, 23));
  auto a = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") +
               " --piece-size 0");
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  const json m = json::parse(read_file(tmp / "x.manifest.json"));
  EXPECT_TRUE(m["pieces"]["list"].empty());
  auto v = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  EXPECT_EQ(v.out.find("pieces"), std::string::npos) << v.out;
}

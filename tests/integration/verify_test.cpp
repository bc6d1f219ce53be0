// exhibit verify against images made by other tools (../shared/interop, with the hashes its
// README records) and against our own images with one byte changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "image/ewf_layout.hpp"
#include "oracles.hpp"
#include "test_support.hpp"
#include "util/endian.hpp"

using namespace exhibit;
using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

std::string verify_cmd(const std::string& image) { return sh_quote(exhibit_bin()) + " verify -q " + sh_quote(image); }

}  // namespace

TEST(VerifyInterop, EveryImageAgreesWithTheReadme) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  auto rows = interop_rows(dir);
  ASSERT_GE(rows.size(), 9u) << "README table not parsed";
  for (const auto& row : rows) {
    SCOPED_TRACE(row.first_file);
    auto r = run(verify_cmd(dir + "/" + row.first_file));
    EXPECT_EQ(r.signal, 0) << "crashed";
    if (row.expected == "verifies") {
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_NE(r.out.find(row.md5 + "  MATCH"), std::string::npos) << r.out;
      if (row.sha1.size() == 40) {
        EXPECT_NE(r.out.find(row.sha1 + "  MATCH"), std::string::npos) << r.out;
      }
      EXPECT_NE(r.out.find("verdict: VERIFIED"), std::string::npos);
      auto info = run(sh_quote(exhibit_bin()) + " info " + sh_quote(dir + "/" + row.first_file));
      EXPECT_EQ(info.exit_code, 0) << info.err;
      EXPECT_NE(info.out.find(row.md5), std::string::npos) << info.out;
    } else if (row.expected.rfind("fails", 0) == 0) {
      EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
      EXPECT_NE(r.out.find("BAD CHUNK            chunk 0: sectors 0-63"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("MISMATCH"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("verdict: FAILED"), std::string::npos);
    } else {
      EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 3) << r.exit_code << r.err;
      EXPECT_EQ(line_count(r.err), 1u) << r.err;
      EXPECT_NE(r.err.find(row.first_file), std::string::npos) << r.err;
    }
  }
}

class TamperedImage : public ::testing::Test {
 protected:
  void acquire(const std::string& compression) {
    data = random_bytes(2 << 20, 5);
    write_file(tmp / "src.bin", data);
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img") +
                 " -q -c " + compression);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(run(verify_cmd(tmp / "img.E01")).exit_code, 0);
  }
  void flip_byte_at(uint64_t offset) {
    std::string image = read_file(tmp / "img.E01");
    ASSERT_LT(offset, image.size());
    image[offset] = static_cast<char>(image[offset] ^ 0x01);
    write_file(tmp / "img.E01", image);
  }
  TempDir tmp;
  std::string data;
};

TEST_F(TamperedImage, ChangedByteInStoredChunkNamesItsSectors) {
  acquire("none");
  // Sector 100 lies in chunk 1 (sectors 64-127); find its bytes in the uncompressed image.
  std::string image = read_file(tmp / "img.E01");
  std::string needle = data.substr(100 * 512, 64);
  auto pos = image.find(needle);
  ASSERT_NE(pos, std::string::npos);
  flip_byte_at(pos + 10);

  auto r = run(verify_cmd(tmp / "img.E01"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("BAD CHUNK            chunk 1: sectors 64-127"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verdict: FAILED"), std::string::npos) << r.out;
  auto oracle = run("ewfverify -q " + sh_quote(tmp / "img.E01"));
  EXPECT_NE(oracle.out.find("at sector(s): 64 - 127"), std::string::npos) << oracle.out;
  EXPECT_NE(oracle.out.find("ewfverify: FAILURE"), std::string::npos) << oracle.out;
}

TEST_F(TamperedImage, ChangedByteInCompressedChunkFails) {
  acquire("fast");
  auto layout = image::read_segment_layout(tmp / "img.E01");
  ASSERT_TRUE(layout) << layout.error().message();
  uint64_t target = 0;
  for (const auto& s : layout->sections) {
    if (s.type == "sectors") target = s.offset + image::k_ewf_section_descriptor_size + (s.size - 76) / 2;
  }
  ASSERT_NE(target, 0u);
  flip_byte_at(target);
  auto r = run(verify_cmd(tmp / "img.E01"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("BAD CHUNK"), std::string::npos) << r.out;
  EXPECT_NE(run("ewfverify -q " + sh_quote(tmp / "img.E01")).out.find("FAILURE"), std::string::npos);
}

TEST_F(TamperedImage, EditedRecordDigestIsAMismatch) {
  acquire("fast");
  std::string record = read_file(tmp / "img.manifest.json");
  const std::string real = digest_of("sha256sum", tmp / "src.bin");
  auto pos = record.find(real);
  ASSERT_NE(pos, std::string::npos);
  record[pos] = record[pos] == '0' ? '1' : '0';
  write_file(tmp / "img.manifest.json", record);
  auto r = run(verify_cmd(tmp / "img.E01"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(real + "  MISMATCH"), std::string::npos) << r.out;

  write_file(tmp / "img.manifest.json", "{ not json");
  r = run(verify_cmd(tmp / "img.E01"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("not valid JSON"), std::string::npos) << r.out;
}

namespace {

// Our one-chunk E01 (8 sectors, stored) with one byte more inside its chunk, as an odd writer
// stores it: 4,097 bytes and their Adler-32 behind a volume section of 8 sectors. Every later
// section moves by one byte: each descriptor's "next" (and the sectors section's size) with its
// Adler-32 made right again.
std::string widen_the_chunk(std::string e01) {
  auto* p = reinterpret_cast<unsigned char*>(e01.data());
  std::vector<uint64_t> descriptors;
  for (uint64_t at = image::k_ewf_file_header_size;;) {
    descriptors.push_back(at);
    const uint64_t next = util::load_le64(p + at + 16);
    if (next == at) break;
    at = next;
  }
  uint64_t sectors = 0;
  for (uint64_t at : descriptors) {
    if (std::string(reinterpret_cast<const char*>(p + at)) == "sectors") sectors = at;
  }
  const uint64_t data = sectors + image::k_ewf_section_descriptor_size;
  std::string chunk = e01.substr(data, 4096) + "Z";
  unsigned char sum[4];
  util::store_le32(sum, image::adler32(reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size()));
  std::string out = e01.substr(0, data) + chunk + std::string(reinterpret_cast<char*>(sum), 4) +
                    e01.substr(data + 4100);
  auto* q = reinterpret_cast<unsigned char*>(out.data());
  for (uint64_t at : descriptors) {
    if (at < sectors) continue;
    const uint64_t here = at == sectors ? at : at + 1;
    util::store_le64(q + here + 16, util::load_le64(q + here + 16) + 1);
    if (at == sectors) util::store_le64(q + here + 24, util::load_le64(q + here + 24) + 1);
    util::store_le32(q + here + 72, image::adler32(q + here, 72));
  }
  return out;
}

}  // namespace

// A stored chunk longer than the geometry says, its checksum over all it stores, is not a bad
// chunk: verify says what it is and reads the media as the volume section gives it (ewfverify
// and ewfexport, the oracles, read it so too); a changed byte in the extra part still fails.
TEST(OddChunk, StoredLongerThanItsSectorsIsNotABadChunk) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(4096, 17));
  ASSERT_EQ(run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "img") +
                " -q -c none --chunk-sectors 8")
                .exit_code,
            0);
  fs::create_directory(tmp / "odd");
  const std::string odd = tmp / "odd/img.E01";
  write_file(odd, widen_the_chunk(read_file(tmp / "img.E01")));
  const std::string md5 = digest_of("md5sum", tmp / "src.bin");
  auto ewf = run("ewfverify -q " + sh_quote(odd) + " </dev/null");
  ASSERT_NE(ewf.out.find("ewfverify: SUCCESS"), std::string::npos) << ewf.out << ewf.err;
  EXPECT_EQ(run("ewfexport -q -u -t - " + sh_quote(odd) + " </dev/null 2>/dev/null | head -c 4096 | md5sum")
                .out.substr(0, 32),
            md5);

  auto r = run(verify_cmd(odd));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("BAD CHUNK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(md5 + "  MATCH"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("chunk 0 (sectors 0-7) stores 4097 bytes where the image's geometry says 4096"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(run(sh_quote(exhibit_bin()) + " export -q " + sh_quote(odd) + " -o - | md5sum").out.substr(0, 32), md5);

  std::string changed = read_file(odd);
  const auto extra = changed.find("Z", changed.find("sectors") + image::k_ewf_section_descriptor_size + 4096 - 8);
  ASSERT_NE(extra, std::string::npos);
  changed[extra] = 'Y';
  write_file(odd, changed);
  r = run(verify_cmd(odd));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("BAD CHUNK            chunk 0: sectors 0-7"), std::string::npos) << r.out;
}

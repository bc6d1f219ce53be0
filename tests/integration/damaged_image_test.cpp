// Damaged images, in every format, are exit 1 for verify and info, with one line that names the
// file and what in it is damaged (the E01 section, the zst seek table entry), never libewf's bare
// "unable to open handle".
#include <gtest/gtest.h>

#include <filesystem>

#include "image/ewf_layout.hpp"
#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

CommandResult exhibit_run(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

// verify and info both fail with exit 1 and one line holding every one of `wanted`.
void expect_damaged(const std::string& image, const std::vector<std::string>& wanted) {
  for (const char* command : {"verify -q ", "info "}) {
    SCOPED_TRACE(command + image);
    auto r = exhibit_run(command + sh_quote(image));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("exhibit: error: ", 0), 0u) << r.err;
    for (const auto& w : wanted) EXPECT_NE(r.err.find(w), std::string::npos) << "wanted '" << w << "' in " << r.err;
    EXPECT_EQ(r.err.find("unable to open handle"), std::string::npos) << r.err;
  }
}

void put32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

uint32_t get32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + static_cast<size_t>(i)]);
  return v;
}

void flip(const std::string& path, uint64_t offset) {
  std::string bytes = read_file(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  write_file(path, bytes);
}

class DamagedE01 : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b"}) {
      write_file(tmp / (std::string(name) + ".bin"), random_bytes(3 << 20, name[0]));
      auto r = exhibit_run("acquire " + sh_quote(tmp / (std::string(name) + ".bin")) + " -o " + sh_quote(tmp / name) +
                           " -q -c none -S 1MiB --hash sha1");
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_TRUE(fs::exists(tmp / "a.E04"));
    ASSERT_EQ(exhibit_run("verify -q " + sh_quote(tmp / "a.E01")).exit_code, 0);
  }
  // The copy of image a in `dir`, every segment.
  std::string copy_of_a(const std::string& dir) {
    fs::create_directories(tmp / dir);
    for (const char* ext : {"E01", "E02", "E03", "E04"})
      fs::copy_file(tmp / (std::string("a.") + ext), tmp / (dir + "/a." + ext));
    return tmp / (dir + "/a.E01");
  }
  TempDir tmp;
};

}  // namespace

TEST_F(DamagedE01, SegmentOfAnotherImage) {
  const std::string first = copy_of_a("swapped");
  fs::copy_file(tmp / "b.E02", tmp / "swapped/a.E02", fs::copy_options::overwrite_existing);
  expect_damaged(first, {tmp / "swapped/a.E02: its set identifier", "does not match segment 1's"});
  // libewf refuses it too (ewfverify), for the same reason.
  EXPECT_NE(run("ewfverify -q " + sh_quote(first)).exit_code, 0);
}

TEST_F(DamagedE01, SegmentOverwrittenByRandomBytes) {
  const std::string first = copy_of_a("random");
  write_file(tmp / "random/a.E02", random_bytes(static_cast<size_t>(fs::file_size(tmp / "a.E02")), 77));
  expect_damaged(first, {tmp / "random/a.E02: not an EWF (E01) file", "(segment 2 of " + first + ")"});
}

// A byte changed in the body, then in the descriptor, of each section libewf reads on opening.
TEST_F(DamagedE01, EachSectionNamedWithItsFile) {
  struct Target {
    const char* segment;
    const char* section;
    int nth;  // header2 is written twice
  };
  for (const Target& t :
       {Target{"E01", "header2", 0}, Target{"E01", "header2", 1}, Target{"E01", "header", 0},
        Target{"E01", "volume", 0}, Target{"E03", "data", 0}, Target{"E04", "digest", 0}, Target{"E04", "hash", 0}}) {
    for (const bool descriptor : {false, true}) {
      const std::string dir = std::string(t.section) + std::to_string(t.nth) + (descriptor ? "-descriptor" : "-body");
      SCOPED_TRACE(dir);
      const std::string first = copy_of_a(dir);
      const std::string segment = tmp / (dir + "/a." + t.segment);
      auto layout = image::read_segment_layout(segment);
      ASSERT_TRUE(layout) << layout.error().message();
      uint64_t offset = 0;
      int seen = 0;
      for (const auto& s : layout->sections) {
        if (s.type == t.section && seen++ == t.nth) offset = s.offset;
      }
      ASSERT_NE(offset, 0u);
      // Descriptor: a byte of its "next" field; body: its 10th byte.
      flip(segment, offset + (descriptor ? 20 : image::k_ewf_section_descriptor_size + 9));
      const std::string at = " section at offset " + std::to_string(offset);
      expect_damaged(first,
                     {segment + ": the " + (descriptor ? std::string("descriptor of the ") : "") + t.section + at});
    }
  }
}

TEST(DamagedImage, NotAnEwfFileNamedE01IsDamaged) {
  TempDir tmp;
  write_file(tmp / "holiday.E01", std::string(10000, 'x'));
  expect_damaged(tmp / "holiday.E01", {tmp / "holiday.E01: not an EWF (E01) file"});
  write_file(tmp / "tiny.E01", "EVF");
  expect_damaged(tmp / "tiny.E01", {tmp / "tiny.E01: not an EWF (E01) file: too short"});
}

// Seek tables forged or cut: each is damage (exit 1) named in the file, never "unsupported" (3).
TEST(DamagedImage, ZstForgedOrTruncatedSeekTable) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(13 << 20, 5));
  ASSERT_EQ(
      exhibit_run("acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "z") + " -q --format zst").exit_code,
      0);
  const std::string z = read_file(tmp / "z.zst");
  const uint32_t count = get32(z, z.size() - 9);
  ASSERT_GE(count, 4u);  // 4 data frames and the record
  const size_t table = z.size() - 9 - 8 * size_t{count};
  auto entry = [&](uint32_t i) { return table + 8 * i; };
  struct Forgery {
    const char* name;
    std::string bytes;
    const char* says;
  };
  std::vector<Forgery> cases;
  auto forged = [&](const char* name, const char* says, auto edit) {
    std::string b = z;
    edit(b);
    cases.push_back({name, b, says});
  };
  forged("smaller-media", "seek table entry 1 disagrees with the frame",
         [&](std::string& b) { put32(b, entry(1) + 4, get32(b, entry(1) + 4) - 4096); });
  forged("larger-media", "seek table entry 1 disagrees with the frame",
         [&](std::string& b) { put32(b, entry(1) + 4, get32(b, entry(1) + 4) + 4096); });
  forged("overflowing-media", "seek table entry 0 disagrees with the frame",
         [&](std::string& b) { put32(b, entry(0) + 4, 0xFFFFFFFFu); });
  forged("shifted-frames", "seek table entry 1 disagrees with the frame", [&](std::string& b) {
    put32(b, entry(0), get32(b, entry(0)) + 100);
    put32(b, entry(1), get32(b, entry(1)) - 100);
  });
  forged("past-the-end", "frame 1 runs past the seek table", [&](std::string& b) { put32(b, entry(1), 0xFFFFFFF0u); });
  forged("huge-count", "the seek table claims more frames",
         [&](std::string& b) { put32(b, b.size() - 9, 0x7FFFFFFFu); });
  forged("reserved-bits", "reserved bits",
         [&](std::string& b) { b[b.size() - 5] = static_cast<char>(b[b.size() - 5] | 0x10); });
  forged("media-to-record", "media bytes to a skippable frame",
         [&](std::string& b) { put32(b, entry(count - 1) + 4, 4096); });
  cases.push_back({"cut-in-half", z.substr(0, z.size() / 2), "no seek table at the end"});
  cases.push_back({"cut-short", z.substr(0, z.size() - 3), "no seek table at the end"});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = tmp / (std::string(c.name) + ".zst");
    write_file(path, c.bytes);
    expect_damaged(path, {path + ": ", c.says});
  }
}

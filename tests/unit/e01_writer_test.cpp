// Our E01 writer against libewf's: the same encoded chunks, header values, errors and hashes
// written through both must give the same segment files, byte for byte. And a writer resumed
// from a checkpoint (after more was written and then lost) must give the same files again.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "image/chunk_codec.hpp"
#include "image/e01_writer.hpp"
#include "image/libewf_writer.hpp"
#include "image/segment_names.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::image;

namespace {

struct Case {
  const char* name;
  Compression compression;
  uint64_t media_size;
  uint32_t sectors_per_chunk;
  uint64_t segment_size;
  std::vector<SectorRange> errors;
  bool sha1;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Media with random, text and zero regions, so chunks compress to very different sizes.
std::string media(uint64_t size, uint32_t seed) {
  std::string m(size, '\0');
  std::mt19937 rng(seed);
  for (uint64_t pos = 0; pos < size;) {
    const uint64_t run = std::min<uint64_t>(size - pos, 4096 + rng() % 200000);
    switch (rng() % 3) {
      case 0:
        for (uint64_t i = 0; i < run; ++i) m[pos + i] = static_cast<char>(rng());
        break;
      case 1:
        for (uint64_t i = 0; i < run; ++i) m[pos + i] = "forensic image text "[i % 20];
        break;
      default: break;
    }
    pos += run;
  }
  return m;
}

EwfWriteOptions options_for(const Case& c, const std::string& base) {
  EwfWriteOptions o;
  o.base = base;
  o.media_size = c.media_size;
  o.sectors_per_chunk = c.sectors_per_chunk;
  o.segment_size = c.segment_size;
  o.compression = c.compression;
  o.physical = false;
  o.header_values = {{"case_number", "2026-117"},
                     {"evidence_number", "HD-3"},
                     {"examiner_name", "Jürgen Ø. Examiner"},
                     {"description", "laptop disk"},
                     {"notes", "seized 2026-11-29 日本"},
                     {"model", "WDC WD10"},
                     {"serial_number", "WX12345"},
                     {"acquiry_operating_system", "Linux"},
                     {"acquiry_software", "exhibit"},
                     {"acquiry_software_version", "0.1.0"},
                     {"acquiry_date", "2026 11 29 10 00 00"},
                     {"system_date", "2026 11 29 10 00 00"}};
  o.set_identifier = std::array<uint8_t, 16>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  return o;
}

template <typename Writer>
void write_all(Writer& w, const Case& c, const std::string& data, uint64_t first_chunk = 0) {
  const size_t chunk = size_t{c.sectors_per_chunk} * 512;
  ChunkEncoder enc(c.compression, chunk);
  std::vector<unsigned char> out(chunk);
  for (uint64_t pos = first_chunk * chunk; pos < data.size(); pos += chunk) {
    const size_t n = std::min<size_t>(chunk, data.size() - pos);
    ASSERT_TRUE(w.write_chunk(enc.encode(reinterpret_cast<const unsigned char*>(data.data()) + pos, n, out.data())));
  }
}

std::vector<std::string> files_of(const std::string& base) { return existing_segments({base, false}); }

void expect_same_files(const std::string& ours, const std::string& theirs) {
  const auto a = files_of(ours), b = files_of(theirs);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string x = test::read_file(a[i]), y = test::read_file(b[i]);
    EXPECT_EQ(x.size(), y.size()) << a[i];
    if (x != y) {
      size_t at = 0;
      while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
      ADD_FAILURE() << a[i] << " differs from libewf's first at byte " << at;
    }
  }
}

const std::string k_md5 = "00112233445566778899aabbccddeeff";
const std::string k_sha1 = "0123456789abcdef0123456789abcdef01234567";

}  // namespace

class SameAsLibewf : public ::testing::TestWithParam<Case> {};

TEST_P(SameAsLibewf, ByteForByte) {
  const Case& c = GetParam();
  test::TempDir tmp;
  const std::string data = media(c.media_size, 7);
  {
    auto theirs = LibewfWriter::create(options_for(c, tmp / "libewf"));
    ASSERT_TRUE(theirs) << theirs.error().message();
    write_all(**theirs, c, data);
    for (const auto& r : c.errors) ASSERT_TRUE((*theirs)->add_acquisition_error(r));
    ASSERT_TRUE((*theirs)->finish(k_md5, c.sha1 ? k_sha1 : ""));
  }
  auto ours = E01Writer::create(options_for(c, tmp / "ours"));
  ASSERT_TRUE(ours) << ours.error().message();
  write_all(**ours, c, data);
  for (const auto& r : c.errors) (*ours)->add_acquisition_error(r);
  auto st = (*ours)->finish(k_md5, c.sha1 ? k_sha1 : "");
  ASSERT_TRUE(st) << st.error().message();
  expect_same_files(tmp / "ours", tmp / "libewf");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SameAsLibewf,
    ::testing::Values(Case{"fast_one_segment", Compression::Fast, 5 << 20, 64, 1 << 30, {}, true},
                      Case{
                          "best_errors", Compression::Best, 3 << 20, 64, 1 << 30, {{0, 1}, {100, 28}, {6143, 1}}, true},
                      Case{"none_no_sha1", Compression::None, 2 << 20, 8, 1 << 30, {}, false},
                      Case{"empty_block_segments", Compression::EmptyBlock, 6 << 20, 64, 1 << 20, {{7, 3}}, true},
                      Case{"fast_many_segments", Compression::Fast, 24 << 20, 16, 1 << 20, {{8000, 8}}, true},
                      Case{"groups_past_65534_chunks", Compression::Fast, 70000 * 512ULL, 1, 1 << 30, {}, true}),
    [](const auto& p) { return std::string(p.param.name); });

// Crash after a checkpoint (more written, never finished), resume from it: the files equal
// libewf's for the whole media. Checkpoints early, mid-segment, and in later segments.
TEST(E01WriterResume, ResumedImageEqualsUninterruptedOne) {
  const Case c{"resume", Compression::Fast, 24 << 20, 16, 1 << 20, {{8000, 8}}, true};
  const size_t chunk = size_t{c.sectors_per_chunk} * 512;
  const uint64_t chunks = c.media_size / chunk;
  test::TempDir tmp;
  const std::string data = media(c.media_size, 7);
  {
    auto theirs = LibewfWriter::create(options_for(c, tmp / "libewf"));
    ASSERT_TRUE(theirs);
    write_all(**theirs, c, data);
    ASSERT_TRUE((*theirs)->add_acquisition_error(c.errors[0]));
    ASSERT_TRUE((*theirs)->finish(k_md5, k_sha1));
  }
  for (const uint64_t stop_at : {uint64_t{1}, uint64_t{300}, chunks / 2 + 7, chunks - 1}) {
    SCOPED_TRACE("checkpoint after chunk " + std::to_string(stop_at));
    const std::string base = tmp / ("ours" + std::to_string(stop_at));
    E01Checkpoint cp;
    {
      auto w = E01Writer::create(options_for(c, base));
      ASSERT_TRUE(w);
      ChunkEncoder enc(c.compression, chunk);
      std::vector<unsigned char> out(chunk);
      for (uint64_t i = 0; i < chunks; ++i) {
        if (i == stop_at) {
          auto got = (*w)->checkpoint();
          ASSERT_TRUE(got);
          cp = *got;
        }
        if (i == std::min(chunks, stop_at + 500)) break;  // the crash: later chunks were written, then lost
        ASSERT_TRUE((*w)->write_chunk(
            enc.encode(reinterpret_cast<const unsigned char*>(data.data()) + i * chunk, chunk, out.data())));
      }
    }
    ASSERT_EQ(cp.chunks, stop_at);
    auto w = E01Writer::resume(options_for(c, base), cp);
    ASSERT_TRUE(w) << w.error().message();
    write_all(**w, c, data, stop_at);
    (*w)->add_acquisition_error(c.errors[0]);
    ASSERT_TRUE((*w)->finish(k_md5, k_sha1));
    expect_same_files(base, tmp / "libewf");
  }
}

// Tiny chunks, and segment sizes all around the point where a segment's first group of 65534
// chunks fills: no segment but the last passes the segment size (the chunk that opens a new group
// also brings that group's descriptor and tables), and ewfverify reads every one of them.
TEST(E01WriterSegments, GroupsClosingAtASegmentEdgeStayWithinTheSegmentSize) {
  const uint64_t chunks = 65534 + 300;
  Case c{"tiny", Compression::Fast, chunks * 512, 1, uint64_t{1} << 40, {}, true};
  test::TempDir tmp;
  const std::string data(c.media_size, '\0');
  test::write_file(tmp / "media", data);
  const std::string md5 = test::digest_of("md5sum", tmp / "media");
  const std::string sha1 = test::digest_of("sha1sum", tmp / "media");
  // Where the first group fills, in a segment without a size limit.
  uint64_t full = 0;
  {
    auto w = E01Writer::create(options_for(c, tmp / "probe"));
    ASSERT_TRUE(w);
    ChunkEncoder enc(c.compression, 512);
    std::vector<unsigned char> out(512);
    for (uint64_t i = 0; i < 65534; ++i) {
      ASSERT_TRUE((*w)->write_chunk(enc.encode(reinterpret_cast<const unsigned char*>(data.data()), 512, out.data())));
    }
    auto cp = (*w)->checkpoint();
    ASSERT_TRUE(cp);
    full = cp->file_size + 2 * (76 + 24 + 4 * 65534 + 4) + 76;  // with its tables and a "next" section
  }
  int checked = 0;
  for (uint64_t size = full - 320; size <= full + 320; size += 20) {
    c.segment_size = size;
    const std::string base = tmp / "s" + std::to_string(size);
    auto w = E01Writer::create(options_for(c, base));
    ASSERT_TRUE(w);
    write_all(**w, c, data);
    ASSERT_TRUE((*w)->finish(md5, sha1));
    const auto files = files_of(base);
    for (size_t i = 0; i + 1 < files.size(); ++i) {
      EXPECT_LE(test::read_file(files[i]).size(), size) << files[i];
    }
    if (checked++ % 8 == 0 && test::have_tool("ewfverify")) {
      auto v = test::run("ewfverify -q " + test::sh_quote(files[0]));
      EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out;
    }
  }
}

// Groups closed at max_group_bytes: several "sectors" sections per segment, which libewf reads
// (ewfverify), and each segment's SHA-256 taken as it was written is sha256sum's of the file.
// With max_group_bytes 0 the files are libewf's again, byte for byte.
TEST(E01WriterGroups, SmallGroupsAreReadByLibewfAndHashedAsWritten) {
  Case c{"groups", Compression::Fast, 40 << 20, 64, 12 << 20, {{100, 4}}, true};
  test::TempDir tmp;
  const std::string data = media(c.media_size, 77);
  test::write_file(tmp / "media", data);
  const std::string md5 = test::digest_of("md5sum", tmp / "media");
  const std::string sha1 = test::digest_of("sha1sum", tmp / "media");
  EwfWriteOptions o = options_for(c, tmp / "ours");
  o.max_group_bytes = 3 << 20;
  auto w = E01Writer::create(o);
  ASSERT_TRUE(w);
  for (const auto& e : c.errors) (*w)->add_acquisition_error(e);
  write_all(**w, c, data);
  ASSERT_TRUE((*w)->finish(md5, sha1));
  const auto files = files_of(tmp / "ours");
  ASSERT_GE(files.size(), 2u);
  const auto& hashed = (*w)->hashed_files();
  ASSERT_EQ(hashed.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(hashed[i].path, files[i]);
    EXPECT_EQ(hashed[i].hex, test::digest_of("sha256sum", files[i])) << files[i];
    EXPECT_EQ(hashed[i].size, test::read_file(files[i]).size());
  }
  // More than one group in a segment: more "table" sections than segments.
  size_t tables = 0;
  for (const auto& f : files) {
    const std::string bytes = test::read_file(f);
    for (size_t at = bytes.find("table2"); at != std::string::npos; at = bytes.find("table2", at + 1)) ++tables;
  }
  EXPECT_GT(tables, files.size() + 2);
  if (test::have_tool("ewfverify")) {
    auto v = test::run("ewfverify -q " + test::sh_quote(files[0]));
    EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out << v.err;
    auto e = test::run("ewfexport -q -u -f raw -t " + test::sh_quote(tmp / "exported") + " " +
                       test::sh_quote(files[0]) + " </dev/null");
    EXPECT_EQ(e.exit_code, 0) << e.out << e.err;
    EXPECT_EQ(test::digest_of("md5sum", tmp / "exported.raw"), md5);
  }
  // Groups as libewf fills them: the same files as libewf's writer.
  EwfWriteOptions as_libewf = options_for(c, tmp / "whole");
  as_libewf.max_group_bytes = 0;
  auto ours = E01Writer::create(as_libewf);
  auto theirs = LibewfWriter::create(options_for(c, tmp / "libewf"));
  ASSERT_TRUE(ours);
  ASSERT_TRUE(theirs);
  for (const auto& e : c.errors) {
    (*ours)->add_acquisition_error(e);
    ASSERT_TRUE((*theirs)->add_acquisition_error(e));
  }
  write_all(**ours, c, data);
  write_all(**theirs, c, data);
  ASSERT_TRUE((*ours)->finish(md5, sha1));
  ASSERT_TRUE((*theirs)->finish(md5, sha1));
  expect_same_files(tmp / "whole", tmp / "libewf");
}

// Images of awkward sizes: smaller than a sector or a chunk, not a multiple of the chunk size,
// and exactly filling a segment (and one chunk more). Every one must pass ewfverify, hold the
// source's bytes, and pass our verify.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

struct Acquired {
  CommandResult result;
  std::string exported;  // the raw media bytes, by ewfexport
};

Acquired acquire_and_export(const TempDir& tmp, const std::string& name, const std::string& data,
                            const std::string& extra) {
  write_file(tmp / (name + ".src"), data);
  Acquired a;
  a.result = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / (name + ".src")) + " -o " +
                 sh_quote(tmp / name) + " -q " + extra);
  auto e = run("ewfexport -q -u -f raw -t " + sh_quote(tmp / (name + ".out")) + " " + sh_quote(tmp / (name + ".E01")));
  a.exported = read_file(tmp / (name + ".out.raw"));
  return a;
}

size_t segment_count(const TempDir& tmp, const std::string& name) {
  size_t n = 0;
  while (fs::exists(tmp / (name + ".E" + (n + 1 < 10 ? "0" : "") + std::to_string(n + 1)))) ++n;
  return n;
}

void expect_good_image(const TempDir& tmp, const std::string& name, const Acquired& a, const std::string& data) {
  SCOPED_TRACE(name);
  ASSERT_EQ(a.result.exit_code, 0) << a.result.err;
  const std::string e01 = tmp / (name + ".E01");
  EXPECT_NE(run("ewfverify -q " + sh_quote(e01)).out.find("ewfverify: SUCCESS"), std::string::npos);
  // The image holds every source byte, then zeros up to the end of the last sector.
  size_t padded = (data.size() + 511) / 512 * 512;
  ASSERT_EQ(a.exported.size(), padded);
  EXPECT_EQ(a.exported.substr(0, data.size()), data);
  EXPECT_EQ(a.exported.substr(data.size()), std::string(padded - data.size(), '\0'));
  // The stored MD5 is the digest of what the image holds (md5sum of the export).
  auto info = run("ewfinfo " + sh_quote(e01));
  EXPECT_EQ(field_after(info.out, "MD5:"), digest_of("md5sum", tmp / (name + ".out.raw")));
  // The record keeps the digest of the source bytes alone when padding was needed.
  const std::string record = read_file(tmp / (name + ".manifest.json"));
  EXPECT_NE(record.find(digest_of("sha256sum", tmp / (name + ".src"))), std::string::npos) << record;
  auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(e01));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

}  // namespace

TEST(OddSizes, SmallerThanOneSector) {
  TempDir tmp;
  std::string data = random_bytes(1000, 1);
  auto a = acquire_and_export(tmp, "tiny", data, "");
  expect_good_image(tmp, "tiny", a, data);
  EXPECT_NE(a.result.out.find("24 zero bytes complete the last sector"), std::string::npos) << a.result.out;
}

TEST(OddSizes, SmallerThanOneChunk) {
  TempDir tmp;
  std::string data = random_bytes(20000, 2);
  expect_good_image(tmp, "small", acquire_and_export(tmp, "small", data, ""), data);
}

TEST(OddSizes, NotAMultipleOfTheChunkSize) {
  TempDir tmp;
  std::string data = random_bytes(100 * 512, 3);
  expect_good_image(tmp, "hundred", acquire_and_export(tmp, "hundred", data, "-c best"), data);
  std::string more = random_bytes(3 * 32768 + 512 + 7, 4);
  expect_good_image(tmp, "more", acquire_and_export(tmp, "more", more, "-c empty-block"), more);
}

TEST(OddSizes, ExactlyOneSegmentBoundary) {
  // Uncompressed random chunks at a 1 MiB segment size: find the largest chunk count that fits
  // one segment, then check that image and the one a chunk larger (spilling into segment 2).
  TempDir tmp;
  const std::string chunk_data = random_bytes(64 * 32768, 5);
  // More chunks never take fewer segments: bisect between 25 chunks (one segment) and 40 (two).
  auto segments_for = [&](size_t chunks) {
    std::string name = "probe" + std::to_string(chunks);
    auto a = acquire_and_export(tmp, name, chunk_data.substr(0, chunks * 32768), "-c none -S 1MiB");
    EXPECT_EQ(a.result.exit_code, 0) << a.result.err;
    return segment_count(tmp, name);
  };
  size_t fits = 25, spills = 40;
  ASSERT_EQ(segments_for(fits), 1u);
  ASSERT_EQ(segments_for(spills), 2u);
  while (spills - fits > 1) {
    const size_t mid = (fits + spills) / 2;
    (segments_for(mid) == 1 ? fits : spills) = mid;
  }
  std::string exact = chunk_data.substr(0, fits * 32768);
  auto a = acquire_and_export(tmp, "exact", exact, "-c none -S 1MiB");
  EXPECT_EQ(segment_count(tmp, "exact"), 1u);
  expect_good_image(tmp, "exact", a, exact);
  std::string over = chunk_data.substr(0, (fits + 1) * 32768);
  auto b = acquire_and_export(tmp, "over", over, "-c none -S 1MiB");
  EXPECT_EQ(segment_count(tmp, "over"), 2u);
  expect_good_image(tmp, "over", b, over);
}

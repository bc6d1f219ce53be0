// exhibit::ImageReader (the public reader) on images the CLI made: bytes at any offset, in any
// order, equal the source's; the end of the media is a short read; a damaged unit is an error
// naming it, and the units around it still read.
#include <gtest/gtest.h>

#include <random>

#include "exhibit/reader.hpp"
#include "test_support.hpp"

using namespace exhibit::test;

namespace {

std::string exhibit_cmd(const std::string& args) { return sh_quote(exhibit_bin()) + " " + args; }

std::string read_at(exhibit::ImageReader& reader, uint64_t offset, size_t size) {
  std::string out(size, '\0');
  auto n = reader.read(offset, out.data(), size);
  if (!n) return "error: " + n.error().message();
  out.resize(*n);
  return out;
}

}  // namespace

TEST(ImageReader, ReadsAnyOffsetInAnyOrderInEveryFormat) {
  TempDir tmp;
  const std::string data = random_bytes((1 << 20) + 5 * 512, 141);  // a short last unit
  write_file(tmp / "src.bin", data);
  const std::string src = sh_quote(tmp / "src.bin");
  ASSERT_EQ(
      run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "e") + " --chunk-sectors 8 -S 256KiB")).exit_code,
      0);
  ASSERT_EQ(run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "r") + " --format raw -S 300000")).exit_code,
            0);
  ASSERT_EQ(run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "z") + " --format zst")).exit_code, 0);
  for (const char* first : {"e.E01", "r.001", "z.zst"}) {
    SCOPED_TRACE(first);
    auto reader = exhibit::ImageReader::open(tmp / first);
    ASSERT_TRUE(reader) << reader.error().message();
    ASSERT_EQ(reader->media_size(), data.size());
    EXPECT_EQ(reader->info().media_size, data.size());
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200; ++i) {  // backwards, forwards, within one unit and across several
      const uint64_t offset = rng() % data.size();
      const size_t size = static_cast<size_t>(rng() % 70000);
      ASSERT_TRUE(read_at(*reader, offset, size) == data.substr(offset, size))
          << "offset " << offset << " size " << size;
    }
    EXPECT_EQ(read_at(*reader, data.size() - 10, 100), data.substr(data.size() - 10)) << "short at the end";
    EXPECT_EQ(read_at(*reader, data.size(), 100), "");
    EXPECT_EQ(read_at(*reader, data.size() + 12345, 100), "");
    EXPECT_TRUE(read_at(*reader, 0, data.size()) == data) << "the whole media in one read";
  }
  auto missing = exhibit::ImageReader::open(tmp / "none.E01");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), exhibit::ErrorCode::NotFound) << missing.error().message();
}

TEST(ImageReader, ADamagedChunkIsAnErrorAndTheChunksAroundItStillRead) {
  TempDir tmp;
  const std::string data = random_bytes(1 << 20, 142);
  write_file(tmp / "src.bin", data);
  ASSERT_EQ(
      run(exhibit_cmd("acquire -q -c none " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "d"))).exit_code, 0);
  std::string stored = read_file(tmp / "d.E01");
  const auto at = stored.find(data.substr(200 * 512, 64));  // sector 200: chunk 3 of 64-sector chunks
  ASSERT_NE(at, std::string::npos);
  stored[at + 5] ^= 0x20;
  write_file(tmp / "d.E01", stored);
  auto reader = exhibit::ImageReader::open(tmp / "d.E01");
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(read_at(*reader, 0, 100000),
            "error: chunk 3 (media bytes 98304-131071) is damaged (checksum or decompression failed)");
  std::string buf(10, '\0');
  auto damaged = reader->read(100000, buf.data(), buf.size());
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code(), exhibit::ErrorCode::Corruption);
  EXPECT_TRUE(read_at(*reader, 131072, 5000) == data.substr(131072, 5000)) << "chunk 4, after the damage";
  EXPECT_TRUE(read_at(*reader, 90000, 8304) == data.substr(90000, 8304)) << "chunk 2, before it";
}

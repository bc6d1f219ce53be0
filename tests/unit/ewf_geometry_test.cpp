// Chunk and segment sizes for media up to and past what libewf 20140813 can write.
#include <gtest/gtest.h>

#include "exhibit/setting.hpp"
#include "image/ewf_geometry.hpp"

using namespace exhibit::image;

namespace {
constexpr uint64_t GiB = uint64_t{1} << 30;
constexpr uint64_t TiB = uint64_t{1} << 40;
}  // namespace

TEST(EwfGeometry, DefaultsHoldUpTo256GiB) {
  auto g = choose_geometry(256 * GiB, 512, 0, 0);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->chunk_sectors, 64u);
  EXPECT_EQ(g->segment_size, k_default_segment_size);
  EXPECT_TRUE(g->chunk_reason.empty());
  EXPECT_TRUE(g->segment_reason.empty());
}

TEST(EwfGeometry, DefaultChunkDoublesToStayWithin2To23Chunks) {
  for (auto [size, spc] : {std::pair{256 * GiB + 512, 128u}, {4 * TiB, 1024u}, {16 * TiB, 4096u}, {64 * TiB, 16384u}}) {
    auto g = choose_geometry(size, 512, 0, 0);
    ASSERT_TRUE(g.ok()) << size;
    EXPECT_EQ(g->chunk_sectors, spc) << size;
    EXPECT_LE((size + uint64_t{spc} * 512 - 1) / (uint64_t{spc} * 512), k_default_max_chunks);
    EXPECT_FALSE(g->chunk_reason.empty());
  }
  // 4096-byte sectors: the same bytes per chunk, an eighth of the sectors.
  EXPECT_EQ(choose_geometry(16 * TiB, 4096, 0, 0)->chunk_sectors, 512u);
}

TEST(EwfGeometry, DefaultSegmentGrowsOnlyPastTheLastSegmentName) {
  // 20 TiB at 1.4 GiB is under 14971 segments; 32 TiB is not (libewf refused it, measured).
  EXPECT_EQ(choose_geometry(20 * TiB, 512, 0, 0)->segment_size, k_default_segment_size);
  for (uint64_t size : {32 * TiB, 64 * TiB, 512 * TiB}) {
    auto g = choose_geometry(size, 512, 0, 0);
    ASSERT_TRUE(g.ok()) << size;
    EXPECT_GT(g->segment_size, k_default_segment_size);
    EXPECT_LE(size / g->segment_size, k_max_segments - 2) << size;
    EXPECT_EQ(g->segment_size % (1 << 20), 0u);
    EXPECT_FALSE(g->segment_reason.empty());
  }
}

TEST(EwfGeometry, AnExplicitChunkIsKeptUpTo2To26Chunks) {
  auto g = choose_geometry(2 * TiB, 512, 64, 0);  // 2^26 chunks: 600 MB, but asked for
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->chunk_sectors, 64u);
  EXPECT_TRUE(g->chunk_reason.empty());
  auto too_many = choose_geometry(4 * TiB, 512, 64, 0);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message().find("use " + exhibit::setting_text(exhibit::Setting::ChunkSectors) +
                                            " 128 or more"),
            std::string::npos)
      << too_many.error().message();
}

TEST(EwfGeometry, AnExplicitSegmentSizeTooSmallIsRefusedWithOneThatWorks) {
  auto g = choose_geometry(32 * TiB, 512, 0, k_default_segment_size);
  ASSERT_FALSE(g.ok());
  const std::string m = g.error().message();
  const std::string use = "use " + exhibit::setting_text(exhibit::Setting::SegmentSize) + " ";
  const auto at = m.find(use);
  ASSERT_NE(at, std::string::npos) << m;
  const uint64_t suggested = std::stoull(m.substr(at + use.size()));
  EXPECT_TRUE(choose_geometry(32 * TiB, 512, 0, suggested).ok()) << m;
  EXPECT_TRUE(choose_geometry(20 * TiB, 512, 0, k_default_segment_size).ok());
  // Smaller than one chunk and its sections: refused, naming the smallest; that one works.
  auto tiny = choose_geometry(1 << 20, 512, 0, 1000);
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().message().find("the smallest is 49152"), std::string::npos) << tiny.error().message();
  EXPECT_TRUE(choose_geometry(1 << 20, 512, 0, 49152).ok());
  EXPECT_FALSE(choose_geometry(64 * GiB, 512, 0, 49152).ok());
  EXPECT_FALSE(choose_geometry(1 << 20, 4096, 0, 4095, /*raw=*/true).ok());
  EXPECT_TRUE(choose_geometry(1 << 20, 4096, 0, 4096, /*raw=*/true).ok());
}

TEST(EwfGeometry, PastTheDefaultLimitTheLargestChunkIsUsed) {
  // 1 PiB needs 2^25 chunks even at 65536 sectors: allowed (about 300 MB), rather than refused.
  auto g = choose_geometry(1024 * TiB, 512, 0, 0);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->chunk_sectors, k_max_chunk_sectors);
}

TEST(EwfGeometry, ChunksStayWithin32MiBWhateverTheSectorSize) {
  auto big = choose_geometry(GiB, 4096, 65536, 0);  // 256 MiB chunks: no reader takes those
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message().find("use 8192 or fewer"), std::string::npos) << big.error().message();
  EXPECT_TRUE(choose_geometry(GiB, 4096, 8192, 0).ok());
  EXPECT_EQ(choose_geometry(1024 * TiB, 4096, 0, 0)->chunk_sectors, 8192u);
}

TEST(EwfGeometry, MediaBeyondAnyChunkSizeIsRefused) {
  auto g = choose_geometry(uint64_t{1} << 62, 512, 0, 0);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message().find("too large"), std::string::npos);
}

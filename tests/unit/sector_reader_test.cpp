// The sector reader against a source with injected faults (always-bad sectors, sectors that
// fail a few times and then read, a device that disappears).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "io/sector_reader.hpp"
#include "test_support.hpp"
#include "util/aligned_buffer.hpp"

using namespace exhibit;

namespace {

class FaultySource final : public io::BlockSource {
 public:
  explicit FaultySource(std::string data, uint32_t sector = 512) : m_data(std::move(data)) {
    m_info.path = "fake";
    m_info.size = m_data.size();
    m_info.logical_sector_size = sector;
  }
  const SourceInfo& info() const override { return m_info; }
  const WriteBlockRecord& write_block() const override { return m_wb; }
  void release() override {}

  Result<size_t> read_at(uint64_t offset, unsigned char* buf, size_t size) override {
    ++reads;
    if (dead_after_reads && reads > *dead_after_reads) return Error(ErrorCode::Io, "dead", EIO);
    const uint64_t s = m_info.logical_sector_size;
    for (uint64_t sec = offset / s; sec * s < offset + size && sec * s < m_info.size; ++sec) {
      if (gone_from && sec >= *gone_from) return Error(ErrorCode::Io, "gone", ENODEV);
      if (bad.count(sec)) return Error(ErrorCode::Io, "bad", EIO);
      auto t = transient.find(sec);
      if (t != transient.end() && t->second > 0) {
        --t->second;
        return Error(ErrorCode::Io, "flaky", EIO);
      }
    }
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, m_info.size - std::min<uint64_t>(offset, m_info.size)));
    std::memcpy(buf, m_data.data() + offset, n);
    return n;
  }

  std::set<uint64_t> bad;
  std::map<uint64_t, int> transient;  // sector -> failures left
  std::optional<uint64_t> gone_from;
  std::optional<int> dead_after_reads;  // every read fails with EIO (not ENODEV) after this many
  int reads = 0;

 private:
  std::string m_data;
  SourceInfo m_info;
  WriteBlockRecord m_wb;
};

}  // namespace

TEST(SectorReader, CleanReadIsOneRead) {
  std::string data = test::random_bytes(64 * 512, 1);
  FaultySource src(data);
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->bytes, data.size());
  EXPECT_TRUE(r->unreadable.empty());
  EXPECT_EQ(src.reads, 1);
  EXPECT_EQ(std::memcmp(buf.data(), data.data(), data.size()), 0);
}

TEST(SectorReader, OnlyBadSectorsAreZeroFilled) {
  std::string data = test::random_bytes(64 * 512, 2);
  FaultySource src(data);
  src.bad = {5, 6, 7, 40};
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(data.size());
  std::memset(buf.data(), 0xAA, buf.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->unreadable.size(), 2u);
  EXPECT_EQ(r->unreadable[0], (SectorRange{5, 3}));
  EXPECT_EQ(r->unreadable[1], (SectorRange{40, 1}));
  for (uint64_t sec = 0; sec < 64; ++sec) {
    const unsigned char* got = buf.data() + sec * 512;
    if (src.bad.count(sec)) {
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(got), 512), std::string(512, '\0')) << sec;
    } else {
      EXPECT_EQ(std::memcmp(got, data.data() + sec * 512, 512), 0) << sec;
    }
  }
  // The region, its one cluster, each sector once, then two retries for each edge of a bad run
  // (5 and 7, and 40); sector 6, inside a run, is not retried.
  EXPECT_EQ(src.reads, 1 + 1 + 64 + 3 * 2);
}

TEST(SectorReader, SectorThatReadsOnRetryIsRecovered) {
  std::string data = test::random_bytes(8 * 512, 3);
  FaultySource src(data);
  src.transient[3] = 3;  // the region, the cluster and the first single-sector read fail
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->unreadable.empty());
  ASSERT_EQ(r->recovered.size(), 1u);
  EXPECT_EQ(r->recovered[0], (SectorRange{3, 1}));
  EXPECT_EQ(std::memcmp(buf.data(), data.data(), data.size()), 0);
}

TEST(SectorReader, RetriesZeroMeansOneAttempt) {
  std::string data = test::random_bytes(4 * 512, 4);
  FaultySource src(data);
  src.transient[1] = 3;
  io::SectorReader reader(src, 0);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->unreadable.size(), 1u);
  EXPECT_EQ(r->unreadable[0], (SectorRange{1, 1}));
}

TEST(SectorReader, VanishedDeviceStopsWithSourceGone) {
  std::string data = test::random_bytes(16 * 512, 5);
  FaultySource src(data);
  src.gone_from = 0;
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::SourceGone);
}

TEST(SectorReader, PartialLastSectorCountsOnlySourceBytes) {
  std::string data = test::random_bytes(1000, 6);
  FaultySource src(data);
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(1024);
  auto r = reader.read(0, buf.data(), 1024);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->bytes, 1000u);
}

TEST(SectorReader, CancelStopsNarrowing) {
  std::string data = test::random_bytes(16 * 512, 7);
  FaultySource src(data);
  src.bad = {0};
  std::atomic<bool> cancel{true};
  io::SectorReader reader(src, 2, &cancel);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Cancelled);
}

TEST(SectorReader, LargeBadRegionCostsOneReadPerSector) {
  // 4 MiB with a 1 MiB bad region in the middle.
  std::string data = test::random_bytes(8192 * 512, 8);
  FaultySource src(data);
  for (uint64_t s = 3000; s < 3000 + 2048; ++s) src.bad.insert(s);
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(data.size());
  auto r = reader.read(0, buf.data(), data.size());
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->unreadable.size(), 1u);
  EXPECT_EQ(r->unreadable[0], (SectorRange{3000, 2048}));
  // 1 region + 64 clusters + the sectors of the 17 failed clusters + 2 retries at each edge
  // + one liveness probe per 256 failed sectors.
  const int failed_clusters = 17;  // sectors 2944..5119 span clusters 23..39
  EXPECT_EQ(src.reads, 1 + 64 + failed_clusters * 128 + 2 * 2 + 2048 / 256);
  for (uint64_t s = 0; s < 8192; ++s) {
    if (s >= 3000 && s < 5048) continue;
    ASSERT_EQ(std::memcmp(buf.data() + s * 512, data.data() + s * 512, 512), 0) << s;
  }
}

TEST(SectorReader, DeviceThatStopsAnsweringIsGoneNotBad) {
  // After the first reads every read fails with EIO, as when a USB cable is pulled: the reader
  // must not zero-fill the rest of the disk as bad sectors.
  std::string data = test::random_bytes(8192 * 512, 9);
  FaultySource src(data);
  io::SectorReader reader(src, 2);
  util::AlignedBuffer buf(1 << 20);
  ASSERT_TRUE(reader.read(0, buf.data(), 1 << 20));
  src.dead_after_reads = src.reads;
  auto r = reader.read(1 << 20, buf.data(), 1 << 20);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::SourceGone);
  EXPECT_NE(r.error().message().find("stopped answering"), std::string::npos) << r.error().message();
  EXPECT_LT(src.reads, 1000) << "gave up too late";
}

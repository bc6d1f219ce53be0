// The ordered pipeline: order, digests, padding, bounded blocks, errors and cancellation.
// Also built with ThreadSanitizer by tools/test.
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "core/pipeline.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::core;

namespace {

struct PipelineRun {
  std::string data;
  size_t block = 4096;
  unsigned workers = 3;
  uint64_t piece_size = 0;  // piecewise SHA-256, over the first piece_limit bytes
  uint64_t piece_limit = 0;
  std::vector<uint64_t> consumed;  // offsets, in the order the sink saw them
  std::set<const Block*> blocks_seen;
};

Result<PipelineResult> run_pipeline(PipelineRun& r, size_t pool, const std::vector<std::string>& digests,
                                    bool after_transform, size_t padding = 0,
                                    std::function<Status(Block&)> fail_at = nullptr,
                                    const std::atomic<bool>* cancel = nullptr) {
  PipelineConfig config;
  config.block_capacity = r.block + padding;
  config.encoded_capacity = r.block;
  config.pool_blocks = pool;
  config.workers = r.workers;
  config.digests = digests;
  config.digest_after_transform = after_transform;
  config.cancel = cancel;
  config.piece_size = r.piece_size;
  config.piece_limit = r.piece_limit;
  uint64_t offset = 0;
  auto produce = [&](Block& b) -> Result<bool> {
    if (offset >= r.data.size()) return false;
    size_t n = std::min(r.block, r.data.size() - offset);
    b.offset = offset;
    // Verify-style blocks arrive scrambled and are put right by the transform.
    for (size_t i = 0; i < n; ++i)
      b.data.data()[i] = static_cast<unsigned char>(r.data[offset + i] ^ (after_transform ? 0x5A : 0));
    b.size = b.source_size = n;
    offset += n;
    if (offset == r.data.size() && padding > 0) {
      std::memset(b.data.data() + n, 0, padding);
      b.size += padding;
    }
    return true;
  };
  auto transform = [&](Block& b, unsigned) -> Status {
    std::this_thread::sleep_for(std::chrono::microseconds((b.seq * 7919) % 300));  // finish out of order
    if (after_transform) {
      for (size_t i = 0; i < b.source_size; ++i) b.data.data()[i] ^= 0x5A;
    }
    if (fail_at) return fail_at(b);
    return Ok{};
  };
  auto consume = [&](Block& b) -> Status {
    r.consumed.push_back(b.offset);
    r.blocks_seen.insert(&b);
    return Ok{};
  };
  Pipeline p(config);
  return p.run(produce, transform, consume);
}

}  // namespace

TEST(Pipeline, InOrderWithDigestsOfTheWholeStream) {
  for (bool after : {false, true}) {
    PipelineRun r;
    r.data = test::random_bytes(1 << 20, 1);
    auto res = run_pipeline(r, 4, {"md5", "sha256"}, after);
    ASSERT_TRUE(res) << res.error().message();
    ASSERT_EQ(r.consumed.size(), (1u << 20) / 4096);
    for (size_t i = 0; i < r.consumed.size(); ++i) ASSERT_EQ(r.consumed[i], i * 4096);
    EXPECT_LE(r.blocks_seen.size(), 4u) << "more blocks than the pool holds";
    test::TempDir tmp;
    test::write_file(tmp / "d", r.data);
    ASSERT_EQ(res->digests.size(), 2u);
    EXPECT_EQ(res->digests[0].hex, test::digest_of("md5sum", tmp / "d"));
    EXPECT_EQ(res->digests[1].hex, test::digest_of("sha256sum", tmp / "d"));
    EXPECT_TRUE(res->source_digests.empty());
  }
}

TEST(Pipeline, PiecewiseDigestsMatchSha256sumOfEachWindow) {
  // Pieces that straddle blocks, end on a block edge, and a short last piece that leaves out padding.
  for (bool after : {false, true}) {
    for (uint64_t piece : {uint64_t{10000}, uint64_t{8192}, uint64_t{1} << 20}) {
      PipelineRun r;
      r.data = test::random_bytes(100000, 3);
      r.piece_size = piece;
      r.piece_limit = r.data.size();
      auto res = run_pipeline(r, 4, {"md5"}, after, 96);
      ASSERT_TRUE(res) << res.error().message();
      const size_t want = (r.data.size() + piece - 1) / piece;
      ASSERT_EQ(res->pieces.size(), want) << piece;
      test::TempDir tmp;
      for (size_t i = 0; i < want; ++i) {
        test::write_file(tmp / "w", r.data.substr(i * piece, piece));
        EXPECT_EQ(res->pieces[i], test::digest_of("sha256sum", tmp / "w")) << "piece " << i << " of " << piece;
      }
    }
  }
}

TEST(Pipeline, PaddingIsDigestedSeparately) {
  PipelineRun r;
  r.data = test::random_bytes(10000, 2);
  auto res = run_pipeline(r, 3, {"sha1"}, false, 240);
  ASSERT_TRUE(res) << res.error().message();
  test::TempDir tmp;
  test::write_file(tmp / "exact", r.data);
  test::write_file(tmp / "padded", r.data + std::string(240, '\0'));
  ASSERT_EQ(res->source_digests.size(), 1u);
  EXPECT_EQ(res->source_digests[0].hex, test::digest_of("sha1sum", tmp / "exact"));
  EXPECT_EQ(res->digests[0].hex, test::digest_of("sha1sum", tmp / "padded"));
}

TEST(Pipeline, FirstErrorWinsAndStopsEverything) {
  PipelineRun r;
  r.data = test::random_bytes(1 << 20, 3);
  auto res = run_pipeline(r, 4, {"md5"}, false, 0, [](Block& b) -> Status {
    if (b.seq == 37) return Error(ErrorCode::Destination, "disk full at block 37");
    return Ok{};
  });
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::Destination);
  EXPECT_EQ(res.error().message(), "disk full at block 37");
  EXPECT_LE(r.consumed.size(), 37u);
}

TEST(Pipeline, CancelledBeforeStart) {
  PipelineRun r;
  r.data = test::random_bytes(1 << 16, 4);
  std::atomic<bool> cancel{true};
  auto res = run_pipeline(r, 4, {"md5"}, false, 0, nullptr, &cancel);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code(), ErrorCode::Cancelled);
  EXPECT_TRUE(r.consumed.empty());
}

TEST(Pipeline, OneWorkerAndEmptyInput) {
  PipelineRun r;
  r.workers = 1;
  auto res = run_pipeline(r, 2, {"md5"}, true);
  ASSERT_TRUE(res);
  EXPECT_TRUE(r.consumed.empty());
  test::TempDir tmp;
  test::write_file(tmp / "empty", "");
  EXPECT_EQ(res->digests[0].hex, test::digest_of("md5sum", tmp / "empty"));
}

TEST(Pipeline, AccountsForEachStage) {
  PipelineRun r;
  r.data = test::random_bytes(1 << 20, 3);
  r.piece_size = 1 << 18;
  r.piece_limit = r.data.size();
  auto res = run_pipeline(r, 4, {"md5", "sha1"}, false);
  ASSERT_TRUE(res) << res.error().message();
  std::vector<std::string> names;
  for (const auto& s : res->stages) {
    names.push_back(s.name);
    EXPECT_EQ(s.bytes, r.data.size()) << s.name;
    EXPECT_GE(s.cpu_seconds, 0) << s.name;
    EXPECT_GE(s.wall_seconds, s.wait_seconds) << s.name;
    EXPECT_EQ(s.threads, s.name == "encode" ? 3u : 1u) << s.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"read", "md5", "sha1", "pieces (sha256)", "encode", "write"}));
}

TEST(StageLoads, TheStageThatWaitedLeastComesFirst) {
  std::vector<StageLoad> stages = {
      {"read", 1, 2000000000, 0.5, 3.0, 4.0},
      {"md5", 1, 2000000000, 2.9, 0.1, 4.0},
      {"deflate", 2, 2000000000, 3.0, 3.2, 8.0},
  };
  EXPECT_EQ(describe_stage_loads(stages),
            "limited by: md5 at 657.7 MiB/s (waited 2% of the time); deflate 2 threads 1.2 GiB/s, waited 40%; "
            "read 3.7 GiB/s, waited 75%");
  StageLoad hashing{"segment sha256", 1, 900000000, 0.5, 0, 0.52};
  hashing.after_stream = true;
  stages.push_back(hashing);
  EXPECT_EQ(describe_stage_loads(stages),
            "limited by: md5 at 657.7 MiB/s (waited 2% of the time); deflate 2 threads 1.2 GiB/s, waited 40%; "
            "read 3.7 GiB/s, waited 75%; after the stream: segment sha256 1.7 GiB/s, 0.52 s");
  EXPECT_EQ(describe_stage_loads({}), "");
}

TEST(Pipeline, ReadersFillBlocksOutOfOrderAndTheDigestsStillSeeThemInOrder) {
  // Two readers: the first claims block 0 and holds its read until the other has filled block 1,
  // so the blocks are filled out of order every time (no timing); each later block waits for the
  // one before it the same way, alternating between the readers.
  const std::string data = test::random_bytes(64 * 4096, 9);
  PipelineConfig config;
  config.block_capacity = 4096;
  config.encoded_capacity = 4096;
  config.pool_blocks = 6;
  config.workers = 2;
  config.readers = 2;
  config.digests = {"md5"};
  uint64_t next = 0;
  std::mutex m;
  std::condition_variable cv;
  uint64_t filled_up_to = 0;  // blocks seq < this, and seq == this + 1, may be filled
  std::vector<uint64_t> fill_order;
  auto produce = [&](Block& b) -> Result<bool> {
    if (next >= data.size()) return false;
    b.offset = next;
    b.size = b.source_size = 4096;
    next += 4096;
    return true;
  };
  auto fill = [&](Block& b, unsigned) -> Status {
    std::memcpy(b.data.data(), data.data() + b.offset, b.size);
    std::unique_lock<std::mutex> lock(m);
    // Even blocks wait for the odd block after them (unless it is past the end).
    const bool last = b.offset + 4096 >= data.size();
    if (b.seq % 2 == 0 && !last) cv.wait(lock, [&] { return filled_up_to > b.seq + 1; });
    fill_order.push_back(b.seq);
    if (b.seq % 2 == 1) filled_up_to = b.seq + 1;
    if (b.seq % 2 == 0) filled_up_to = std::max(filled_up_to, b.seq + 2);
    cv.notify_all();
    return Ok{};
  };
  std::vector<uint64_t> consumed;
  auto transform = [&](Block&, unsigned) -> Status { return Ok{}; };
  auto consume = [&](Block& b) -> Status {
    consumed.push_back(b.offset);
    return Ok{};
  };
  Pipeline p(config);
  auto res = p.run(produce, fill, transform, consume);
  ASSERT_TRUE(res) << res.error().message();
  ASSERT_EQ(consumed.size(), 64u);
  for (size_t i = 0; i < consumed.size(); ++i) ASSERT_EQ(consumed[i], i * 4096);
  ASSERT_GE(fill_order.size(), 2u);
  EXPECT_EQ(fill_order[0], 1u) << "block 1 was filled before block 0";
  test::TempDir tmp;
  test::write_file(tmp / "d", data);
  EXPECT_EQ(res->digests[0].hex, test::digest_of("md5sum", tmp / "d"));
  ASSERT_FALSE(res->stages.empty());
  EXPECT_EQ(res->stages.front().threads, 2u);
}

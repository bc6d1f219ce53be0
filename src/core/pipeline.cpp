#include "core/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/test_points.hpp"
#include "util/bounded_queue.hpp"
#include "util/thread_clock.hpp"

namespace exhibit::core {

namespace {

// Shared state of one run: the in-order hand-over of blocks, and the first error.
class Coordinator {
 public:
  enum Stage : int { k_produced = 1, k_transformed = 2 };

  explicit Coordinator(size_t slots) : m_slots(slots) {}

  // Makes a block visible to the in-order consumers waiting for `stage`.
  void publish(Block* b, Stage stage) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      Slot& slot = m_slots[b->seq % m_slots.size()];
      slot.block = b;
      slot.stage = stage;
    }
    m_cv.notify_all();
  }

  // The block with sequence `seq` once it reached `stage`; nullptr at the end or after an error.
  // With `on_wait`, it is called (without the lock) every `k_tick` of waiting; its error comes
  // back in `*stopped` (with nullptr) for the caller to stop the run.
  Block* wait_for(uint64_t seq, Stage stage, const std::function<Status()>* on_wait = nullptr,
                  std::optional<Error>* stopped = nullptr) {
    constexpr auto k_tick = std::chrono::milliseconds(250);
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
      if (m_failed) return nullptr;
      const Slot& slot = m_slots[seq % m_slots.size()];
      if (slot.block != nullptr && slot.block->seq == seq && slot.stage >= stage) return slot.block;
      if (seq >= m_total) return nullptr;
      if (on_wait == nullptr || !*on_wait) {
        m_cv.wait(lock);
      } else if (m_cv.wait_for(lock, k_tick) == std::cv_status::timeout) {
        lock.unlock();
        Status st = (*on_wait)();
        lock.lock();
        if (!st) {
          if (stopped != nullptr) *stopped = st.error();
          return nullptr;
        }
      }
    }
  }

  // Called by each in-order consumer when done with a block; the last one recycles it.
  bool release(Block* b) {
    if (b->consumers_left.fetch_sub(1) != 1) return false;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_slots[b->seq % m_slots.size()] = Slot{};
    return true;
  }

  void set_total(uint64_t total) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_total = total;
    }
    m_cv.notify_all();
  }

  void fail(const Error& e) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (!m_error) m_error = e;
      m_failed = true;
    }
    m_cv.notify_all();
  }

  bool failed() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_failed;
  }
  std::optional<Error> error() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  struct Slot {
    Block* block = nullptr;
    int stage = 0;
  };
  std::vector<Slot> m_slots;
  uint64_t m_total = std::numeric_limits<uint64_t>::max();
  bool m_failed = false;
  std::optional<Error> m_error;
};

// One thread's account for its stage: its lifetime, the time it spent blocked on a neighbour,
// and (at the end) its CPU time.
class StageClock {
 public:
  using clock = std::chrono::steady_clock;
  StageClock() : m_start(clock::now()), m_cpu_start(util::thread_cpu_seconds()) {}
  // Runs `wait` (a blocking call) and counts its time as waiting.
  template <typename F>
  auto waiting(F&& wait) {
    const auto t = clock::now();
    auto r = wait();
    m_wait += std::chrono::duration<double>(clock::now() - t).count();
    return r;
  }
  void count(uint64_t bytes) { m_bytes += bytes; }
  // Adds this thread's account to `stage` (called once, at the thread's end; `stage` is guarded by `mutex`).
  void add_to(StageLoad& stage, std::mutex& mutex) const {
    const double wall = std::chrono::duration<double>(clock::now() - m_start).count();
    const double cpu = util::thread_cpu_seconds() - m_cpu_start;
    std::lock_guard<std::mutex> lock(mutex);
    stage.bytes += m_bytes;
    stage.cpu_seconds += cpu;
    stage.wait_seconds += m_wait;
    stage.wall_seconds += wall;
  }

 private:
  clock::time_point m_start;
  double m_cpu_start;
  double m_wait = 0;
  uint64_t m_bytes = 0;
};

}  // namespace

Result<PipelineResult> Pipeline::run(const Produce& produce, const Transform& transform, const Consume& consume) {
  return run(produce, Fill(), transform, consume);
}

Result<PipelineResult> Pipeline::run(const Produce& produce, const Fill& fill, const Transform& transform,
                                     const Consume& consume) {
  const size_t n_digests = m_config.digests.size();
  const bool with_pieces = m_config.piece_size > 0;
  const int in_order_consumers = static_cast<int>(n_digests) + (with_pieces ? 1 : 0) + 1;
  std::vector<std::unique_ptr<Block>> pool;
  util::BoundedQueue<Block*> free_blocks;
  util::BoundedQueue<Block*> to_transform;
  for (size_t i = 0; i < m_config.pool_blocks; ++i) {
    pool.push_back(std::make_unique<Block>(m_config.block_capacity, m_config.encoded_capacity));
    free_blocks.push(pool.back().get());
  }
  Coordinator co(m_config.pool_blocks);
  auto recycle = [&](Block* b) {
    if (co.release(b)) free_blocks.push(b);
  };
  auto stop_all = [&](const Error& e) {
    co.fail(e);
    free_blocks.close();
    to_transform.close();
  };

  std::vector<hash::DigestSet> digest_sets;
  for (const auto& name : m_config.digests) {
    EXHIBIT_TRY(hash::DigestSet d, hash::DigestSet::create({name}));
    digest_sets.push_back(std::move(d));
  }
  std::optional<hash::DigestSet> fresh_piece;
  if (with_pieces) {
    EXHIBIT_TRY(hash::DigestSet d, hash::DigestSet::create({m_config.piece_algorithm}));
    fresh_piece.emplace(std::move(d));
  }
  PipelineResult result;
  result.digests.resize(n_digests);
  // Stage accounts, in the order of the report: producer, digests, pieces, workers, consumer.
  std::vector<StageLoad>& stages = result.stages;
  const unsigned readers = fill ? std::max(1u, m_config.readers) : 1u;
  stages.push_back({m_config.produce_stage, readers});
  for (const auto& name : m_config.digests) stages.push_back({name});
  if (with_pieces) stages.push_back({"pieces (" + m_config.piece_algorithm + ")"});
  stages.push_back({m_config.transform_stage, std::max(1u, m_config.workers)});
  stages.push_back({m_config.consume_stage});
  StageLoad& produce_load = stages.front();
  StageLoad& transform_load = stages[stages.size() - 2];
  StageLoad& consume_load = stages.back();
  std::mutex stages_mutex;
  std::vector<std::optional<hash::DigestValue>> source_digests(n_digests);

  // The readers: each claims the next block in order (under `claim_mutex`), then fills it on its
  // own, so that several reads are in flight; the digests still take the blocks in order.
  std::mutex claim_mutex;
  uint64_t next_seq = 0;
  bool produced_all = false;
  std::atomic<unsigned> readers_left{readers};
  auto read_loop = [&](unsigned reader) {
    StageClock sc;
    for (;;) {
      if (m_config.cancel != nullptr && m_config.cancel->load()) {
        stop_all(Error(ErrorCode::Cancelled, "interrupted"));
        break;
      }
      auto next = sc.waiting([&] { return free_blocks.pop(); });
      if (!next) break;
      Block* b = *next;
      b->size = b->source_size = 0;
      b->chunks.clear();
      b->unreadable.clear();
      b->recovered.clear();
      b->bad_chunks.clear();
      b->stored = false;
      b->consumers_left.store(in_order_consumers);
      {
        std::unique_lock<std::mutex> lock(claim_mutex);
        if (produced_all) {
          lock.unlock();
          free_blocks.push(b);
          break;
        }
        b->seq = next_seq;
        auto more = produce(*b);
        if (!more || !*more) {
          produced_all = true;
          co.set_total(next_seq);
          lock.unlock();
          if (!more) stop_all(more.error());
          free_blocks.push(b);
          break;
        }
        ++next_seq;
      }
      if (fill) {
        if (auto st = fill(*b, reader); !st) {
          stop_all(st.error());
          break;
        }
      }
      sc.count(b->size);
      co.publish(b, Coordinator::k_produced);
      to_transform.push(b);
    }
    if (readers_left.fetch_sub(1) == 1) to_transform.close();
    sc.add_to(produce_load, stages_mutex);
  };
  std::vector<std::thread> threads;
  for (unsigned r = 0; r < readers; ++r) threads.emplace_back(read_loop, r);
  for (unsigned w = 0; w < m_config.workers; ++w) {
    threads.emplace_back([&, w] {
      StageClock sc;
      while (auto b = sc.waiting([&] { return to_transform.pop(); })) {
        if (co.failed()) break;
        auto st = transform(**b, w);
        if (!st) {
          stop_all(st.error());
          break;
        }
        sc.count((*b)->size);
        co.publish(*b, Coordinator::k_transformed);
      }
      sc.add_to(transform_load, stages_mutex);
    });
  }
  for (size_t d = 0; d < n_digests; ++d) {
    threads.emplace_back([&, d] {
      StageClock sc;
      hash::DigestSet& set = digest_sets[d];
      const auto stage = m_config.digest_after_transform ? Coordinator::k_transformed : Coordinator::k_produced;
      for (uint64_t seq = 0;; ++seq) {
        Block* b = sc.waiting([&] { return co.wait_for(seq, stage); });
        if (b == nullptr) break;
        sc.count(b->size);
        set.update(b->data.data(), b->source_size);
        if (b->source_size < b->size) {
          source_digests[d] = set.clone().finish().front();
          set.update(b->data.data() + b->source_size, b->size - b->source_size);
        }
        recycle(b);
      }
      result.digests[d] = set.finish().front();
      sc.add_to(stages[1 + d], stages_mutex);
    });
  }

  if (with_pieces) {
    threads.emplace_back([&]() {
      StageClock sc;
      hash::DigestSet piece = fresh_piece->clone();
      const auto stage = m_config.digest_after_transform ? Coordinator::k_transformed : Coordinator::k_produced;
      const uint64_t size = m_config.piece_size;
      const uint64_t limit = m_config.piece_limit;
      uint64_t in_piece = 0;
      for (uint64_t seq = 0;; ++seq) {
        Block* b = sc.waiting([&] { return co.wait_for(seq, stage); });
        if (b == nullptr) break;
        sc.count(b->size);
        const uint64_t end = std::min<uint64_t>(b->offset + b->size, limit);
        for (uint64_t pos = b->offset; pos < end;) {
          const uint64_t n = std::min(end - pos, size - in_piece);
          piece.update(b->data.data() + (pos - b->offset), static_cast<size_t>(n));
          pos += n;
          in_piece += n;
          if (in_piece == size) {
            result.pieces.push_back(piece.finish().front().hex);
            piece = fresh_piece->clone();
            in_piece = 0;
          }
        }
        recycle(b);
      }
      if (in_piece > 0) result.pieces.push_back(piece.finish().front().hex);
      sc.add_to(stages[1 + n_digests], stages_mutex);
    });
  }

  StageClock consume_clock;
  for (uint64_t seq = 0;; ++seq) {
    std::optional<Error> stopped;
    Block* b = consume_clock.waiting(
        [&] { return co.wait_for(seq, Coordinator::k_transformed, &m_config.on_wait, &stopped); });
    if (stopped) stop_all(*stopped);
    if (b == nullptr) break;
    consume_clock.count(b->size);
    auto st = consume(*b);
    recycle(b);
    if (seq == 0) pause_point("pipeline:first-block");
    if (!st) {
      stop_all(st.error());
      break;
    }
  }
  // Unblock a producer waiting for a free block after the sink stopped early.
  if (co.failed()) free_blocks.close();
  consume_clock.add_to(consume_load, stages_mutex);
  for (auto& t : threads) t.join();
  if (auto e = co.error()) return *e;
  for (auto& s : source_digests) {
    if (s) result.source_digests.push_back(*s);
  }
  return result;
}

}  // namespace exhibit::core

// The ordered parallel pipeline shared by acquire and verify:
//
//   producer (claims blocks in order; `readers` threads fill them, several reads in flight)
//                 -> transform (N workers, any order) -> sink (calling thread, in order)
//                 \-> one thread per digest, and one for piecewise digests (in order), before the
//                     transform (acquire: digests of what was read) or after it (verify: digests
//                     of what was decoded)
//
// Blocks come from a fixed pool and go back to it when every in-order consumer is done with
// them, so memory is bounded whatever the media size. The first error wins: it stops every
// stage and is what run() returns.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "exhibit/stage_load.hpp"
#include "hash/digest.hpp"
#include "image/chunk_codec.hpp"
#include "util/aligned_buffer.hpp"

namespace exhibit::core {

struct Block {
  explicit Block(size_t capacity, size_t encoded_capacity) : data(capacity), encoded(encoded_capacity) {}

  uint64_t seq = 0;
  uint64_t offset = 0;                      // media offset of data[0]
  size_t size = 0;                          // media bytes in `data`
  size_t source_size = 0;                   // of which come from the source (the rest is padding of the last sector)
  util::AlignedBuffer data;                 // media bytes
  util::AlignedBuffer encoded;              // stored chunk bytes (compressed or raw)
  std::vector<image::EncodedChunk> chunks;  // one per chunk of the block
  std::vector<SectorRange> unreadable;      // acquire: zero-filled sectors in this block
  std::vector<SectorRange> recovered;       // acquire: sectors read on a retry
  std::vector<SectorRange> bad_chunks;      // verify: chunks that failed their check
  bool stored = false;                      // acquire --resume: chunks read back from the image
  std::atomic<int> consumers_left{0};
};

struct PipelineConfig {
  size_t block_capacity = 1 << 20;  // media bytes per block
  size_t encoded_capacity = 0;      // bytes for encoded chunks per block
  size_t pool_blocks = 16;
  unsigned workers = 1;
  unsigned readers = 1;              // threads that fill claimed blocks (reads in flight); used with a Fill
  std::vector<std::string> digests;  // one thread each
  bool digest_after_transform = false;
  // Piecewise digests: `piece_algorithm` over each `piece_size` window of the first
  // `piece_limit` bytes (the source's own bytes: padding is left out), on a thread of its own.
  uint64_t piece_size = 0;  // 0: none
  uint64_t piece_limit = 0;
  std::string piece_algorithm = "sha256";
  const std::atomic<bool>* cancel = nullptr;
  // Called on the calling thread every ~250 ms while it waits for the next block (a read that gets
  // no answer, Ctrl-C while the kernel holds one); an Error stops the run like any other.
  std::function<Status()> on_wait;
  // Stage names for the load report (PipelineResult::stages).
  std::string produce_stage = "read";
  std::string transform_stage = "encode";
  std::string consume_stage = "write";
};

struct PipelineResult {
  std::vector<hash::DigestValue> digests;         // over all media bytes
  std::vector<hash::DigestValue> source_digests;  // over source bytes only, when there was padding
  std::vector<std::string> pieces;                // hex digest of each piece, in order
  // Each stage's CPU time, waiting and bytes: the producer, the digests, the pieces, the
  // workers (one entry) and the consumer.
  std::vector<StageLoad> stages;
};

class Pipeline {
 public:
  // Claims the next block (its seq is set), in order, one call at a time; returns false when there
  // is nothing more. Without a Fill it also fills the block.
  using Produce = std::function<Result<bool>(Block&)>;
  // Reader `reader` (0..readers-1) fills a claimed block; several run at once, in any order.
  using Fill = std::function<Status(Block&, unsigned reader)>;
  // Worker `worker` (0..workers-1) transforms a block in place.
  using Transform = std::function<Status(Block&, unsigned worker)>;
  // Called on the calling thread for each block in order, after its transform.
  using Consume = std::function<Status(Block&)>;

  explicit Pipeline(PipelineConfig config) : m_config(std::move(config)) {}
  Result<PipelineResult> run(const Produce& produce, const Transform& transform, const Consume& consume);
  Result<PipelineResult> run(const Produce& produce, const Fill& fill, const Transform& transform,
                             const Consume& consume);

 private:
  PipelineConfig m_config;
};

}  // namespace exhibit::core

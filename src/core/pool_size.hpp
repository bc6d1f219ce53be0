// How many blocks a pipeline holds and how many workers it runs: enough to keep the workers
// busy, but never more than k_pool_bytes of buffers, whatever --threads and the chunk or frame
// size (the largest take one block at a time). Workers without a block would only wait, and
// each holds a compressor of its own, so there are never more workers than blocks.
#pragma once

#include <algorithm>
#include <cstddef>

namespace exhibit::core {

inline constexpr size_t k_pool_bytes = size_t{64} << 20;

struct PoolSize {
  size_t blocks = 1;
  unsigned workers = 1;
};

// `block_bytes`: one block's buffers (media and encoded); `threads`: the workers asked for;
// `readers`: the reads in flight, each holding a block while the kernel fills it.
inline PoolSize pool_size(size_t block_bytes, unsigned threads, unsigned readers = 1) {
  const size_t wanted = std::max<size_t>(8, 4 * size_t{threads}) + readers - 1;
  const size_t blocks = std::clamp<size_t>(k_pool_bytes / std::max<size_t>(1, block_bytes), 1, wanted);
  return {blocks, static_cast<unsigned>(std::clamp<size_t>(threads, 1, blocks))};
}

// Chunks per block for `chunk`-byte chunks whose blocks also carry about as many encoded bytes:
// up to `most`, fewer when many workers share the pool, so that each still gets blocks.
inline size_t chunks_per_block(size_t chunk, size_t most, unsigned threads) {
  const size_t fit = k_pool_bytes / (2 * std::max<size_t>(1, chunk) * (size_t{threads} + 2));
  return std::clamp<size_t>(fit, 1, std::max<size_t>(1, most));
}

}  // namespace exhibit::core

// The window of the piecewise SHA-256 (--piece-size): large enough that the pieces, which
// acquire and verify hold in memory and the record lists, stay few whatever the media size.
#pragma once

#include <cstdint>
#include <string>

#include "exhibit/error.hpp"

namespace exhibit::core {

inline constexpr uint64_t k_min_piece_size = uint64_t{1} << 20;  // 1 MiB (0: no pieces)
// At most 65536 pieces: about 10 MB of record and of memory. The default 64 MiB covers 4 TiB;
// for larger media it doubles as often as needed (256 MiB for 16 TiB).
inline constexpr uint64_t k_max_pieces = uint64_t{1} << 16;
inline constexpr uint64_t k_default_piece_size = uint64_t{64} << 20;

struct PieceSize {
  uint64_t size = 0;
  std::string reason;  // why the asked-for size was not used ("" if it was)
};

// The piece size for `source_size` bytes. `requested` 0 means none; below k_min_piece_size it
// is refused. A size the user gave (`given`) that would make more than k_max_pieces is refused
// naming the smallest that works; the default grows instead.
Result<PieceSize> choose_piece_size(uint64_t source_size, uint64_t requested, bool given);

// True when `piece_size` (0: none) could have been chosen for `source_size`.
bool piece_size_bounded(uint64_t source_size, uint64_t piece_size);

}  // namespace exhibit::core

#include "core/piece_size.hpp"

#include "exhibit/setting.hpp"

namespace exhibit::core {

namespace {

uint64_t pieces_of(uint64_t source_size, uint64_t piece_size) {
  return source_size / piece_size + (source_size % piece_size != 0);
}

std::string mib_text(uint64_t bytes) {
  return bytes % (uint64_t{1} << 20) == 0 ? std::to_string(bytes >> 20) + "MiB" : std::to_string(bytes);
}

}  // namespace

bool piece_size_bounded(uint64_t source_size, uint64_t piece_size) {
  return piece_size == 0 || (piece_size >= k_min_piece_size && pieces_of(source_size, piece_size) <= k_max_pieces);
}

Result<PieceSize> choose_piece_size(uint64_t source_size, uint64_t requested, bool given) {
  if (requested == 0) return PieceSize{};
  if (requested < k_min_piece_size) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::PieceSize) + " " + std::to_string(requested) +
                                                 " is smaller than the smallest piece, 1MiB (0: no pieces)");
  }
  uint64_t size = requested;
  while (pieces_of(source_size, size) > k_max_pieces) size *= 2;
  if (size == requested) return PieceSize{size, ""};
  if (given) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::PieceSize) + " " + mib_text(requested) +
                                                 " makes more than " + std::to_string(k_max_pieces) +
                                                 " pieces of this " + std::to_string(source_size) +
                                                 "-byte source: use " + setting_text(Setting::PieceSize) + " " +
                                                 mib_text(size) + " or more, or 0 for none");
  }
  return PieceSize{size, mib_text(requested) + " would make more than " + std::to_string(k_max_pieces) + " pieces"};
}

}  // namespace exhibit::core

#include "core/written_prefix.hpp"

namespace exhibit::core {

Result<std::unique_ptr<WrittenPrefix>> WrittenPrefix::open(const Destination& d, const CopyProgress& progress,
                                                           uint64_t bytes, uint64_t chunk) {
  EXHIBIT_TRY(auto reader, d.read_back(progress, bytes, chunk));
  return std::unique_ptr<WrittenPrefix>(new WrittenPrefix(std::move(reader), bytes));
}

Status WrittenPrefix::read(Block& b, uint64_t offset, size_t capacity) {
  b.offset = offset;
  b.stored = true;
  EXHIBIT_TRY(b.size, m_reader->read(offset, capacity, b.encoded.data(), b.encoded.size(), b.data.data(), b.chunks));
  return Ok{};
}

}  // namespace exhibit::core

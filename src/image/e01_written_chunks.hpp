// The chunks an interrupted E01Writer left on disk, read back in media order: from the tables
// of the groups it closed and, for the group it had open, from its checkpoint. libewf cannot
// read an unfinished set; `acquire --resume` re-reads these to rebuild its digests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "image/chunk_codec.hpp"
#include "image/e01_writer.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

class WrittenChunks {
 public:
  // The set BASE.E01, BASE.E02, … as the checkpoint `cp` describes it.
  static Result<WrittenChunks> open(const std::string& base, const E01Checkpoint& cp);

  // The next chunk's stored bytes, read into `out` (capacity >= data_size + 4); the result
  // points into `out`. `data_size` is the chunk's media size (the last one may be shorter).
  Result<EncodedChunk> next(unsigned char* out, size_t data_size);
  uint64_t total() const { return m_total; }

 private:
  struct Group {
    uint32_t segment = 0;
    uint64_t table_offset = 0;  // 0: the open group, taken from the checkpoint
  };
  Status load_group(size_t index);
  std::string segment_path(uint32_t n) const;

  std::string m_set_base;  // BASE of BASE.E01
  E01Checkpoint m_cp;
  std::vector<Group> m_groups;
  uint64_t m_total = 0;
  size_t m_group = 0;
  uint32_t m_open_segment = 0;
  util::UniqueFd m_fd;
  uint64_t m_base = 0, m_end = 0;
  std::vector<uint32_t> m_entries;
  size_t m_next = 0;  // within the group
};

}  // namespace exhibit::image

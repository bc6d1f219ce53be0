// A heap buffer aligned for O_DIRECT I/O.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace exhibit::util {

class AlignedBuffer {
 public:
  static constexpr size_t k_alignment = 4096;

  explicit AlignedBuffer(size_t size) : m_size(round_up(size)) {
    m_data = static_cast<unsigned char*>(std::aligned_alloc(k_alignment, m_size == 0 ? k_alignment : m_size));
    if (m_data == nullptr) throw std::bad_alloc();
    std::memset(m_data, 0, m_size);
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(m_data); }

  unsigned char* data() { return m_data; }
  const unsigned char* data() const { return m_data; }
  size_t size() const { return m_size; }

  static size_t round_up(size_t n) { return (n + k_alignment - 1) / k_alignment * k_alignment; }

 private:
  size_t m_size;
  unsigned char* m_data;
};

}  // namespace exhibit::util

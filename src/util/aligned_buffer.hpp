// A heap buffer aligned for O_DIRECT I/O, zero-filled.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace exhibit::util {

class AlignedBuffer {
 public:
  static constexpr size_t k_alignment = 4096;

  explicit AlignedBuffer(size_t size) : m_size(round_up(size)) {
    if (m_size >= k_map_bytes && k_map_large) {
      // The kernel's zero pages, faulted in where they are first written (by the stream's
      // threads) instead of a memset of the whole pool before the first read: about 12 ms per
      // 4 MiB block here, which the acquisition waited for.
      void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      m_data = static_cast<unsigned char*>(p);
      m_mapped = true;
      return;
    }
    m_data = static_cast<unsigned char*>(std::aligned_alloc(k_alignment, m_size == 0 ? k_alignment : m_size));
    if (m_data == nullptr) throw std::bad_alloc();
    std::memset(m_data, 0, m_size);
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() {
    if (m_mapped) {
      ::munmap(m_data, m_size);
    } else {
      std::free(m_data);
    }
  }

  unsigned char* data() { return m_data; }
  const unsigned char* data() const { return m_data; }
  size_t size() const { return m_size; }

  static size_t round_up(size_t n) { return (n + k_alignment - 1) / k_alignment * k_alignment; }

 private:
  static constexpr size_t k_map_bytes = 1 << 20;
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool k_map_large = false;  // AddressSanitizer guards heap blocks only
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  static constexpr bool k_map_large = false;
#else
  static constexpr bool k_map_large = true;
#endif
#else
  static constexpr bool k_map_large = true;
#endif
  size_t m_size;
  unsigned char* m_data = nullptr;
  bool m_mapped = false;
};

}  // namespace exhibit::util

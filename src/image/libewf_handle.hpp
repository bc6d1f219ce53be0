// RAII over libewf_handle_t and the one place libewf errors become our Errors.
#pragma once

#include <libewf.h>

#include <string>

#include "exhibit/error.hpp"

namespace exhibit::image {

// Takes ownership of `error` (may be null) and returns "CONTEXT: libewf's message".
Error libewf_failure(ErrorCode code, const std::string& context, libewf_error_t* error);

class LibewfHandle {
 public:
  LibewfHandle() = default;
  LibewfHandle(const LibewfHandle&) = delete;
  LibewfHandle& operator=(const LibewfHandle&) = delete;
  ~LibewfHandle();

  Status initialize();
  libewf_handle_t* get() const { return m_handle; }
  bool is_open() const { return m_open; }
  void set_open(bool open) { m_open = open; }
  // Closes if open; returns libewf's verdict on the close.
  Status close(ErrorCode code, const std::string& context);

 private:
  libewf_handle_t* m_handle = nullptr;
  bool m_open = false;
};

}  // namespace exhibit::image

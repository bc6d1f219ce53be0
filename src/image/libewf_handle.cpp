#include "image/libewf_handle.hpp"

namespace exhibit::image {

Error libewf_failure(ErrorCode code, const std::string& context, libewf_error_t* error) {
  std::string message = context;
  if (error != nullptr) {
    char buf[1024] = {};
    if (libewf_error_sprint(error, buf, sizeof buf) > 0) {
      std::string detail(buf);
      // libewf prints a backtrace, one line per frame; the last line is the root cause.
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == '.')) detail.pop_back();
      auto nl = detail.rfind('\n');
      if (nl != std::string::npos) detail = detail.substr(nl + 1);
      message += ": " + detail;
    }
    libewf_error_free(&error);
  }
  return Error(code, message);
}

LibewfHandle::~LibewfHandle() {
  if (m_handle == nullptr) return;
  if (m_open) libewf_handle_close(m_handle, nullptr);
  libewf_handle_free(&m_handle, nullptr);
}

Status LibewfHandle::initialize() {
  libewf_error_t* error = nullptr;
  if (libewf_handle_initialize(&m_handle, &error) != 1) {
    return libewf_failure(ErrorCode::Io, "cannot initialise libewf", error);
  }
  return Ok{};
}

Status LibewfHandle::close(ErrorCode code, const std::string& context) {
  if (!m_open) return Ok{};
  m_open = false;
  libewf_error_t* error = nullptr;
  if (libewf_handle_close(m_handle, &error) != 0) return libewf_failure(code, context, error);
  return Ok{};
}

}  // namespace exhibit::image

#include "image/libewf_handle.hpp"

#include <vector>

namespace exhibit::image {

Error libewf_failure(ErrorCode code, const std::string& context, libewf_error_t* error) {
  std::string message = context;
  if (error != nullptr) {
    char buf[4096] = {};
    if (libewf_error_backtrace_sprint(error, buf, sizeof buf) > 0) {
      // One line per frame, the root cause first and libewf's generic "unable to open handle"
      // last; a middle line may say which section it was reading.
      std::vector<std::string> lines;
      std::string line;
      for (const char* p = buf; *p != '\0'; ++p) {
        if (*p != '\n') line += *p;
        if (*p == '\n' || p[1] == '\0') {
          while (!line.empty() && (line.back() == '.' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
          if (!line.empty()) lines.push_back(line);
          line.clear();
        }
      }
      if (!lines.empty()) message += ": " + lines.front();
      const std::string marker = "unable to read section: ";
      for (const auto& l : lines) {
        const auto at = l.find(marker);
        if (at != std::string::npos && &l != &lines.front())
          message += " (in a " + l.substr(at + marker.size()) + " section)";
      }
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

// Errors and results of the exhibit core library. Library functions never
// throw: they return Result<T>, which holds a value or an Error.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace exhibit {

enum class ErrorCode {
  InvalidArgument,  // the request cannot be carried out as given
  NotFound,         // a named input does not exist
  AlreadyExists,    // an output would overwrite something
  Unsupported,      // a format or feature we cannot handle
  Io,               // an I/O failure that stopped the job
  SourceGone,       // the source vanished (unplugged, capacity dropped)
  Destination,      // writing the image failed (disk full, I/O error)
  Cancelled,        // interrupted by a signal
  Corruption,       // image data or structure is damaged
};

class Error {
 public:
  Error(ErrorCode code, std::string message, int sys_errno = 0)
      : m_code(code), m_message(std::move(message)), m_errno(sys_errno) {}

  // The one place where errno becomes an Error: "CONTEXT: strerror(errnum)".
  static Error from_errno(ErrorCode code, const std::string& context, int errnum);

  ErrorCode code() const { return m_code; }
  const std::string& message() const { return m_message; }
  int sys_errno() const { return m_errno; }

 private:
  ErrorCode m_code;
  std::string m_message;
  int m_errno;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  explicit operator bool() const { return m_v.index() == 0; }
  bool ok() const { return m_v.index() == 0; }
  T& value() { return std::get<0>(m_v); }
  const T& value() const { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace exhibit

// Propagate an error: EXHIBIT_TRY(auto x, expr); binds x to the value.
#define EXHIBIT_CONCAT_INNER(a, b) a##b
#define EXHIBIT_CONCAT(a, b) EXHIBIT_CONCAT_INNER(a, b)
#define EXHIBIT_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                      \
  if (!tmp) return tmp.error();           \
  decl = std::move(tmp.value())
#define EXHIBIT_TRY(decl, expr) EXHIBIT_TRY_IMPL(EXHIBIT_CONCAT(try_tmp_, __LINE__), decl, expr)
#define EXHIBIT_CHECK(expr)                                                             \
  do {                                                                                  \
    auto EXHIBIT_CONCAT(chk_, __LINE__) = (expr);                                       \
    if (!EXHIBIT_CONCAT(chk_, __LINE__)) return EXHIBIT_CONCAT(chk_, __LINE__).error(); \
  } while (0)

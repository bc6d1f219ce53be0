#include "util/bounded_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <stdexcept>

#include "util/fd.hpp"

namespace exhibit::util {

namespace {

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// Thrown from the parser callback to stop parsing at once.
struct TooMuch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

Result<std::string> read_small_file(const std::string& path, const std::string& what, uint64_t limit) {
  // O_NONBLOCK: a FIFO put in the file's place must not hang us; it is refused below.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd) {
    return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "reading the " + what + " " + path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, "reading the " + what + " " + path, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::Corruption, path + ": not a regular file, so not a " + what + " exhibit wrote");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > limit) {
    return Error(ErrorCode::Corruption, path + " is " + std::to_string(size) + " bytes, more than a " + what +
                                            " exhibit writes can be (" + mib(limit) + "): not read");
  }
  // One byte more than stat said, to notice a file that grew meanwhile.
  std::string text(static_cast<size_t>(size) + 1, '\0');
  const long long n = pread_full(fd.get(), text.data(), text.size(), 0);
  if (n < 0) return Error::from_errno(ErrorCode::Io, "reading the " + what + " " + path, errno);
  if (static_cast<uint64_t>(n) > size) return Error(ErrorCode::Corruption, path + " grew while it was read");
  text.resize(static_cast<size_t>(n));
  return text;
}

Result<nlohmann::json> parse_bounded_json(const std::string& text, const std::string& where, size_t max_values) {
  using nlohmann::json;
  size_t values = 0;
  // Called for every value, key and container before it is stored: the count and the depth
  // stop a document before it grows past the bound.
  json::parser_callback_t limit = [&](int depth, json::parse_event_t event, json&) {
    if (event == json::parse_event_t::key) return true;
    if (depth > k_max_json_depth) throw TooMuch("nested more than " + std::to_string(k_max_json_depth) + " deep");
    if (event != json::parse_event_t::object_end && event != json::parse_event_t::array_end && ++values > max_values) {
      throw TooMuch("more than " + std::to_string(max_values) + " values");
    }
    return true;
  };
  try {
    json j = json::parse(text, limit, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Error(ErrorCode::Corruption, where + ": not valid JSON");
    return j;
  } catch (const TooMuch& e) {
    return Error(ErrorCode::Corruption, where + ": " + e.what() + ", more than exhibit writes");
  } catch (const std::exception& e) {
    return Error(ErrorCode::Corruption, where + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace exhibit::util

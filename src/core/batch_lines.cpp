#include "core/batch_lines.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "util/bounded_input.hpp"
#include "util/fd.hpp"

namespace exhibit::core {

namespace {

// The image's state and exit code from a line's document, when every field is there and typed.
std::optional<BatchEntry> entry_of(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  const auto b = j.find("batch");
  const auto code = j.find("exit_code");
  if (b == j.end() || !b->is_object() || code == j.end() || !code->is_number_integer()) return std::nullopt;
  const auto path = b->find("path");
  const auto size = b->find("size");
  const auto mtime = b->find("mtime_ns");
  const auto record = b->find("record_sha256");
  if (path == b->end() || !path->is_string() || path->get_ref<const std::string&>().empty() || size == b->end() ||
      !size->is_number_unsigned() || mtime == b->end() || !mtime->is_number_integer() || record == b->end() ||
      !record->is_string()) {
    return std::nullopt;
  }
  BatchEntry e;
  e.state.path = path->get<std::string>();
  e.state.size = size->get<uint64_t>();
  e.state.mtime_ns = mtime->get<int64_t>();
  e.state.record_sha256 = record->get<std::string>();
  e.exit_code = code->get<int>();
  return e;
}

}  // namespace

Result<ResultFileLines> read_result_lines(
    const std::string& path, const std::function<void(size_t, const nlohmann::json&, const BatchEntry&)>& each) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "reading " + path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, "examining " + path, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::Io, path + ": not a regular file");
  ResultFileLines out;
  std::string line;
  bool too_long = false;
  size_t number = 0;
  auto finish_line = [&] {
    ++number;
    if (line.empty() && !too_long) return;
    ++out.lines;
    std::optional<BatchEntry> entry;
    nlohmann::json doc;
    if (!too_long) {
      if (auto parsed = util::parse_bounded_json(line, path)) {
        doc = std::move(*parsed);
        entry = entry_of(doc);
      }
    }
    if (entry) each(number, doc, *entry);
    else out.unreadable.push_back(number);
    line.clear();
    too_long = false;
  };
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
    if (n == 0) break;
    const char* p = buf;
    const char* const end = buf + n;
    while (p < end) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* stop = nl != nullptr ? nl : end;
      if (!too_long) {
        line.append(p, stop);
        if (line.size() > k_max_result_line) {
          too_long = true;  // skipped to its end, never held whole
          line.clear();
        }
      }
      if (nl != nullptr) finish_line();
      p = nl != nullptr ? nl + 1 : end;
    }
  }
  if (!line.empty() || too_long) finish_line();  // a last line without its newline: cut by a kill
  return out;
}

}  // namespace exhibit::core

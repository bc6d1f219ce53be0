#include "util/bounded_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <vector>

#include "util/fd.hpp"

namespace exhibit::util {

namespace {

using nlohmann::json;

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// Builds the document from the parser's events, counting as it goes: it stops the parser at
// the first value past the bound, before that value is stored. (nlohmann's own callback
// parser rescans each array after every element, which is quadratic.)
class BoundedDocument : public nlohmann::json_sax<json> {
 public:
  explicit BoundedDocument(size_t max_values) : m_max(max_values) {}
  json root;
  std::string refusal;  // why parsing stopped, if it was stopped by the bound

  bool null() override { return add(json()) != nullptr; }
  bool boolean(bool v) override { return add(json(v)) != nullptr; }
  bool number_integer(number_integer_t v) override { return add(json(v)) != nullptr; }
  bool number_unsigned(number_unsigned_t v) override { return add(json(v)) != nullptr; }
  bool number_float(number_float_t v, const string_t&) override { return add(json(v)) != nullptr; }
  bool string(string_t& v) override { return add(json(std::move(v))) != nullptr; }
  bool binary(binary_t& v) override { return add(json::binary(std::move(v))) != nullptr; }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool key(string_t& k) override {
    m_key = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    m_error = e.what();
    return false;
  }
  const std::string& error() const { return m_error; }

 private:
  // Stores `v` where the document stands; nullptr (stop) past the bound.
  json* add(json&& v) {
    if (++m_values > m_max) {
      refusal = "more than " + std::to_string(m_max) + " values";
      return nullptr;
    }
    if (m_open.empty()) {
      root = std::move(v);
      return &root;
    }
    json& parent = *m_open.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    json& slot = parent[m_key];
    slot = std::move(v);
    return &slot;
  }
  bool open(json&& container) {
    if (m_open.size() >= static_cast<size_t>(k_max_json_depth)) {
      refusal = "nested more than " + std::to_string(k_max_json_depth) + " deep";
      return false;
    }
    json* p = add(std::move(container));
    if (p == nullptr) return false;
    m_open.push_back(p);
    return true;
  }
  bool close() {
    m_open.pop_back();
    return true;
  }

  size_t m_max;
  size_t m_values = 0;
  std::vector<json*> m_open;  // the containers being filled, innermost last
  std::string m_key;
  std::string m_error;
};

}  // namespace

Result<std::string> read_small_file(const std::string& path, const std::string& what, uint64_t limit) {
  // O_NONBLOCK: a FIFO put in the file's place must not hang us; it is refused below.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd) {
    return Error::from_errno(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "reading the " + what + " " + path,
                             errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, "reading the " + what + " " + path, errno);
  if (!S_ISREG(st.st_mode))
    return Error(ErrorCode::Corruption, path + ": not a regular file, so not a " + what + " exhibit wrote");
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
  BoundedDocument doc(max_values);
  bool ok = false;
  try {
    ok = json::sax_parse(text, &doc);
  } catch (const std::exception& e) {
    return Error(ErrorCode::Corruption, where + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.refusal.empty())
    return Error(ErrorCode::Corruption, where + ": " + doc.refusal + ", more than exhibit writes");
  if (!ok)
    return Error(ErrorCode::Corruption,
                 where + ": not valid JSON" + (doc.error().empty() ? "" : " (" + doc.error() + ")"));
  return std::move(doc.root);
}

}  // namespace exhibit::util

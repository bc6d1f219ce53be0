#include "core/log_summary.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

#include "hash/digest.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

namespace exhibit::core {

namespace {

// Longer lines are cut here: nothing verify looks for is longer, and a hostile log cannot make
// verify hold it whole.
constexpr size_t k_max_line = 4096;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_lower_hex(std::string_view s) {
  return !s.empty() && s.size() % 2 == 0 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

class Summarizer {
 public:
  explicit Summarizer(std::string record_name) : m_record_name(std::move(record_name)) {}
  void line(std::string_view text) {
    const bool first = m_lines++ == 0;
    if (starts_with(text, "    ")) {
      field(text.substr(4));
      return;
    }
    // "2026-11-28T16:55:00Z  text"
    const auto gap = text.find("  ");
    if (gap == std::string_view::npos) return;
    const std::string_view event = text.substr(gap + 2);
    if (first) {
      m_summary.ours = starts_with(event, "exhibit ") &&
                       (event.find(" acquisition started on ") != std::string_view::npos ||
                        event.find(" acquisition RESUMED") != std::string_view::npos);
    }
    m_in_result = event == "result";
    if (starts_with(event, "ACQUISITION COMPLETE")) m_summary.complete = true;
  }
  LogSummary summary() const { return m_summary; }

 private:
  void field(std::string_view text) {
    const auto colon = text.find(": ");
    if (colon == std::string_view::npos) return;
    const std::string key(text.substr(0, colon));
    const std::string_view value = text.substr(colon + 2);
    if (key == "record" && util::file_name(std::string(value)) == m_record_name) m_summary.record_written = true;
    if (!m_in_result) return;
    if (key == "pieces") {
      uint64_t n = 0;
      for (char c : value.substr(0, value.find(' '))) {
        if (c < '0' || c > '9' || n > UINT64_MAX / 10 - 9) return;
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      m_summary.pieces = n;
    } else if (is_lower_hex(value)) {
      auto canonical = hash::canonical_algorithm(key);
      auto& d = m_summary.digests;
      if (canonical && std::find(d.begin(), d.end(), *canonical) == d.end()) d.push_back(*canonical);
    }
  }

  std::string m_record_name;
  LogSummary m_summary;
  size_t m_lines = 0;
  bool m_in_result = false;
};

}  // namespace

LogSummary summarize_log(const std::string& path, const std::string& record_name) {
  Summarizer s(record_name);
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string line;
  bool cut = false;  // the rest of an over-long line is skipped
  char buf[65536];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) {
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        s.line(line);
        line.clear();
        cut = false;
      } else if (!cut && line.size() < k_max_line) {
        line.push_back(buf[i]);
      } else {
        cut = true;
      }
    }
  }
  if (!line.empty()) s.line(line);
  return s.summary();
}

}  // namespace exhibit::core

#include "image/segment_names.hpp"

#include <unistd.h>

#include <cctype>
#include <set>

namespace exhibit::image {

std::optional<std::string> segment_extension(uint32_t number, bool lower_case) {
  if (number == 0) return std::nullopt;
  std::string ext;
  if (number <= 99) {
    ext = number < 10 ? "E0" : "E";  // then appended: "E" + std::string trips GCC 12's false -Wrestrict
    ext += std::to_string(number);
  } else {
    uint32_t k = number - 100;
    char third = static_cast<char>('A' + k % 26);
    k /= 26;
    char second = static_cast<char>('A' + k % 26);
    k /= 26;
    if (k > static_cast<uint32_t>('Z' - 'E')) return std::nullopt;
    char first = static_cast<char>('E' + k);
    ext = {first, second, third};
  }
  if (lower_case) {
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return ext;
}

std::optional<std::string> ewf2_segment_extension(uint32_t n, const std::string& prefix) {
  if (n >= 1 && n <= 99) return prefix + (n < 10 ? "0" : "") + std::to_string(n);
  const uint32_t k = n - 100;
  if (n < 100 || k >= 3 * 676) return std::nullopt;
  const bool lower = prefix[0] == 'e';
  std::string e(1, prefix[0]);
  e += static_cast<char>(prefix[1] + k / 676);
  e += static_cast<char>((lower ? 'a' : 'A') + k % 676 / 26);
  e += static_cast<char>((lower ? 'a' : 'A') + k % 26);
  return e;
}

bool is_ewf2_segment_extension(const std::string& ext) {
  static const std::set<std::string> all = [] {
    std::set<std::string> names;
    for (const char* prefix : {"Ex", "ex"}) {
      for (uint32_t n = 1;; ++n) {
        const auto e = ewf2_segment_extension(n, prefix);
        if (!e) break;
        names.insert(*e);
      }
    }
    return names;
  }();
  return all.count(ext) != 0;
}

std::optional<SegmentBase> base_of_first_segment(const std::string& path) {
  if (path.size() < 5) return std::nullopt;
  std::string ext = path.substr(path.size() - 4);
  if (ext == ".E01") return SegmentBase{path.substr(0, path.size() - 4), false};
  if (ext == ".e01") return SegmentBase{path.substr(0, path.size() - 4), true};
  return std::nullopt;
}

std::vector<std::string> existing_segments(const SegmentBase& base) {
  std::vector<std::string> out;
  for (uint32_t n = 1;; ++n) {
    auto ext = segment_extension(n, base.lower_case);
    if (!ext) break;
    std::string p = base.base + "." + *ext;
    if (::access(p.c_str(), F_OK) != 0) break;
    out.push_back(p);
  }
  return out;
}

}  // namespace exhibit::image

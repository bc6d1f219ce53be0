#include "image/image_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "image/raw_image.hpp"
#include "image/segment_names.hpp"

namespace exhibit::image {

std::string first_image_file(ImageFormat format, const std::string& base, bool one_file) {
  switch (format) {
    case ImageFormat::Raw: return raw_segment_path(base, one_file ? 0 : 1, 1);
    case ImageFormat::Zst: return base + ".zst";
    case ImageFormat::E01: break;
  }
  return base + ".E01";
}

std::vector<std::string> existing_image_files(ImageFormat format, const std::string& base, bool one_file) {
  if (format == ImageFormat::E01) return existing_segments({base, false});
  if (format == ImageFormat::Raw && !one_file) return existing_raw_segments(base);
  const std::string only = first_image_file(format, base, one_file);
  if (::access(only.c_str(), F_OK) != 0) return {};
  return {only};
}

std::string any_existing_first_file(const std::string& base) {
  for (const auto& f : image_formats()) {
    for (const bool one_file : {false, true}) {
      const std::string p = first_image_file(f.format, base, one_file);
      if (::access(p.c_str(), F_OK) == 0) return p;
    }
  }
  return {};
}

namespace {

bool all_of_them(const std::string& s, int (*is)(int)) {
  return std::all_of(s.begin(), s.end(), [is](char c) { return is(static_cast<unsigned char>(c)) != 0; });
}

// E01 .. E99, then EAA .. ZZZ (segment_extension, upper case as written); 001, 002 .. (raw).
bool is_segment_extension(const std::string& ext) {
  if (ext.size() == 3 && ext[0] >= 'E' && ext[0] <= 'Z' && all_of_them(ext.substr(1), ::isupper)) return true;
  if (ext.size() == 3 && ext[0] == 'E' && all_of_them(ext.substr(1), ::isdigit)) return ext != "E00";
  if (ext.size() < 3 || !all_of_them(ext, ::isdigit)) return false;
  const unsigned long n = ext.size() > 9 ? 0 : std::stoul(ext);
  return n > 0 && raw_segment_path("", 1, static_cast<uint32_t>(n)) == "." + ext;
}

}  // namespace

std::vector<std::string> segment_named_files(const std::string& base) {
  namespace fs = std::filesystem;
  const fs::path b(base);
  const std::string prefix = b.filename().string() + ".";
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(b.has_parent_path() ? b.parent_path() : fs::path("."), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        is_segment_extension(name.substr(prefix.size()))) {
      out.push_back(base + name.substr(prefix.size() - 1));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace exhibit::image

#include "image/image_files.hpp"

#include <unistd.h>

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

}  // namespace exhibit::image

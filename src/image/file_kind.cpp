#include "image/file_kind.hpp"

#include <fcntl.h>

#include <cstring>

#include "image/ewf2_format.hpp"
#include "image/ewf_layout.hpp"
#include "util/endian.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

namespace {

// The name of segment 1 beside `path`: its extension's last two characters become "01".
std::string first_segment_name(const std::string& path) {
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || path.size() - dot < 3) return "";
  return path.substr(0, path.size() - 2) + "01";
}

bool starts(const unsigned char* p, long long n, const void* magic, size_t size) {
  return n >= static_cast<long long>(size) && std::memcmp(p, magic, size) == 0;
}

}  // namespace

FileKind file_kind(const std::string& path) {
  unsigned char p[32] = {};
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  const long long n = fd ? util::pread_full(fd.get(), p, sizeof p, 0) : -1;
  if (n < 0) return {"a file that cannot be read", ""};
  if (starts(p, n, k_evf_signature, sizeof k_evf_signature) && n >= 13) {
    const unsigned number = p[9] | p[10] << 8;
    if (number == 1) return {"the first segment of an E01 set, misnamed", ""};
    return {"segment " + std::to_string(number) + " of an E01 set", first_segment_name(path)};
  }
  if (starts(p, n, ewf2::k_signature, sizeof ewf2::k_signature) && n >= 16) {
    const uint32_t number = util::load_le32(p + 12);
    if (number == 1) return {"the first segment of an EWF2 (Ex01) set", ""};
    return {"segment " + std::to_string(number) + " of an EWF2 (Ex01) set", first_segment_name(path)};
  }
  if (starts(p, n, k_lvf_signature, sizeof k_lvf_signature) || starts(p, n, "LEF2\x0d\x0a\x81\x00", 8)) {
    return {"a logical evidence file (L01/Lx01), which exhibit does not read", ""};
  }
  if (starts(p, n, "AFF10\x0d\x0a", 7)) return {"an AFF image, which exhibit does not read", ""};
  if (starts(p, n, "\x28\xb5\x2f\xfd", 4) || starts(p, n, "\x50\x2a\x4d\x18", 4)) {
    return {"zstd data (a seekable zstd image is read as NAME.zst)", ""};
  }
  return {"raw data or an unknown format (a raw image is read as NAME.001 or NAME.raw)", ""};
}

std::string not_an_image_message(const std::string& path) {
  const FileKind k = file_kind(path);
  if (!k.first_name.empty()) return path + " is " + k.description + ": name its first segment (" + k.first_name + ")";
  return path + " is not named as an image exhibit reads; it looks like " + k.description +
         ". Name an E01 or Ex01 set by its first segment (.E01, .Ex01)";
}

}  // namespace exhibit::image

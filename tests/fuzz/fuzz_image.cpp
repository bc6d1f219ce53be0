// libFuzzer target over the image-reading path: the bytes become a one-segment E01 file that
// `exhibit info` and `exhibit verify` read. Any crash, hang or sanitizer report is a finding.
// Built by tools/fuzz with clang, -fsanitize=fuzzer,address,undefined.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "exhibit/image_info.hpp"
#include "exhibit/verify.hpp"

namespace {

std::string scratch_path() {
  char tmpl[] = "/tmp/exhibit-fuzz-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return std::string(dir != nullptr ? dir : "/tmp") + "/input.E01";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = scratch_path();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)exhibit::read_image_info(path);
  (void)exhibit::verify_image(path, {}, 2);
  return 0;
}

// libFuzzer target over the image-reading path: the bytes become a one-segment E01 file, a
// one-segment EWF2 (Ex01) file and a seekable zstd file that `exhibit info`, `exhibit verify` and `exhibit export`
// read. Any crash, hang or sanitizer report is a finding. Built by tools/fuzz with clang,
// -fsanitize=fuzzer,address,undefined.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "exhibit/export.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/verify.hpp"

namespace {

std::string scratch_dir() {
  char tmpl[] = "/tmp/exhibit-fuzz-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return dir != nullptr ? dir : "/tmp";
}

void read_as(const std::string& dir, const std::string& path, const uint8_t* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)exhibit::read_image_info(path);
  (void)exhibit::verify_image(path, {}, 2);
  exhibit::ExportOptions out;
  out.image = path;
  out.output = dir + "/export.raw";
  out.force = true;
  (void)exhibit::export_image(out);
  std::remove(out.output.c_str());
  std::remove((out.output + ".partial").c_str());
  std::remove(path.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir = scratch_dir();
  read_as(dir, dir + "/input.E01", data, size);
  read_as(dir, dir + "/input.Ex01", data, size);
  read_as(dir, dir + "/input.zst", data, size);
  return 0;
}

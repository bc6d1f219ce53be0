// libFuzzer target over the /proc/self/mountinfo parser (io/device_info), which the output guard
// and the device list use to find where a folder lives and what is mounted from a device. The
// kernel writes that file, but mount points hold whatever names users gave (escaped as \ooo).
// Any crash, hang, leak or sanitizer report is a finding.
// Built by tools/fuzz with clang, -fsanitize=fuzzer,address,undefined; seeds in corpus/mountinfo.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/device_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  const auto mounts = exhibit::io::parse_mountinfo(text);
  // One entry at most per line (the last one may lack its newline).
  if (mounts.size() > lines + 1) std::abort();
  for (const auto& m : mounts) {
    // Unescaping only ever shortens a field.
    if (m.mount_point.size() > size || m.source.size() > size || m.device.empty()) std::abort();
  }
  return 0;
}

// libFuzzer target over the record parser: the bytes are the text of a BASE.manifest.json, which
// verify reads from beside an image it cannot trust. Any crash, hang, leak or sanitizer report is
// a finding; a record that parses must hold what its reader promises (plain segment names,
// lower-case hex, a power-of-two sector size).
// Built by tools/fuzz with clang, -fsanitize=fuzzer,address,undefined; seeds in corpus/record.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "report/record.hpp"

namespace {

bool plain_hex(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto r = exhibit::report::parse_record(text, "fuzz.manifest.json");
  if (!r) return 0;
  if (r->bytes_per_sector != 0 && (r->bytes_per_sector & (r->bytes_per_sector - 1)) != 0) std::abort();
  for (const auto& s : r->segments) {
    if (s.path.empty() || s.path.find('/') != std::string::npos || !plain_hex(s.sha256)) std::abort();
  }
  for (const auto& p : r->pieces) {
    if (!plain_hex(p.sha256)) std::abort();
  }
  return 0;
}

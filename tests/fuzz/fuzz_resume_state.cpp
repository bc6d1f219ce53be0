// libFuzzer target over the parsers of BASE.resume: the saved progress of an interrupted
// acquisition (core/resume_state) and the finishing state that replaces it while a set gets its
// final names (core/finishing). `--resume` and verify read that file from a destination anyone may
// have written to. Any crash, hang, leak or sanitizer report is a finding, and so is a state that
// parses but does not read back the same once written again (what --resume saves next).
// Built by tools/fuzz with clang, -fsanitize=fuzzer,address,undefined; seeds in corpus/resume_state.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/finishing.hpp"
#include "core/resume_state.hpp"

namespace {

using namespace exhibit::core;

// What `parse` reads from `text`, once written by `render`, must read back as the same state.
template <typename Parse, typename Render>
void check_round_trip(const std::string& text, Parse parse, Render render) {
  auto s = parse(text);
  if (!s) return;
  const std::string written = render(*s);
  auto again = parse(written);
  if (!again || render(*again) != written) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Both parsers see every input: the choice between them (is_finishing_state) is itself a parse.
  (void)is_finishing_state(text);
  check_round_trip(text, parse_resume_state, render_resume_state);
  check_round_trip(text, parse_finishing_state, render_finishing_state);
  return 0;
}

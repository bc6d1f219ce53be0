// exhibit serve: the library's serve job, its log lines on stdout and the line to type on the
// acquiring machine.
#include <cstdio>

#include "commands.hpp"
#include "exhibit/serve.hpp"
#include "exhibit/text.hpp"
#include "exit_code.hpp"

namespace exhibit::cli {

int run_serve(const CommandLine& cl, const std::atomic<bool>& cancel) {
  ServeHooks hooks;
  hooks.cancel = &cancel;
  hooks.log = [](const std::string& line) {
    std::printf("%s\n", sanitize_for_terminal(line).c_str());
    std::fflush(stdout);
  };
  hooks.ready = [](const ServeReady& r) {
    std::printf("\nOn the acquiring machine, type (the key is shown only here; Ctrl-C here stops serving):\n\n  %s\n\n",
                sanitize_for_terminal(r.command).c_str());
    std::fflush(stdout);
  };
  auto st = serve(cl.serve_options, hooks);
  if (!st) return report_error(st.error());
  return k_exit_ok;
}

}  // namespace exhibit::cli

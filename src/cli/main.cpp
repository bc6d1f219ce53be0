// exhibit: parse the command line, run one sub-command, exit with its documented code.
#include <csignal>
#include <exception>
#include <new>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "exhibit/exit_code.hpp"

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_signal(int /*signo*/) { g_cancel.store(true); }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace exhibit;
  int exit_now = -1;
  cli::CommandLine cl = cli::parse_command_line(argc, argv, exit_now);
  if (exit_now >= 0) return exit_now;
  install_signal_handlers();
  try {
    switch (cl.command) {
      case cli::Command::Acquire: return cli::run_acquire(cl, g_cancel);
      case cli::Command::Verify: return cli::run_verify(cl, g_cancel);
      case cli::Command::Info: return cli::run_info(cl);
      case cli::Command::None: break;
    }
  } catch (const std::bad_alloc&) {
    return cli::report_error(Error(ErrorCode::Io, "out of memory"));
  } catch (const std::exception& e) {
    return cli::report_error(Error(ErrorCode::Io, std::string("internal error: ") + e.what()));
  }
  return k_exit_usage;
}

// exhibit: parse the command line, run one sub-command, exit with its documented code.
#include <sys/personality.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <new>

#include "batch_verify.hpp"
#include "commands.hpp"
#include "exit_code.hpp"
#include "options.hpp"

namespace {

std::atomic<bool> g_cancel{false};

// The first signal asks the job to stop: it saves its work and logs the interruption at once,
// but a read the kernel still holds must return before the job can end. A second signal ends the
// process without waiting for the job (what was saved stands: --resume goes on from it); a read
// held in the kernel (uninterruptible) still keeps the process until it returns.
extern "C" void on_signal(int /*signo*/) {
  if (g_cancel.exchange(true)) {
    static const char k_message[] =
        "\nexhibit: stopping without waiting for the job (second interrupt); the work saved before it stands: continue "
        "with --resume\n";
    (void)!::write(STDERR_FILENO, k_message, sizeof k_message - 1);
    ::_exit(exhibit::cli::k_exit_incomplete);
  }
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// ISA-L 2.30's deflate output depends, for about one chunk in 50,000, on where the process's
// libraries and buffers are mapped (measured: with address randomisation off, 0 of 1,200 runs
// gave a different image; with it on, about 1 run in 150 did: valid deflate, the same data,
// other bytes). So acquire re-executes itself once with ADDR_NO_RANDOMIZE (as `setarch -R`
// does) and images are byte-for-byte repeatable. Returns whether the layout is fixed; where the
// kernel refuses, the acquisition goes on and the log says so.
bool fix_address_layout(char** argv) {
  const int current = personality(0xffffffff);
  if (current == -1) return false;
  if ((current & ADDR_NO_RANDOMIZE) != 0) return true;
  // Once only: the kernel clears the flag again on exec of a setuid or file-capability binary,
  // and without this marker that would re-exec for ever.
  if (std::getenv("EXHIBIT_REEXECUTED") != nullptr) return false;
  if (personality(static_cast<unsigned long>(current) | ADDR_NO_RANDOMIZE) == -1) return false;
  setenv("EXHIBIT_REEXECUTED", "1", 1);
  execv("/proc/self/exe", argv);
  unsetenv("EXHIBIT_REEXECUTED");  // exec failed: carry on as we are
  personality(static_cast<unsigned long>(current));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace exhibit;
  int exit_now = -1;
  cli::CommandLine cl = cli::parse_command_line(argc, argv, exit_now);
  if (exit_now >= 0) return exit_now;
  cl.command_line = cli::quoted_command_line(argc, argv);
  cl.acquire.command_line = cl.command_line;
  if (cl.command == cli::Command::Acquire) cl.acquire.fixed_address_layout = fix_address_layout(argv);
  install_signal_handlers();
  set_setting_wording(cli::flag_of);  // messages name settings by their flags
  try {
    switch (cl.command) {
      case cli::Command::Acquire: return cli::run_acquire(cl, g_cancel);
      case cli::Command::Verify:
        return cli::is_batch_verify(cl) ? cli::run_batch_verify(cl, g_cancel) : cli::run_verify(cl, g_cancel);
      case cli::Command::Info: return cli::run_info(cl);
      case cli::Command::Export: return cli::run_export(cl, g_cancel);
      case cli::Command::Devices: return cli::run_devices(cl);
      case cli::Command::Report: return cli::run_report(cl);
      case cli::Command::Serve: return cli::run_serve(cl, g_cancel);
      case cli::Command::None: break;
    }
  } catch (const std::bad_alloc&) {
    return cli::report_error(Error(ErrorCode::Io, "out of memory"));
  } catch (const std::exception& e) {
    return cli::report_error(Error(ErrorCode::Io, std::string("internal error: ") + e.what()));
  }
  return cli::k_exit_usage;
}

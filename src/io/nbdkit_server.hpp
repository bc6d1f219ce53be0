// nbdkit as the server of `exhibit serve`: started read-only with TLS required, one export of
// fixed name and description, ready when its pid file appears, stopped with SIGTERM.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit::io {

struct NbdkitCommand {
  std::string target;            // the device or file nbdkit's file plugin opens (read-only)
  std::string listen;            // -i ADDRESS ("": every address)
  std::string port;              // -p PORT
  std::string export_name;       // the only export name the server accepts
  std::string description;       // its description (io/served_identity.hpp)
  std::string tls_psk_file;      // --tls-psk, or
  std::string tls_certificates;  // --tls-certificates
  std::string pid_file;          // written by nbdkit once it listens
};

// A waitpid status in words: "exit code N" or "signal N".
std::string exit_status_text(int status);

// nbdkit's arguments for `c` (argv[0] "nbdkit"); the key itself never appears in them.
std::vector<std::string> nbdkit_arguments(const NbdkitCommand& c);

class NbdkitServer {
 public:
  NbdkitServer() = default;
  NbdkitServer(NbdkitServer&& other) noexcept : m_pid(other.m_pid), m_pid_file(std::move(other.m_pid_file)) {
    other.m_pid = -1;
  }
  NbdkitServer& operator=(NbdkitServer&&) = delete;
  ~NbdkitServer() { stop(); }

  // Starts nbdkit (it dies with this process: --exit-with-parent) and waits until it listens.
  // Unsupported when nbdkit is not installed; Io when it ends before listening.
  static Result<NbdkitServer> start(const NbdkitCommand& c, const std::atomic<bool>* cancel);
  // Whether it still runs; when it ended, its exit status in `status` (waitpid's).
  bool running(int* status);
  // SIGTERM, then waits for it to end (SIGKILL after 5 seconds); idempotent.
  void stop();

 private:
  pid_t m_pid = -1;
  std::string m_pid_file;
};

}  // namespace exhibit::io

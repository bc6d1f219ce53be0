#include "io/nbdkit_server.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

extern char** environ;

namespace exhibit::io {

std::string exit_status_text(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

std::vector<std::string> nbdkit_arguments(const NbdkitCommand& c) {
  std::vector<std::string> a = {"nbdkit",    "--foreground", "--readonly",   "--exit-with-parent",
                                "--pidfile", c.pid_file,     "--tls=require"};
  if (!c.tls_certificates.empty()) {
    a.push_back("--tls-certificates=" + c.tls_certificates);
  } else {
    a.push_back("--tls-psk=" + c.tls_psk_file);
  }
  if (!c.listen.empty()) a.insert(a.end(), {"-i", c.listen});
  a.insert(a.end(), {"-p", c.port, "--filter=exportname", "file", "file=" + c.target, "exportname=" + c.export_name,
                     "default-export=" + c.export_name, "exportname-list=explicit", "exportname-strict=true",
                     "exportdesc=fixed:" + c.description});
  return a;
}

Result<NbdkitServer> NbdkitServer::start(const NbdkitCommand& c, const std::atomic<bool>* cancel) {
  const std::vector<std::string> args = nbdkit_arguments(c);
  std::vector<char*> argv;
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  NbdkitServer server;
  server.m_pid_file = c.pid_file;
  pid_t pid = -1;
  if (int rc = ::posix_spawnp(&pid, "nbdkit", nullptr, nullptr, argv.data(), environ); rc != 0) {
    if (rc == ENOENT) {
      return Error(ErrorCode::Unsupported, "nbdkit is not installed: exhibit serve runs it (apt-get install nbdkit)");
    }
    return Error::from_errno(ErrorCode::Io, "starting nbdkit", rc);
  }
  server.m_pid = pid;
  // Ready when the pid file exists: nbdkit writes it once it listens.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    struct stat st {};
    if (::stat(c.pid_file.c_str(), &st) == 0 && st.st_size > 0) return server;
    int status = 0;
    if (!server.running(&status)) {
      return Error(ErrorCode::Io,
                   "nbdkit ended before it listened (" + exit_status_text(status) + "; its message is above)");
    }
    if (cancel != nullptr && cancel->load()) return Error(ErrorCode::Cancelled, "interrupted before nbdkit listened");
    if (std::chrono::steady_clock::now() > deadline) {
      return Error(ErrorCode::Io, "nbdkit did not listen within 60 seconds");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool NbdkitServer::running(int* status) {
  if (m_pid <= 0) return false;
  int s = 0;
  const pid_t r = ::waitpid(m_pid, &s, WNOHANG);
  if (r == 0) return true;
  if (status != nullptr) *status = s;
  m_pid = -1;
  return false;
}

void NbdkitServer::stop() {
  if (m_pid <= 0) return;
  // nbdkit ends at SIGTERM once its connections end; a client that sends nothing (stopped, or
  // behind a dead link) holds a TLS connection open, so after 5 seconds it is killed (it serves
  // read-only: there is nothing of its own to write).
  ::kill(m_pid, SIGTERM);
  for (int i = 0; i < 250 && running(nullptr); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    int s = 0;
    while (::waitpid(m_pid, &s, 0) < 0 && errno == EINTR) {
    }
    m_pid = -1;
  }
  if (!m_pid_file.empty()) ::unlink(m_pid_file.c_str());
}

}  // namespace exhibit::io

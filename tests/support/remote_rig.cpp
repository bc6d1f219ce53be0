#include "remote_rig.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "test_support.hpp"

namespace exhibit::test {

int free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

std::string wait_until_ended(int pid) {
  const std::string stat = "/proc/" + std::to_string(pid) + "/stat";
  return "i=0; while [ -e " + stat + " ] && [ \"$(cut -d' ' -f3 " + stat +
         " 2>/dev/null)\" != Z ] && [ $i -lt 600 ]; "
         "do sleep 0.1; i=$((i+1)); done; ";
}

void write_psk_file(const std::string& path) {
  run("(umask 077; printf 'exhibit:%s\\n' \"$(openssl rand -hex 32)\" > " + sh_quote(path) + ")");
}

ServeRig::ServeRig(const std::string& device, const std::string& scratch, const std::string& extra, int port)
    : m_port(port != 0 ? port : free_tcp_port()) {
  static int counter = 0;
  const std::string name = "serve" + std::to_string(counter++);
  m_output = scratch + "/" + name + ".out";
  auto r = run(sh_quote(exhibit_bin()) + " serve " + sh_quote(device) + " --listen 127.0.0.1 --port " +
               std::to_string(m_port) + " " + extra + " >" + sh_quote(m_output) + " 2>&1 & echo $!");
  m_pid = std::atoi(r.out.c_str());
  // Ready when it printed the command to type (or ended).
  run("pid=" + std::to_string(m_pid) + "; i=0; until grep -q 'exhibit acquire' " + sh_quote(m_output) +
      " 2>/dev/null || ! kill -0 $pid 2>/dev/null || [ $i -ge 1200 ]; do sleep 0.1; i=$((i+1)); done");
  const std::string out = read_file(m_output);
  const size_t at = out.find("exhibit acquire ");
  if (at == std::string::npos) return;
  const size_t start = at + 16;
  m_uri = out.substr(start, out.find(' ', start) - start);
  // A fresh key is printed as "echo 'exhibit:HEX' > FILE"; a given one is the caller's file.
  const size_t echo = out.find("echo '");
  if (echo != std::string::npos) {
    const size_t key_start = echo + 6;
    m_key_file = scratch + "/" + name + ".psk";
    write_file(m_key_file, out.substr(key_start, out.find('\'', key_start) - key_start) + "\n");
  }
  m_ready = true;
}

std::string ServeRig::stop() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGINT);
    run(wait_until_ended(m_pid));
    m_pid = -1;
  }
  return read_file(m_output);
}

TlsNbdkit::TlsNbdkit(const std::string& file, const std::string& filters, const std::string& parameters,
                     const std::string& key_file, const std::string& scratch) {
  static int counter = 0;
  m_pid_file = scratch + "/nbdkit" + std::to_string(counter++) + ".pid";
  if (::access(key_file.c_str(), F_OK) != 0) write_psk_file(key_file);
  const int port = free_tcp_port();
  auto r = run("nbdkit --readonly --pidfile " + sh_quote(m_pid_file) +
               " --tls=require --tls-psk=" + sh_quote(key_file) + " -i 127.0.0.1 -p " + std::to_string(port) + " " +
               filters + " file " + sh_quote(file) + " " + parameters);
  if (r.exit_code != 0) return;
  run(wait_for_text(m_pid_file));
  m_uri = "nbds://127.0.0.1:" + std::to_string(port) + "/";
}

TlsNbdkit::~TlsNbdkit() {
  run("pid=$(cat " + sh_quote(m_pid_file) +
      " 2>/dev/null) && kill $pid && "
      "i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done");
}

}  // namespace exhibit::test

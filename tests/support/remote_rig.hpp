// The network rigs of the remote-acquisition tests, on loopback only (127.0.0.1): `exhibit serve`
// as the examiner runs it, and nbdkit serving a file with TLS through filters (bad sectors,
// delays) where the test needs what exhibit serve does not offer.
#pragma once

#include <string>

namespace exhibit::test {

// A TCP port on 127.0.0.1 that nothing listened on a moment ago (bound to port 0, then closed).
int free_tcp_port();

// `exhibit serve DEVICE --listen 127.0.0.1 --port P [EXTRA]` in the background, its output in
// `output`; ready() once it printed the line to type; the key it printed (or was given) in
// key_file(). stop() (and the destructor) interrupts it as Ctrl-C would and waits for it to end.
class ServeRig {
 public:
  // `port` 0: a free one.
  ServeRig(const std::string& device, const std::string& scratch, const std::string& extra = "", int port = 0);
  ~ServeRig() { stop(); }
  ServeRig(const ServeRig&) = delete;
  ServeRig& operator=(const ServeRig&) = delete;
  bool ready() const { return m_ready; }
  const std::string& uri() const { return m_uri; }
  const std::string& key_file() const { return m_key_file; }
  const std::string& output_file() const { return m_output; }
  int pid() const { return m_pid; }
  int port() const { return m_port; }
  // Ctrl-C, then waits until the process is gone; returns its output.
  std::string stop();

 private:
  std::string m_output, m_uri, m_key_file;
  int m_pid = -1;
  int m_port = 0;
  bool m_ready = false;
};

// nbdkit serving `file` read-only on 127.0.0.1 with TLS (the pre-shared key in `key_file`, made
// if missing) through `filters` ("--filter=ddrescue") and their `parameters`; stopped on destruction.
class TlsNbdkit {
 public:
  TlsNbdkit(const std::string& file, const std::string& filters, const std::string& parameters,
            const std::string& key_file, const std::string& scratch);
  ~TlsNbdkit();
  TlsNbdkit(const TlsNbdkit&) = delete;
  TlsNbdkit& operator=(const TlsNbdkit&) = delete;
  bool ok() const { return !m_uri.empty(); }
  const std::string& uri() const { return m_uri; }

 private:
  std::string m_pid_file, m_uri;
};

// Shell text: waits (at most a minute) until process `pid` has ended (gone, or a zombie nobody reaps).
std::string wait_until_ended(int pid);

// A fresh pre-shared key file "exhibit:HEX" at `path` (openssl rand).
void write_psk_file(const std::string& path);

}  // namespace exhibit::test

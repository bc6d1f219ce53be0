// exhibit serve: the device held read-only (io::open_source, as acquire holds it), its identity
// as the export description, nbdkit serving it with TLS; the read-only flag checked every second
// while it serves and put back when it ends.
#include "exhibit/serve.hpp"

#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "exhibit/version.hpp"
#include "io/block_source.hpp"
#include "io/nbd_address.hpp"
#include "io/nbdkit_server.hpp"
#include "io/served_identity.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

namespace exhibit {

namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// The address the other machine reaches this one by: --listen's, else the first address of an
// interface that is up and not loopback (IPv4 first), else the host name.
std::string reachable_address(const std::string& listen) {
  if (!listen.empty() && listen != "0.0.0.0" && listen != "::") return listen;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return host_name();
  std::string v4, v6;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || (i->ifa_flags & IFF_LOOPBACK) != 0 || (i->ifa_flags & IFF_UP) == 0) continue;
    const int family = i->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    char text[NI_MAXHOST] = {};
    const socklen_t len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (::getnameinfo(i->ifa_addr, len, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) continue;
    if (family == AF_INET && v4.empty()) v4 = text;
    if (family == AF_INET6 && v6.empty() && std::string(text).find('%') == std::string::npos) v6 = text;
  }
  ::freeifaddrs(list);
  return !v4.empty() ? v4 : !v6.empty() ? v6 : host_name();
}

std::string export_name_for(const ServeOptions& o, const SourceInfo& s) {
  if (!o.export_name.empty()) return o.export_name;
  if (!s.device_name.empty()) return s.device_name;
  return util::file_name(o.device);
}

// A private folder for the fresh key's file (nbdkit reads it at each connection): 0700, removed
// with what is in it when serving ends.
class KeyFolder {
 public:
  ~KeyFolder() {
    if (!m_file.empty()) ::unlink(m_file.c_str());
    if (!m_pid.empty()) ::unlink(m_pid.c_str());
    if (!m_dir.empty()) ::rmdir(m_dir.c_str());
  }
  Status make() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/exhibit-serve.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) return Error::from_errno(ErrorCode::Io, "making a key folder", errno);
    m_dir = pattern;
    m_pid = m_dir + "/nbdkit.pid";
    return Ok{};
  }
  Result<std::string> write_key(const io::PskKey& key) {
    m_file = m_dir + "/key.psk";
    util::UniqueFd fd(::open(m_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return Error::from_errno(ErrorCode::Io, "writing the key file", errno);
    const std::string line = key.line() + "\n";
    if (!util::write_full(fd.get(), line.data(), line.size())) {
      return Error::from_errno(ErrorCode::Io, "writing the key file", errno);
    }
    return m_file;
  }
  const std::string& pid_file() const { return m_pid; }

 private:
  std::string m_dir, m_file, m_pid;
};

}  // namespace

Status serve(const ServeOptions& o, const ServeHooks& hooks) {
  auto log = [&](const std::string& line) {
    if (hooks.log) hooks.log(util::iso8601_utc(std::time(nullptr)) + " " + line);
  };
  if (io::is_nbd_uri(o.device)) return Error(ErrorCode::InvalidArgument, "serve a local device, not " + o.device);
  if (!o.tls_psk_file.empty() && !o.tls_certificates.empty()) {
    return Error(ErrorCode::InvalidArgument, "give --tls-psk or --tls-cert, not both");
  }
  io::PskKey key;
  if (!o.tls_psk_file.empty()) {
    EXHIBIT_TRY(key, io::read_psk_file(o.tls_psk_file));
  }
  io::OpenOptions open;
  open.allow_mounted = o.allow_mounted;
  open.sector_size = o.sector_size;
  EXHIBIT_TRY(auto source, io::open_source(o.device, open));
  const SourceInfo& s = source->info();
  log("holding " + s.path + " (" + std::to_string(s.size) + " bytes, " + std::to_string(s.logical_sector_size) +
      "-byte sectors" + (s.model.empty() ? "" : ", model " + s.model) +
      (s.serial.empty() ? "" : ", serial " + s.serial) + ")");
  for (const auto& e : source->write_block().events) log("write-block: " + e);
  if (s.drive.hpa_sectors > 0 || s.drive.dco_sectors > 0) {
    log("HIDDEN AREA: " + std::to_string(s.drive.hpa_sectors) + " sectors behind a Host Protected Area, " +
        std::to_string(s.drive.dco_sectors) + " behind a Device Configuration Overlay: not served");
  }

  KeyFolder folder;
  EXHIBIT_CHECK(folder.make());
  io::NbdkitCommand c;
  c.target = s.path;
  c.listen = o.listen;
  c.port = o.port;
  c.export_name = export_name_for(o, s);
  c.pid_file = folder.pid_file();
  const BuildInfo& build = build_info();
  c.description = io::served_identity_text(s, source->write_block(), host_name(),
                                           "exhibit " + build.version + " (commit " + build.commit + ")");
  std::string tls;
  if (!o.tls_certificates.empty()) {
    c.tls_certificates = o.tls_certificates;
    tls = "TLS with the X.509 certificates in " + o.tls_certificates;
  } else {
    if (o.tls_psk_file.empty()) {
      EXHIBIT_TRY(key, io::fresh_psk("exhibit"));
      EXHIBIT_TRY(c.tls_psk_file, folder.write_key(key));
    } else {
      c.tls_psk_file = o.tls_psk_file;
    }
    tls = "TLS with a pre-shared key: identity '" + key.identity + "', key " + key.fingerprint();
  }
  EXHIBIT_TRY(io::NbdkitServer server, io::NbdkitServer::start(c, hooks.cancel));

  ServeReady ready;
  io::NbdAddress address{true, reachable_address(o.listen), o.port, c.export_name};
  ready.uri = address.uri();
  ready.device = s;
  ready.write_block = source->write_block();
  const std::string base = util::file_name(c.export_name).empty() ? "remote" : util::file_name(c.export_name);
  if (!o.tls_psk_file.empty()) {
    ready.command = "exhibit acquire " + ready.uri + " --tls-psk " + util::file_name(o.tls_psk_file) + " -o " + base;
  } else if (c.tls_certificates.empty()) {
    ready.key_line = key.line();
    ready.command = "(umask 077; echo '" + key.line() + "' > " + base + ".psk) && exhibit acquire " + ready.uri +
                    " --tls-psk " + base + ".psk -o " + base;
  } else {
    ready.command = "exhibit acquire " + ready.uri + " --tls-cert CA-FOLDER -o " + base;
  }
  log("serving " + ready.uri + " read-only (nbdkit, " + tls + ")");
  if (hooks.ready) hooks.ready(ready);

  // While it serves: the read-only flag and the size checked every second.
  Status outcome = Ok{};
  int status = 0;
  while (server.running(&status)) {
    if (hooks.cancel != nullptr && hooks.cancel->load()) {
      log("stopping: interrupted");
      break;
    }
    if (auto st = source->check_unchanged(); !st) {
      log("stopping: " + st.error().message());
      outcome = st.error();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const bool ended_by_itself = !server.running(&status);
  server.stop();
  if (ended_by_itself && outcome.ok() && !(hooks.cancel != nullptr && hooks.cancel->load())) {
    outcome = Error(ErrorCode::Io, "nbdkit stopped by itself (" + io::exit_status_text(status) + ")");
    log("stopping: " + outcome.error().message());
  }
  const size_t seen = source->write_block().events.size();
  source->release();
  const auto& events = source->write_block().events;
  for (size_t i = seen; i < events.size(); ++i) log("write-block: " + events[i]);
  log("served no more; " + s.path + " released");
  return outcome;
}

}  // namespace exhibit

#include "io/nbd_source.hpp"

#include <libnbd.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "io/nbd_address.hpp"
#include "io/served_identity.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

namespace exhibit::io {

namespace {

constexpr uint64_t k_max_request = uint64_t{32} << 20;  // libnbd refuses more than 64 MiB per request
constexpr auto k_connect_timeout = std::chrono::seconds(30);
constexpr auto k_silence_limit = std::chrono::seconds(120);  // requests in flight and no answer: the link is gone

struct NbdHandleDeleter {
  void operator()(nbd_handle* h) const { nbd_close(h); }
};
using NbdHandle = std::unique_ptr<nbd_handle, NbdHandleDeleter>;

// libnbd's last error on this thread ("" if none).
std::string last_error() {
  const char* e = nbd_get_error();
  return e != nullptr ? util::sanitize_for_terminal(e) : std::string("unknown error");
}

// One request's answer. Owned jointly by the reader waiting for it and by libnbd (through the
// completion callback's user data, released by its `free`), so a request still held by libnbd
// when a reader gives up on a dead link never points at freed memory.
struct Answer {
  bool done = false;
  int error = 0;
};

class NbdSource final : public BlockSource {
 public:
  NbdSource(NbdHandle h, SourceInfo info, uint64_t max_request)
      : m_h(std::move(h)), m_info(std::move(info)), m_max_request(max_request) {}

  ~NbdSource() override {
    m_stop = true;
    wake();
    if (m_driver.joinable()) m_driver.join();
    // A polite NBD_CMD_DISC, without waiting for it (nbd_shutdown would wait on a server that
    // may not answer); nbd_close then closes the socket.
    if (!m_dead) (void)nbd_aio_disconnect(m_h.get(), 0);
  }

  Status start() {
    m_wake = util::UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!m_wake) return Error::from_errno(ErrorCode::Io, "eventfd", errno);
    m_driver = std::thread([this] { drive(); });
    return Ok{};
  }

  const SourceInfo& info() const override { return m_info; }
  const WriteBlockRecord& write_block() const override { return m_write_block; }
  void release() override {}

  Status check_unchanged() override {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_dead) return Error(ErrorCode::SourceGone, m_dead_reason, ENOTCONN);
    return Ok{};
  }

  Result<size_t> read_at(uint64_t offset, unsigned char* buf, size_t size) override {
    if (offset >= m_info.size) return size_t{0};
    const size_t length = static_cast<size_t>(std::min<uint64_t>(size, m_info.size - offset));
    std::vector<std::shared_ptr<Answer>> answers;
    int submit_errno = 0;
    std::string submit_error;
    for (size_t done = 0; done < length; done += m_max_request) {
      const size_t part = static_cast<size_t>(std::min<uint64_t>(m_max_request, length - done));
      auto answer = std::make_shared<Answer>();
      auto* held = new std::shared_ptr<Answer>(answer);
      nbd_completion_callback cb{};
      cb.callback = &NbdSource::on_answer;
      cb.user_data = new Callback{this, held};
      cb.free = &NbdSource::on_free;
      if (nbd_aio_pread(m_h.get(), buf + done, part, offset + done, cb, 0) == -1) {
        submit_errno = nbd_get_errno() != 0 ? nbd_get_errno() : EIO;
        submit_error = last_error();
        break;
      }
      answers.push_back(std::move(answer));
    }
    wake();
    std::unique_lock<std::mutex> lock(m_mutex);
    m_cv.wait(lock, [&] {
      return m_dead || std::all_of(answers.begin(), answers.end(), [](const auto& a) { return a->done; });
    });
    const std::string where = "reading " + m_info.path + " at byte " + std::to_string(offset);
    if (m_dead) return Error(ErrorCode::SourceGone, where + ": " + m_dead_reason, ENOTCONN);
    for (const auto& a : answers) {
      if (a->error != 0) {
        return Error::from_errno(ErrorCode::Io, where + " (the server's answer)", a->error);
      }
    }
    if (submit_errno != 0) return Error(ErrorCode::Io, where + ": " + submit_error, submit_errno);
    return length;
  }

 private:
  struct Callback {
    NbdSource* self;
    std::shared_ptr<Answer>* answer;
  };

  static int on_answer(void* user, int* error) {
    auto* c = static_cast<Callback*>(user);
    {
      std::lock_guard<std::mutex> lock(c->self->m_mutex);
      (*c->answer)->done = true;
      (*c->answer)->error = *error;
      c->self->m_last_answer = std::chrono::steady_clock::now();
    }
    c->self->m_cv.notify_all();
    return 1;  // retire the command
  }

  static void on_free(void* user) {
    auto* c = static_cast<Callback*>(user);
    delete c->answer;
    delete c;
  }

  void wake() {
    if (!m_wake) return;
    const uint64_t one = 1;
    (void)!::write(m_wake.get(), &one, sizeof one);
  }

  void mark_dead(const std::string& why) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (!m_dead) m_dead_reason = why;
      m_dead = true;
    }
    m_cv.notify_all();
  }

  // The one thread that moves the connection: waits for the socket (in the direction libnbd
  // needs) or a new request, and lets libnbd read answers and send what is queued.
  void drive() {
    nbd_handle* h = m_h.get();
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_last_answer = std::chrono::steady_clock::now();
    }
    while (!m_stop) {
      if (nbd_aio_is_dead(h) != 0 || nbd_aio_is_closed(h) != 0) {
        mark_dead("the connection to the server closed");
        return;
      }
      const int fd = nbd_aio_get_fd(h);
      const unsigned dir = nbd_aio_get_direction(h);
      pollfd fds[2] = {{fd, 0, 0}, {m_wake.get(), POLLIN, 0}};
      if ((dir & LIBNBD_AIO_DIRECTION_READ) != 0) fds[0].events |= POLLIN;
      if ((dir & LIBNBD_AIO_DIRECTION_WRITE) != 0) fds[0].events |= POLLOUT;
      if (::poll(fds, 2, 200) < 0 && errno != EINTR) {
        mark_dead(std::string("poll: ") + std::strerror(errno));
        return;
      }
      if ((fds[1].revents & POLLIN) != 0) {
        uint64_t count = 0;
        (void)!::read(m_wake.get(), &count, sizeof count);
      }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && nbd_aio_notify_read(h) == -1) {
        mark_dead("the connection to the server failed: " + last_error());
        return;
      }
      if ((fds[0].revents & POLLOUT) != 0 && nbd_aio_notify_write(h) == -1) {
        mark_dead("the connection to the server failed: " + last_error());
        return;
      }
      if (nbd_aio_in_flight(h) > 0) {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (std::chrono::steady_clock::now() - m_last_answer > k_silence_limit) {
          m_dead = true;
          m_dead_reason = "the server sent no answer for " + std::to_string(k_silence_limit.count()) +
                          " seconds with reads in flight";
          m_cv.notify_all();
          return;
        }
      } else {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_last_answer = std::chrono::steady_clock::now();
      }
    }
  }

  NbdHandle m_h;
  SourceInfo m_info;
  const uint64_t m_max_request;
  WriteBlockRecord m_write_block;  // not applicable here: the serving side holds the device
  util::UniqueFd m_wake;
  std::thread m_driver;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_dead = false;
  std::string m_dead_reason;
  std::chrono::steady_clock::time_point m_last_answer;
};

// Refuses what the address and the access options do not allow together, before any packet.
Result<std::string> check_access(const NbdAddress& a, const RemoteAccess& access, PskKey* key) {
  if (!a.tls) {
    if (!access.tls_psk_file.empty() || !access.tls_certificates.empty()) {
      return Error(ErrorCode::InvalidArgument, "--tls-psk and --tls-cert are for nbds:// addresses; " + a.uri() +
                                                   " is plaintext (write nbds:// to use TLS)");
    }
    if (access.insecure) return std::string("none: plaintext NBD (--insecure)");
    EXHIBIT_TRY(const bool loopback, is_loopback_host(a.host));
    if (!loopback) {
      return Error(ErrorCode::InvalidArgument,
                   "plaintext " + a.uri() +
                       " would carry the evidence unencrypted to another machine: use nbds:// "
                       "with --tls-psk (the key exhibit serve printed), or --insecure to accept that");
    }
    return std::string("none: plaintext NBD on this machine's loopback");
  }
  if (!access.tls_psk_file.empty() && !access.tls_certificates.empty()) {
    return Error(ErrorCode::InvalidArgument, "give --tls-psk or --tls-cert, not both");
  }
  if (!access.tls_psk_file.empty()) {
    EXHIBIT_TRY(*key, read_psk_file(access.tls_psk_file));
    return "TLS with a pre-shared key: identity '" + key->identity + "', key " + key->fingerprint();
  }
  if (!access.tls_certificates.empty()) {
    return "TLS with X.509 certificates: the server's certificate checked against the CA in " +
           access.tls_certificates + " for host " + a.host;
  }
  return Error(ErrorCode::InvalidArgument, a.uri() +
                                               " needs --tls-psk FILE (the key exhibit serve printed) or "
                                               "--tls-cert FOLDER");
}

// Why a connection failed, in the examiner's words: a key the server refused is a usage error,
// a server that is not there (or went away) a source that cannot be read now.
Error connect_error(const NbdAddress& a, const std::string& what, int err) {
  const std::string lower = [&] {
    std::string s = what;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  }();
  if (lower.find("no export") != std::string::npos || err == ENOENT) {
    return Error(ErrorCode::InvalidArgument,
                 a.uri() + ": the server has no export '" + util::sanitize_for_terminal(a.export_name) + "': " + what);
  }
  if (lower.find("gnutls") != std::string::npos || lower.find("tls") != std::string::npos) {
    return Error(ErrorCode::InvalidArgument, "the TLS handshake with " + a.uri() +
                                                 " failed (a wrong key or certificate, or the server "
                                                 "wants another): " +
                                                 what);
  }
  return Error(ErrorCode::SourceGone,
               "cannot connect to " + a.uri() + ": " + what + " (is exhibit serve running there?)", err);
}

Status connect(nbd_handle* h, const NbdAddress& a) {
  if (nbd_aio_connect_tcp(h, a.host.c_str(), a.port.c_str()) == -1) {
    return connect_error(a, last_error(), nbd_get_errno());
  }
  const auto deadline = std::chrono::steady_clock::now() + k_connect_timeout;
  while (nbd_aio_is_ready(h) == 0) {
    if (nbd_aio_is_dead(h) != 0 || nbd_aio_is_closed(h) != 0) return connect_error(a, last_error(), nbd_get_errno());
    if (std::chrono::steady_clock::now() > deadline) {
      return Error(ErrorCode::SourceGone, "cannot connect to " + a.uri() + ": no answer within " +
                                              std::to_string(k_connect_timeout.count()) + " seconds");
    }
    if (nbd_poll(h, 1000) == -1) return connect_error(a, last_error(), nbd_get_errno());
  }
  return Ok{};
}

}  // namespace

std::string nbdcopy_operand(const std::string& uri, const RemoteAccess& access) {
  // libnbd's URIs name the pre-shared key's identity as the user: nbds://IDENTITY@HOST/...
  std::string address = uri;
  if (!access.tls_psk_file.empty()) {
    if (auto key = read_psk_file(access.tls_psk_file); key && uri.rfind("nbds://", 0) == 0) {
      address = "nbds://" + key->identity + "@" + uri.substr(7);
    }
    address += "?tls-psk-file=" + access.tls_psk_file;
  } else if (!access.tls_certificates.empty()) {
    address += "?tls-certificates=" + access.tls_certificates;
  }
  return "<(nbdcopy " + util::shell_quote(address) + " -)";
}

Result<std::unique_ptr<BlockSource>> open_nbd_source(const std::string& uri, const RemoteAccess& access) {
  EXHIBIT_TRY(const NbdAddress a, parse_nbd_uri(uri));
  PskKey key;
  EXHIBIT_TRY(const std::string tls, check_access(a, access, &key));
  NbdHandle h(nbd_create());
  if (!h) return Error(ErrorCode::Io, "libnbd: " + last_error());
  bool set = nbd_set_export_name(h.get(), a.export_name.c_str()) == 0 && nbd_set_full_info(h.get(), true) == 0;
  if (a.tls) {
    set = set && nbd_set_tls(h.get(), LIBNBD_TLS_REQUIRE) == 0;
    if (!access.tls_psk_file.empty()) {
      set = set && nbd_set_tls_psk_file(h.get(), access.tls_psk_file.c_str()) == 0 &&
            nbd_set_tls_username(h.get(), key.identity.c_str()) == 0;
    } else {
      set = set && nbd_set_tls_certificates(h.get(), access.tls_certificates.c_str()) == 0 &&
            nbd_set_tls_verify_peer(h.get(), true) == 0;
    }
  }
  if (!set) return Error(ErrorCode::InvalidArgument, a.uri() + ": " + last_error());
  EXHIBIT_CHECK(connect(h.get(), a));
  if (a.tls && nbd_get_tls_negotiated(h.get()) != 1) {
    return Error(ErrorCode::InvalidArgument, a.uri() + ": the server did not negotiate TLS");
  }
  const int64_t size = nbd_get_size(h.get());
  if (size < 0) return Error(ErrorCode::Io, a.uri() + ": the export's size: " + last_error());

  SourceInfo info;
  info.path = a.uri();
  info.device_name = a.export_name;
  info.size = static_cast<uint64_t>(size);
  info.remote.uri = a.uri();
  info.remote.tls = tls;
  info.remote.server_read_only = nbd_is_read_only(h.get()) == 1;
  const int64_t minimum = nbd_get_block_size(h.get(), LIBNBD_SIZE_MINIMUM);
  info.logical_sector_size = minimum > 0 && is_sector_size(static_cast<uint64_t>(minimum))
                                 ? static_cast<uint32_t>(minimum)
                                 : 512;
  info.physical_sector_size = info.logical_sector_size;
  if (char* d = nbd_get_export_description(h.get()); d != nullptr) {
    const std::string description(d);
    std::free(d);
    EXHIBIT_CHECK(apply_served_identity(description, info.size, info));
  }
  info.transport = info.transport.empty() ? "nbd" : info.transport + " via nbd";
  const int64_t maximum = nbd_get_block_size(h.get(), LIBNBD_SIZE_MAXIMUM);
  const uint64_t sector = info.logical_sector_size;
  const uint64_t most = maximum >= static_cast<int64_t>(sector)
                            ? std::min<uint64_t>(static_cast<uint64_t>(maximum), k_max_request)
                            : k_max_request;
  auto source = std::make_unique<NbdSource>(std::move(h), std::move(info), most / sector * sector);
  EXHIBIT_CHECK(source->start());
  return std::unique_ptr<BlockSource>(std::move(source));
}

}  // namespace exhibit::io

// Where a remote source is (nbd:// and nbds:// URIs) and the pre-shared TLS key that opens it:
// parsed strictly, since both come from what an examiner typed or copied.
#pragma once

#include <string>

#include "exhibit/error.hpp"

namespace exhibit::io {

inline constexpr const char* k_nbd_default_port = "10809";  // IANA's port for NBD

struct NbdAddress {
  bool tls = false;         // nbds://
  std::string host;         // a name, an IPv4 address or an IPv6 address (without its brackets)
  std::string port;         // decimal, 1-65535
  std::string export_name;  // percent-decoded; "" is the server's default export
  std::string uri() const;  // the canonical form, as records and messages show it
};

// True for text that names a remote source (starts with nbd://, nbds://, or another NBD scheme
// such as nbd+unix:// that is refused by name), so that it is never taken for a file name.
bool is_nbd_uri(const std::string& text);

// nbds://HOST[:PORT]/EXPORT or nbd://...; InvalidArgument for anything else (user names, queries,
// Unix sockets and ports out of range are refused by name).
Result<NbdAddress> parse_nbd_uri(const std::string& text);

// Whether every address `host` resolves to is this machine's loopback (127.0.0.0/8, ::1); NotFound
// if it does not resolve.
Result<bool> is_loopback_host(const std::string& host);

// A TLS pre-shared key: the identity and the key, as nbdkit and GnuTLS read them ("IDENTITY:HEX").
struct PskKey {
  std::string identity;
  std::string hex;  // at least 128 bits
  std::string line() const { return identity + ":" + hex; }
  std::string fingerprint() const;  // "sha256:" and the first 16 hex digits of the key's SHA-256
};

// A key file of one "IDENTITY:HEX" line (as `exhibit serve` prints it): InvalidArgument, naming
// the line's problem, for anything else. The key is never put in a message.
Result<PskKey> read_psk_file(const std::string& path);
// 256 random bits from OpenSSL's generator under `identity`.
Result<PskKey> fresh_psk(const std::string& identity);

}  // namespace exhibit::io

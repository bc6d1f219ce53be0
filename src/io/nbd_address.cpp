#include "io/nbd_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

#include "exhibit/digest.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::io {

namespace {

Error bad_uri(const std::string& text, const std::string& why) {
  std::string message = "'";
  message += util::sanitize_for_terminal(text);
  message += "' is not a usable source address: ";
  message += why;
  message += " (give nbds://HOST[:PORT]/EXPORT, as exhibit serve prints it)";
  return Error(ErrorCode::InvalidArgument, message);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// %XX escapes decoded; nullopt for a malformed one or a NUL.
std::optional<std::string> percent_decoded(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    auto byte = i + 2 < s.size() ? util::from_hex(s.substr(i + 1, 2)) : std::nullopt;
    if (!byte || byte->front() == 0) return std::nullopt;
    out += static_cast<char>(byte->front());
    i += 2;
  }
  return out;
}

bool valid_port(const std::string& p) {
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  const long v = std::stol(p);
  return v >= 1 && v <= 65535;
}

}  // namespace

std::string NbdAddress::uri() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string name;
  for (unsigned char c : export_name) {
    static const char k_hex[] = "0123456789ABCDEF";
    if (std::isalnum(c) || std::string("-._~/").find(static_cast<char>(c)) != std::string::npos) {
      name += static_cast<char>(c);
    } else {
      name += '%';
      name += k_hex[c >> 4];
      name += k_hex[c & 15];
    }
  }
  std::string out = tls ? "nbds://" : "nbd://";
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  out += ':';
  out += port;
  out += '/';
  out += name;
  return out;
}

bool is_nbd_uri(const std::string& text) {
  return starts_with(text, "nbd://") || starts_with(text, "nbds://") || starts_with(text, "nbd+") ||
         starts_with(text, "nbds+");
}

Result<NbdAddress> parse_nbd_uri(const std::string& text) {
  NbdAddress a;
  std::string rest;
  if (starts_with(text, "nbds://")) {
    a.tls = true;
    rest = text.substr(7);
  } else if (starts_with(text, "nbd://")) {
    rest = text.substr(6);
  } else if (starts_with(text, "nbd+") || starts_with(text, "nbds+")) {
    return bad_uri(text, "only TCP is supported (nbd:// or nbds://), not " + text.substr(0, text.find("://")));
  } else {
    return bad_uri(text, "it does not start with nbds:// or nbd://");
  }
  if (rest.find_first_of("?#") != std::string::npos) {
    return bad_uri(text, "query and fragment parts are not read (give the key with --tls-psk)");
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  const std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (authority.find('@') != std::string::npos) {
    return bad_uri(text, "a user name in the address is not read (the key file names its identity)");
  }
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return bad_uri(text, "an IPv6 address without its closing ]");
    a.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad_uri(text, "text after the IPv6 address");
    a.port = after.empty() ? "" : after.substr(1);
  } else {
    const size_t colon = authority.find(':');
    a.host = authority.substr(0, colon);
    a.port = colon == std::string::npos ? "" : authority.substr(colon + 1);
  }
  if (a.host.empty()) return bad_uri(text, "no host");
  if (a.host.find_first_of(" \t\r\n/\\") != std::string::npos) return bad_uri(text, "the host has spaces or slashes");
  if (a.port.empty()) a.port = k_nbd_default_port;
  if (!valid_port(a.port)) return bad_uri(text, "the port is not a number from 1 to 65535");
  auto name = percent_decoded(path);
  if (!name) return bad_uri(text, "a malformed %-escape in the export name");
  if (name->size() > 4096) return bad_uri(text, "the export name is longer than NBD's 4096 bytes");
  a.export_name = *name;
  return a;
}

Result<bool> is_loopback_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return Error(ErrorCode::NotFound, "host " + util::sanitize_for_terminal(host) + ": " + ::gai_strerror(rc));
  }
  bool all_loopback = found != nullptr;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      all_loopback = all_loopback && (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    } else if (a->ai_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      all_loopback = all_loopback && IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
    } else {
      all_loopback = false;
    }
  }
  ::freeaddrinfo(found);
  return all_loopback;
}

std::string PskKey::fingerprint() const {
  const auto bytes = util::from_hex(hex).value_or(std::vector<unsigned char>{});
  auto set = DigestSet::create({"sha256"});
  if (!set) return "";
  set->update(bytes.data(), bytes.size());
  return "sha256:" + set->finish().front().hex.substr(0, 16);
}

Result<PskKey> read_psk_file(const std::string& path) {
  auto read = util::read_small_file(path, "TLS key file", 4096);
  if (!read) {
    const Error& e = read.error();
    return Error(e.code() == ErrorCode::Corruption ? ErrorCode::InvalidArgument : e.code(), e.message(), e.sys_errno());
  }
  std::string text = std::move(*read);
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::InvalidArgument, "TLS key file " + path + ": " + why +
                                                 " (it holds one line IDENTITY:HEXKEY, as exhibit serve prints it)");
  };
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.find('\n') != std::string::npos) return bad("more than one line");
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return bad("no IDENTITY: before the key");
  PskKey key{text.substr(0, colon), text.substr(colon + 1)};
  if (key.identity.find_first_of(" \t:") != std::string::npos) return bad("the identity has spaces or colons");
  if (!util::from_hex(key.hex)) return bad("the key is not hexadecimal");
  if (key.hex.size() < 32) return bad("the key is shorter than 128 bits");
  return key;
}

Result<PskKey> fresh_psk(const std::string& identity) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Error(ErrorCode::Io, "OpenSSL's random generator gave no key");
  }
  return PskKey{identity, util::to_hex(bytes, sizeof bytes)};
}

}  // namespace exhibit::io

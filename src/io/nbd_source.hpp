// A source on another machine, read over NBD (with TLS) through libnbd's asynchronous API: every
// reader thread's request goes out at once and one thread drives the connection, so a link's
// latency is paid once per request in flight, not once per request.
#pragma once

#include <memory>
#include <string>

#include "exhibit/source_info.hpp"
#include "io/block_source.hpp"

namespace exhibit::io {

// Connects to `uri` (nbds://HOST[:PORT]/EXPORT, or nbd://) as `access` allows: TLS with a
// pre-shared key or certificates for nbds://, plaintext only on loopback or with `insecure`.
// Errors: InvalidArgument (a refused address, a wrong key, an export the server does not have),
// SourceGone (no server there, or it went away).
Result<std::unique_ptr<BlockSource>> open_nbd_source(const std::string& uri, const RemoteAccess& access);

// A bash operand that reads the same export with libnbd's nbdcopy, with the same key or
// certificates: `<(nbdcopy 'nbds://IDENTITY@H:P/E?tls-psk-file=F' -)`, for repeat commands.
std::string nbdcopy_operand(const std::string& uri, const RemoteAccess& access);

}  // namespace exhibit::io

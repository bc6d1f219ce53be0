// Serving a device read-only over NBD with TLS, so that it can be acquired from another machine
// (`exhibit acquire nbds://...`): the device held as acquire holds it (the kernel's read-only
// flag set and checked, O_EXCL, a read-write mount refused), its identity read behind the bus
// and offered as the export's description, nbdkit serving it read-only with TLS required.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit {

struct ServeOptions {
  std::string device;            // block device (or file) to serve; never written
  std::string listen;            // address to listen on ("": every address of this machine)
  std::string port = "10809";    // TCP port
  std::string export_name;       // "": the device's kernel name (sdb), or the file's name
  std::string tls_psk_file;      // serve with this key (IDENTITY:HEX); "": a fresh key, printed once
  std::string tls_certificates;  // nbdkit's --tls-certificates folder, instead of a pre-shared key
  bool allow_mounted = false;    // serve a device mounted read-write (a live system)
  uint32_t sector_size = 0;      // for a file: bytes per sector (0: 512)
};

// What the examiner on the other side needs, once the server listens.
struct ServeReady {
  std::string uri;       // nbds://HOST:PORT/EXPORT
  std::string key_line;  // IDENTITY:HEX of a pre-shared key ("" with certificates)
  std::string command;   // the one line to type on the acquiring machine
  SourceInfo device;     // what is served, as acquire would record it
  WriteBlockRecord write_block;
};

struct ServeHooks {
  const std::atomic<bool>* cancel = nullptr;     // set: stop serving, restore, return
  std::function<void(const std::string&)> log;   // one line of what was done, as it is done
  std::function<void(const ServeReady&)> ready;  // the server listens
};

// Serves until `hooks.cancel` is set or nbdkit ends; restores the device's read-only flag and
// removes a fresh key's file before it returns. Errors: InvalidArgument (a mounted device, bad
// options), NotFound, Unsupported (no nbdkit), Io (nbdkit failed).
Status serve(const ServeOptions& options, const ServeHooks& hooks);

}  // namespace exhibit

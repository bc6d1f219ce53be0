#include "exhibit/version.hpp"

#include <bzlib.h>
#include <isa-l.h>
#include <libewf.h>
#include <libnbd.h>
#include <openssl/crypto.h>
#include <sys/utsname.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>

#include "exhibit_commit.h"  // generated at build time: EXHIBIT_GIT_COMMIT

namespace exhibit {

const BuildInfo& build_info() {
  static const BuildInfo info = [] {
    BuildInfo b;
    b.version = EXHIBIT_VERSION;
    b.commit = EXHIBIT_GIT_COMMIT;
    b.libraries = {
        {"libewf", libewf_get_version(), true},
        // "OpenSSL 3.0.17 1 Jul 2025": the version word alone.
        {"OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING), true},
        {"zstd", ZSTD_versionString(), true},
        {"zlib", zlibVersion(), true},
        {"bzip2",
         [] {
           std::string v = BZ2_bzlibVersion();  // "1.0.8, 13-Jul-2019"
           return v.substr(0, v.find(','));
         }(),
         true},
        // libnbd reads remote sources (acquire nbds://); its version comes from a handle.
        {"libnbd",
         [] {
           nbd_handle* h = nbd_create();
           const char* v = h != nullptr ? nbd_get_version(h) : nullptr;
           std::string out = v != nullptr ? v : "unknown";
           if (h != nullptr) nbd_close(h);
           return out;
         }(),
         true},
        {"ISA-L",
         std::to_string(ISAL_MAJOR_VERSION) + "." + std::to_string(ISAL_MINOR_VERSION) + "." +
             std::to_string(ISAL_PATCH_VERSION),
         false},
    };
    return b;
  }();
  return info;
}

std::string libraries_text() {
  std::string out;
  for (const auto& l : build_info().libraries) {
    if (!out.empty()) out += ", ";
    out += l.name + " " + l.version + (l.at_run_time ? "" : " (built with)");
  }
  return out;
}

HostInfo host_info() {
  HostInfo h;
  struct utsname u {};
  const bool named = ::uname(&u) == 0;
  h.name = named ? u.nodename : "";
  std::string distribution;
  std::ifstream release("/etc/os-release");
  std::string line;
  // Its PRETTY_NAME="..." line; a file we did not write: a few short lines are read, no more.
  for (int i = 0; i < 64 && line.size() < 4096 && std::getline(release, line); ++i) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    distribution = line.substr(12);
    if (distribution.size() >= 2 && distribution.front() == '"' && distribution.back() == '"')
      distribution = distribution.substr(1, distribution.size() - 2);
    break;
  }
  const std::string kernel = named ? std::string(u.sysname) + " " + u.release + " " + u.machine : "Linux";
  h.os = distribution.empty() ? kernel : distribution + "; " + kernel;
  return h;
}

}  // namespace exhibit

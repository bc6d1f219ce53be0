// What built exhibit and what it runs with: its version, the commit it was built from, and the
// versions of the libraries that touch evidence (read at run time where the library can say,
// else as built). `exhibit --version` prints them; the log and the record carry the same.
#pragma once

#include <string>
#include <vector>

namespace exhibit {

struct ComponentVersion {
  std::string name;         // "libewf", "OpenSSL", "zstd", "zlib", "bzip2", "libnbd", "ISA-L"
  std::string version;      // as the library gives it
  bool at_run_time = true;  // false: the version built against (the library cannot say at run time)
};

struct BuildInfo {
  std::string version;  // exhibit's: "0.1.0"
  std::string commit;   // the source's git commit ("...-dirty" with uncommitted changes), or "unknown"
  std::vector<ComponentVersion> libraries;
};

const BuildInfo& build_info();

// "libewf 20140813, OpenSSL 3.0.17, ...": the libraries on one line.
std::string libraries_text();

// The machine a run is on, for the reports: its host name and its operating system
// ("Debian GNU/Linux 12 (bookworm); Linux 6.1.0-28-amd64 x86_64": /etc/os-release's name, then uname).
struct HostInfo {
  std::string name;
  std::string os;
};
HostInfo host_info();

}  // namespace exhibit

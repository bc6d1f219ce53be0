#include "core/header_notes.hpp"

namespace exhibit::core {

std::string remote_note(const std::string& uri, const std::string& host, const std::string& device) {
  if (uri.empty()) return "";
  std::string from = device.empty() ? "" : " of " + device + (host.empty() ? "" : " on " + host);
  return "[exhibit: read over the network from " + uri + from + "]";
}

std::string notes_with_warnings(const std::string& notes, uint64_t hpa_sectors, uint64_t dco_sectors,
                                const std::string& remote) {
  std::string out = notes;
  auto add = [&](const std::string& w) {
    if (!out.empty()) out += ' ';
    out += w;
  };
  if (!remote.empty()) add(remote);
  if (hpa_sectors > 0) {
    add("[exhibit: a Host Protected Area hides " + std::to_string(hpa_sectors) + " sectors not in this image]");
  }
  if (dco_sectors > 0) {
    add("[exhibit: a Device Configuration Overlay hides " + std::to_string(dco_sectors) +
        " sectors not in this image]");
  }
  return out;
}

}  // namespace exhibit::core

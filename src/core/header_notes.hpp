// The notes an E01 header carries: the examiner's notes, then what the image must say about
// itself (areas of the drive hidden from the reported size, so not in the image). acquire writes
// them into the header; verify expects exactly them when it compares the record with the image.
#pragma once

#include <cstdint>
#include <string>

namespace exhibit::core {

// `remote`: remote_note's text for a source read over NBD ("" for a local one).
std::string notes_with_warnings(const std::string& notes, uint64_t hpa_sectors, uint64_t dco_sectors,
                                const std::string& remote = "");

// "[exhibit: read over the network from URI of DEVICE on HOST]", or "" without a URI.
std::string remote_note(const std::string& uri, const std::string& host, const std::string& device);

}  // namespace exhibit::core

// The export description `exhibit serve` offers over NBD: the served device's identity as the
// serving machine read it (behind the bus too), and its write-block steps, as one JSON object of
// at most NBD's 4096 bytes. The acquiring side records it as the server's claim.
#pragma once

#include <cstdint>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit::io {

inline constexpr size_t k_nbd_max_string = 4096;  // NBD's limit on names and descriptions

// A sector size a source may have: a power of two from 512 to 65536 bytes.
bool is_sector_size(uint64_t bytes);

// The description of `device` (opened and write-blocked as `wb` says) on `host`, by `tool`.
std::string served_identity_text(const SourceInfo& device, const WriteBlockRecord& wb, const std::string& host,
                                 const std::string& tool);

// Fills `info` (model, serial, firmware, sector sizes, drive, remote.host/device/write_block) from
// a description served with an export of `export_size` bytes. A description that is not exhibit
// serve's is kept as text only (remote.described_by_exhibit false). InvalidArgument when it is
// ours but names another size than the export has: the server is not serving what it describes.
Status apply_served_identity(const std::string& description, uint64_t export_size, SourceInfo& info);

}  // namespace exhibit::io

// What we know about an acquisition source: identity, geometry, write-block state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exhibit {

// What the drive says about itself behind the bus (ATA IDENTIFY over SG_IO, NVMe Identify,
// SCSI INQUIRY), asked with read-only commands only; and what it hides.
struct DriveIdentity {
  std::string method;  // the command set that answered ("" if none did)
  std::string status;  // "answered", or why not ("not supported by this device: ...")
  std::string model, serial, firmware;
  uint64_t user_sectors = 0;         // the size the drive reports
  uint64_t native_sectors = 0;       // READ NATIVE MAX ADDRESS + 1 (ATA), or 0 if unknown
  uint64_t hpa_sectors = 0;          // hidden by a Host Protected Area
  uint64_t dco_sectors = 0;          // hidden by a Device Configuration Overlay
  std::vector<std::string> details;  // every step tried and its answer, for the log
};

// How to reach a source on another machine (nbds://HOST[:PORT]/EXPORT, or nbd:// for plaintext), for
// acquire and verify --source.
struct RemoteAccess {
  std::string tls_psk_file;      // one line "IDENTITY:HEXKEY": the key `exhibit serve` printed
  std::string tls_certificates;  // a folder with ca-cert.pem (and client-cert.pem, client-key.pem)
  bool insecure = false;         // allow plaintext nbd:// to a host other than this machine
};

// A source read over the network (NBD): what the connection and its server said. The server's
// words are its claims, recorded as such; the bytes are checked as any source's are.
struct RemoteSource {
  std::string uri;                       // nbds://HOST:PORT/EXPORT as given (never a key)
  std::string tls;                       // how the link was secured, and the server's TLS identity
  bool server_read_only = false;         // the server offered the export read-only
  std::string description;               // the export description as served (terminal-safe, bounded)
  bool described_by_exhibit = false;     // the description is `exhibit serve`'s identity document
  std::string host, device, served_by;   // the serving machine, its device, the program serving
  std::vector<std::string> write_block;  // the serving side's write-block steps, as it said them
};

struct SourceInfo {
  std::string path;
  bool is_block_device = false;
  uint64_t size = 0;                    // bytes
  uint32_t logical_sector_size = 512;   // bytes; the unit of the image and of error ranges
  uint32_t physical_sector_size = 512;  // bytes
  bool removable = false;
  bool direct_io = false;   // read with O_DIRECT (page cache bypassed)
  std::string device_name;  // kernel name, e.g. "sdb", "loop3"
  std::string vendor, model, serial, firmware, transport;
  std::string loop_backing_file;    // for loop devices
  std::vector<std::string> mounts;  // "MOUNTPOINT (ro|rw)" of the device and its partitions
  DriveIdentity drive;              // block devices, and remote ones as their server described them
  RemoteSource remote;              // sources read over NBD (remote.uri not empty)
  bool is_remote() const { return !remote.uri.empty(); }
};

// What the software write-block did and saw, for the record.
struct WriteBlockRecord {
  bool applicable = false;          // block devices only
  bool was_read_only = false;       // kernel read-only flag before we started
  bool set_read_only = false;       // we set it (BLKROSET)
  bool verified = false;            // BLKROGET read back 1 before the first read
  bool restored = false;            // previous flag put back at the end
  bool exclusive_open = false;      // opened with O_EXCL
  bool cleared_during = false;      // someone cleared the read-only flag while we read (we set it again)
  std::vector<std::string> events;  // human-readable, in order
};

}  // namespace exhibit

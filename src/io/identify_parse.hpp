// Parsers for what a drive says about itself behind the bus: ATA IDENTIFY DEVICE and DEVICE
// CONFIGURATION IDENTIFY (ATA8-ACS), the ATA Status Return sense descriptor that carries READ
// NATIVE MAX ADDRESS EXT's answer (SAT), NVMe Identify Controller and Identify Namespace (NVMe
// base specification), SCSI INQUIRY and its Unit Serial Number page (SPC). Pure functions over
// response blocks, so they are tested against blocks built from the specifications.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace exhibit::io {

struct AtaIdentity {
  std::string model, serial, firmware;
  uint64_t user_sectors = 0;  // words 100-103 (48-bit) or 60-61
  bool lba48 = false;
  bool hpa_supported = false;  // word 82 bit 10
  bool hpa_enabled = false;    // word 85 bit 10
  bool dco_supported = false;  // word 83 bit 11
  uint32_t logical_sector_size = 512;
  uint32_t physical_sector_size = 512;
};
// `block` is the 512-byte IDENTIFY DEVICE data. nullopt if its integrity word (255) is present
// and wrong.
std::optional<AtaIdentity> parse_ata_identify(const uint8_t* block);

// DEVICE CONFIGURATION IDENTIFY data: the maximum LBA the device can be set to (words 3-6).
std::optional<uint64_t> parse_dco_max_lba(const uint8_t* block);

// The LBA in an ATA Status Return descriptor (code 0x09) of descriptor-format sense data, as SAT
// returns for a pass-through command with CK_COND (READ NATIVE MAX ADDRESS EXT's answer).
std::optional<uint64_t> parse_ata_return_lba(const uint8_t* sense, size_t size);

// Sectors hidden by a Host Protected Area (native max beyond the user size) and a Device
// Configuration Overlay (DCO max beyond the native max).
struct HiddenAreas {
  uint64_t hpa_sectors = 0;
  uint64_t dco_sectors = 0;
  bool any() const { return hpa_sectors > 0 || dco_sectors > 0; }
};
HiddenAreas hidden_areas(uint64_t user_sectors, std::optional<uint64_t> native_max_lba,
                         std::optional<uint64_t> dco_max_lba);

struct NvmeController {
  std::string model, serial, firmware;
  uint64_t total_capacity_bytes = 0;  // TNVMCAP (low 64 bits); 0 if not reported
};
std::optional<NvmeController> parse_nvme_controller(const uint8_t* block4096);

struct NvmeNamespace {
  uint64_t size_blocks = 0;      // NSZE
  uint64_t capacity_blocks = 0;  // NCAP
  uint64_t used_blocks = 0;      // NUSE
  uint32_t block_size = 0;       // of the format in use (FLBAS)
  unsigned formats = 0;          // LBA formats offered
};
std::optional<NvmeNamespace> parse_nvme_namespace(const uint8_t* block4096);

struct ScsiInquiry {
  std::string vendor, product, revision;
  unsigned peripheral_type = 0;
};
std::optional<ScsiInquiry> parse_scsi_inquiry(const uint8_t* data, size_t size);
// Unit Serial Number VPD page (0x80).
std::optional<std::string> parse_scsi_serial_page(const uint8_t* data, size_t size);

}  // namespace exhibit::io

#include "io/identify_parse.hpp"

#include <algorithm>

namespace exhibit::io {

namespace {

uint16_t word(const uint8_t* b, unsigned i) { return static_cast<uint16_t>(b[2 * i] | (b[2 * i + 1] << 8)); }

uint64_t le(const uint8_t* b, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = bytes; i-- > 0;) v = (v << 8) | b[i];
  return v;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  const auto b = s.find_first_not_of(' ');
  s = b == std::string::npos ? std::string() : s.substr(b);
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return s;
}

// ATA strings: two characters per word, the first in the high byte.
std::string ata_string(const uint8_t* b, unsigned first_word, unsigned words) {
  std::string s;
  for (unsigned i = first_word; i < first_word + words; ++i) {
    s += static_cast<char>(word(b, i) >> 8);
    s += static_cast<char>(word(b, i) & 0xff);
  }
  return trimmed(s);
}

std::string ascii(const uint8_t* b, size_t from, size_t to) {
  return trimmed(std::string(reinterpret_cast<const char*>(b) + from, to - from));
}

// Word 255: signature A5h in the low byte, and then all 512 bytes sum to zero.
bool integrity_ok(const uint8_t* block) {
  if (block[510] != 0xA5) return true;  // no integrity word
  unsigned sum = 0;
  for (unsigned i = 0; i < 512; ++i) sum += block[i];
  return (sum & 0xff) == 0;
}

}  // namespace

std::optional<AtaIdentity> parse_ata_identify(const uint8_t* b) {
  if (!integrity_ok(b)) return std::nullopt;
  AtaIdentity id;
  id.serial = ata_string(b, 10, 10);
  id.firmware = ata_string(b, 23, 4);
  id.model = ata_string(b, 27, 20);
  id.lba48 = (word(b, 83) & (1u << 10)) != 0;
  id.hpa_supported = (word(b, 82) & (1u << 10)) != 0;
  id.hpa_enabled = (word(b, 85) & (1u << 10)) != 0;
  id.dco_supported = (word(b, 83) & (1u << 11)) != 0;
  id.user_sectors = id.lba48 ? (uint64_t{word(b, 100)} | uint64_t{word(b, 101)} << 16 | uint64_t{word(b, 102)} << 32 |
                                uint64_t{word(b, 103)} << 48)
                             : (uint64_t{word(b, 60)} | uint64_t{word(b, 61)} << 16);
  const uint16_t w106 = word(b, 106);
  if ((w106 & 0xC000) == 0x4000) {
    if ((w106 & (1u << 12)) != 0) {
      id.logical_sector_size = 2 * (uint32_t{word(b, 117)} | uint32_t{word(b, 118)} << 16);
    }
    id.physical_sector_size = id.logical_sector_size;
    if ((w106 & (1u << 13)) != 0) id.physical_sector_size = id.logical_sector_size << (w106 & 0xF);
  }
  return id;
}

std::optional<uint64_t> parse_dco_max_lba(const uint8_t* b) {
  if (!integrity_ok(b) || word(b, 0) == 0) return std::nullopt;
  const uint64_t max = uint64_t{word(b, 3)} | uint64_t{word(b, 4)} << 16 | uint64_t{word(b, 5)} << 32 |
                       uint64_t{word(b, 6)} << 48;
  if (max == 0) return std::nullopt;
  return max;
}

std::optional<uint64_t> parse_ata_return_lba(const uint8_t* sense, size_t size) {
  if (size < 8 || ((sense[0] & 0x7f) != 0x72 && (sense[0] & 0x7f) != 0x73)) return std::nullopt;
  const size_t end = std::min<size_t>(size, 8 + static_cast<size_t>(sense[7]));
  for (size_t p = 8; p + 2 <= end;) {
    const uint8_t code = sense[p];
    const size_t len = 2 + static_cast<size_t>(sense[p + 1]);
    if (p + len > end) return std::nullopt;
    if (code == 0x09 && len >= 14) {
      const uint8_t* d = sense + p;
      if ((d[13] & 0x01) != 0 || d[3] != 0) return std::nullopt;  // ERR in the status: the command failed
      // All 48 bits: the command was a 48-bit one (some bridges leave EXTEND clear anyway).
      return uint64_t{d[7]} | uint64_t{d[9]} << 8 | uint64_t{d[11]} << 16 | uint64_t{d[6]} << 24 |
             uint64_t{d[8]} << 32 | uint64_t{d[10]} << 40;
    }
    p += len;
  }
  return std::nullopt;
}

HiddenAreas hidden_areas(uint64_t user_sectors, std::optional<uint64_t> native_max_lba,
                         std::optional<uint64_t> dco_max_lba) {
  HiddenAreas h;
  // A native maximum below the reported size is not an answer to trust (a bridge that did not
  // pass the command on): then nothing is claimed from it.
  uint64_t native = user_sectors;
  if (native_max_lba && *native_max_lba + 1 >= user_sectors) native = *native_max_lba + 1;
  if (native > user_sectors) h.hpa_sectors = native - user_sectors;
  if (dco_max_lba && *dco_max_lba + 1 > native) h.dco_sectors = *dco_max_lba + 1 - native;
  return h;
}

std::optional<NvmeController> parse_nvme_controller(const uint8_t* b) {
  NvmeController c;
  c.serial = ascii(b, 4, 24);
  c.model = ascii(b, 24, 64);
  c.firmware = ascii(b, 64, 72);
  c.total_capacity_bytes = le(b + 280, 8);
  if (c.model.empty() && c.serial.empty()) return std::nullopt;
  return c;
}

std::optional<NvmeNamespace> parse_nvme_namespace(const uint8_t* b) {
  NvmeNamespace n;
  n.size_blocks = le(b, 8);
  n.capacity_blocks = le(b + 8, 8);
  n.used_blocks = le(b + 16, 8);
  n.formats = static_cast<unsigned>(b[25]) + 1;
  const unsigned index = b[26] & 0x0f;
  if (index >= n.formats || n.size_blocks == 0) return std::nullopt;
  const auto lbaf = static_cast<uint32_t>(le(b + 128 + 4 * index, 4));
  const unsigned lbads = (lbaf >> 16) & 0xff;
  if (lbads < 9 || lbads > 31) return std::nullopt;
  n.block_size = 1u << lbads;
  return n;
}

std::optional<ScsiInquiry> parse_scsi_inquiry(const uint8_t* d, size_t size) {
  if (size < 36) return std::nullopt;
  ScsiInquiry q;
  q.peripheral_type = d[0] & 0x1f;
  q.vendor = ascii(d, 8, 16);
  q.product = ascii(d, 16, 32);
  q.revision = ascii(d, 32, 36);
  return q;
}

std::optional<std::string> parse_scsi_serial_page(const uint8_t* d, size_t size) {
  if (size < 4 || d[1] != 0x80) return std::nullopt;
  const size_t len = (static_cast<size_t>(d[2]) << 8) | d[3];
  if (4 + len > size) return std::nullopt;
  return ascii(d, 4, 4 + len);
}

}  // namespace exhibit::io

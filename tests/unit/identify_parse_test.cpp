// The identity parsers against response blocks built here from the specifications: ATA8-ACS
// IDENTIFY DEVICE (strings, capacity, sector sizes, integrity word) for a plain drive, a drive
// with a Host Protected Area and one with a Device Configuration Overlay; the SAT ATA Status
// Return descriptor; NVMe Identify Controller and Namespace; SCSI INQUIRY and VPD page 0x80.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "io/identify_parse.hpp"

using namespace exhibit::io;

namespace {

class AtaBlock {
 public:
  AtaBlock() { m_b.fill(0); }
  void word(unsigned i, uint16_t v) {
    m_b[2 * i] = static_cast<uint8_t>(v);
    m_b[2 * i + 1] = static_cast<uint8_t>(v >> 8);
  }
  // ATA strings: space-padded, the first character of each pair in the high byte.
  void text(unsigned first, unsigned words, std::string s) {
    s.resize(2 * words, ' ');
    for (unsigned i = 0; i < words; ++i) {
      word(first + i, static_cast<uint16_t>(static_cast<uint8_t>(s[2 * i]) << 8 | static_cast<uint8_t>(s[2 * i + 1])));
    }
  }
  void sectors48(uint64_t n) {
    for (unsigned i = 0; i < 4; ++i) word(100 + i, static_cast<uint16_t>(n >> (16 * i)));
  }
  const uint8_t* seal() {  // word 255: signature A5h, checksum so that all bytes sum to 0
    m_b[510] = 0xA5;
    unsigned sum = 0;
    for (unsigned i = 0; i < 511; ++i) sum += m_b[i];
    m_b[511] = static_cast<uint8_t>(-sum);
    return m_b.data();
  }
  std::array<uint8_t, 512>& bytes() { return m_b; }

 private:
  std::array<uint8_t, 512> m_b;
};

AtaBlock drive(uint64_t user_sectors) {
  AtaBlock b;
  b.text(10, 10, "WD-WCC4E1234567");
  b.text(23, 4, "82.00A82");
  b.text(27, 20, "WDC WD5000AAKX-00ERMA0");
  b.word(82, 1u << 10);                 // HPA feature set supported
  b.word(83, (1u << 10) | (1u << 11));  // 48-bit addresses, DCO supported
  b.word(85, 1u << 10);                 // HPA enabled
  b.word(60, 0xFFFF);
  b.word(61, 0x0FFF);  // 28-bit field saturated, as on drives over 128 GiB
  b.sectors48(user_sectors);
  b.word(106, 0x4000 | (1u << 13) | 3);  // valid; 8 logical sectors per physical (512e)
  return b;
}

// Descriptor-format sense data with an ATA Status Return descriptor holding `lba` (48-bit).
std::vector<uint8_t> ata_return(uint64_t lba) {
  std::vector<uint8_t> s(8 + 14, 0);
  s[0] = 0x72;
  s[7] = 14;
  uint8_t* d = s.data() + 8;
  d[0] = 0x09;
  d[1] = 12;
  d[2] = 1;  // EXTEND
  d[7] = static_cast<uint8_t>(lba);
  d[9] = static_cast<uint8_t>(lba >> 8);
  d[11] = static_cast<uint8_t>(lba >> 16);
  d[6] = static_cast<uint8_t>(lba >> 24);
  d[8] = static_cast<uint8_t>(lba >> 32);
  d[10] = static_cast<uint8_t>(lba >> 40);
  d[13] = 0x50;  // status: ready
  return s;
}

}  // namespace

TEST(AtaIdentify, StringsCapacityAndSectorSizes) {
  AtaBlock b = drive(976773168);
  auto id = parse_ata_identify(b.seal());
  ASSERT_TRUE(id);
  EXPECT_EQ(id->model, "WDC WD5000AAKX-00ERMA0");
  EXPECT_EQ(id->serial, "WD-WCC4E1234567");
  EXPECT_EQ(id->firmware, "82.00A82");
  EXPECT_TRUE(id->lba48);
  EXPECT_EQ(id->user_sectors, 976773168u);
  EXPECT_EQ(id->logical_sector_size, 512u);
  EXPECT_EQ(id->physical_sector_size, 4096u);
  EXPECT_TRUE(id->hpa_supported);
  EXPECT_TRUE(id->dco_supported);
}

TEST(AtaIdentify, AWrongIntegrityWordIsRefused) {
  AtaBlock b = drive(1000);
  b.seal();
  b.bytes()[54] ^= 0x01;  // one bit of the model changed after the checksum
  EXPECT_FALSE(parse_ata_identify(b.bytes().data()));
}

TEST(AtaIdentify, A4KnDriveReportsItsLogicalSectorSize) {
  AtaBlock b = drive(244190646);
  b.word(106, 0x4000 | (1u << 12));  // logical sector longer than 256 words
  b.word(117, 2048);                 // in words: 4096 bytes
  b.word(118, 0);
  auto id = parse_ata_identify(b.seal());
  ASSERT_TRUE(id);
  EXPECT_EQ(id->logical_sector_size, 4096u);
  EXPECT_EQ(id->physical_sector_size, 4096u);
}

TEST(HiddenAreas, AHostProtectedAreaFromReadNativeMaxAddress) {
  // The drive reports 976773168 user sectors; READ NATIVE MAX ADDRESS EXT answers 976773167 +
  // 2,000,000: an HPA of 2,000,000 sectors (about 1 GB) hides the end of the disk.
  const auto sense = ata_return(976773167 + 2000000);
  auto native = parse_ata_return_lba(sense.data(), sense.size());
  ASSERT_TRUE(native);
  EXPECT_EQ(*native, 978773167u);
  auto h = hidden_areas(976773168, native, std::nullopt);
  EXPECT_EQ(h.hpa_sectors, 2000000u);
  EXPECT_EQ(h.dco_sectors, 0u);
  EXPECT_TRUE(h.any());
  EXPECT_FALSE(hidden_areas(976773168, 976773167, std::nullopt).any()) << "native max = user size: nothing hidden";
}

TEST(HiddenAreas, ADeviceConfigurationOverlay) {
  // DEVICE CONFIGURATION IDENTIFY: revision 2, maximum LBA in words 3-6 beyond the native max.
  AtaBlock dco;
  dco.word(0, 0x0002);
  const uint64_t max_lba = 976773167 + 1048576;
  for (unsigned i = 0; i < 4; ++i) dco.word(3 + i, static_cast<uint16_t>(max_lba >> (16 * i)));
  auto dco_max = parse_dco_max_lba(dco.seal());
  ASSERT_TRUE(dco_max);
  EXPECT_EQ(*dco_max, max_lba);
  auto h = hidden_areas(976773168, uint64_t{976773167}, dco_max);
  EXPECT_EQ(h.hpa_sectors, 0u);
  EXPECT_EQ(h.dco_sectors, 1048576u);
  // Both at once: user < native < DCO max.
  auto both = hidden_areas(976773168 - 100, uint64_t{976773167}, dco_max);
  EXPECT_EQ(both.hpa_sectors, 100u);
  EXPECT_EQ(both.dco_sectors, 1048576u);
}

TEST(HiddenAreas, ImplausibleOrFailedAnswersClaimNothing) {
  // A native max below the reported size (a bridge that did not pass the command on) is ignored,
  // and then a DCO is measured from the reported size.
  EXPECT_FALSE(hidden_areas(976773168, uint64_t{0}, std::nullopt).any());
  auto h = hidden_areas(976773168, uint64_t{0}, uint64_t{976773167 + 10});
  EXPECT_EQ(h.hpa_sectors, 0u);
  EXPECT_EQ(h.dco_sectors, 10u);
  // ERR set in the returned status: the command was aborted, its LBA bytes mean nothing.
  auto s = ata_return(976773167 + 5000);
  s[8 + 13] = 0x51;
  s[8 + 3] = 0x04;  // ABRT
  EXPECT_FALSE(parse_ata_return_lba(s.data(), s.size()));
  // EXTEND left clear by a bridge: still all 48 bits.
  auto e = ata_return(uint64_t{5} << 32);
  e[8 + 2] = 0;
  EXPECT_EQ(parse_ata_return_lba(e.data(), e.size()).value_or(0), uint64_t{5} << 32);
}

TEST(AtaReturn, FixedFormatOrMissingDescriptorIsNothing) {
  std::vector<uint8_t> fixed(18, 0);
  fixed[0] = 0x70;
  EXPECT_FALSE(parse_ata_return_lba(fixed.data(), fixed.size()));
  auto s = ata_return(5);
  s[8] = 0x00;  // another descriptor type
  EXPECT_FALSE(parse_ata_return_lba(s.data(), s.size()));
  auto truncated = ata_return(5);
  EXPECT_FALSE(parse_ata_return_lba(truncated.data(), 12));
}

TEST(NvmeIdentify, ControllerAndNamespace) {
  std::vector<uint8_t> ctrl(4096, 0);
  auto put = [](std::vector<uint8_t>& b, size_t at, size_t len, const std::string& s) {
    for (size_t i = 0; i < len; ++i) b[at + i] = i < s.size() ? static_cast<uint8_t>(s[i]) : ' ';
  };
  put(ctrl, 4, 20, "S64ANS0T123456");
  put(ctrl, 24, 40, "Samsung SSD 980 1TB");
  put(ctrl, 64, 8, "2B4QFXO7");
  const uint64_t cap = 1000204886016;
  for (unsigned i = 0; i < 8; ++i) ctrl[280 + i] = static_cast<uint8_t>(cap >> (8 * i));
  auto c = parse_nvme_controller(ctrl.data());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->serial, "S64ANS0T123456");
  EXPECT_EQ(c->model, "Samsung SSD 980 1TB");
  EXPECT_EQ(c->firmware, "2B4QFXO7");
  EXPECT_EQ(c->total_capacity_bytes, cap);

  std::vector<uint8_t> ns(4096, 0);
  auto u64 = [&](size_t at, uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) ns[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  u64(0, 1953525168);  // NSZE
  u64(8, 1953525168);  // NCAP
  u64(16, 123456);     // NUSE
  ns[25] = 1;          // two LBA formats
  ns[26] = 1;          // the second is in use
  ns[128 + 2] = 9;     // format 0: 512-byte blocks (LBADS 9)
  ns[132 + 2] = 12;    // format 1: 4096-byte blocks
  auto n = parse_nvme_namespace(ns.data());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->size_blocks, 1953525168u);
  EXPECT_EQ(n->block_size, 4096u);
  EXPECT_EQ(n->formats, 2u);
  ns[26] = 5;  // a format index past the table
  EXPECT_FALSE(parse_nvme_namespace(ns.data()));
}

TEST(ScsiInquiry, StandardDataAndSerialPage) {
  std::vector<uint8_t> q(36, ' ');
  q[0] = 0x00;  // direct-access block device
  const std::string vendor = "SanDisk ", product = "Cruzer Blade    ", rev = "1.00";
  std::copy(vendor.begin(), vendor.end(), q.begin() + 8);
  std::copy(product.begin(), product.end(), q.begin() + 16);
  std::copy(rev.begin(), rev.end(), q.begin() + 32);
  auto i = parse_scsi_inquiry(q.data(), q.size());
  ASSERT_TRUE(i);
  EXPECT_EQ(i->vendor, "SanDisk");
  EXPECT_EQ(i->product, "Cruzer Blade");
  EXPECT_EQ(i->revision, "1.00");
  EXPECT_FALSE(parse_scsi_inquiry(q.data(), 20));
  std::vector<uint8_t> p = {0x00, 0x80, 0x00, 0x0a, ' ', ' ', '4', 'C', '5', '3', '0', '0', '0', '1'};
  auto serial = parse_scsi_serial_page(p.data(), p.size());
  ASSERT_TRUE(serial);
  EXPECT_EQ(*serial, "4C530001");
  p[1] = 0x83;
  EXPECT_FALSE(parse_scsi_serial_page(p.data(), p.size()));
}

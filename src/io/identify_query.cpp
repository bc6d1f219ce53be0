#include "io/identify_query.hpp"

#include <linux/nvme_ioctl.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "io/identify_parse.hpp"

namespace exhibit::io {

namespace {

constexpr unsigned k_timeout_ms = 5000;

struct Reply {
  bool sent = false;  // the ioctl was accepted
  bool ok = false;    // the device answered without error
  std::string error;  // why not
  std::array<uint8_t, 32> sense{};
  size_t sense_len = 0;
};

Reply sg_io(int fd, const uint8_t* cdb, size_t cdb_len, uint8_t* data, size_t data_len) {
  Reply r;
  sg_io_hdr_t h{};
  h.interface_id = 'S';
  h.cmd_len = static_cast<unsigned char>(cdb_len);
  h.cmdp = const_cast<uint8_t*>(cdb);
  h.dxfer_direction = data_len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
  h.dxferp = data;
  h.dxfer_len = static_cast<unsigned>(data_len);
  h.sbp = r.sense.data();
  h.mx_sb_len = static_cast<unsigned char>(r.sense.size());
  h.timeout = k_timeout_ms;
  if (ioctl(fd, SG_IO, &h) != 0) {
    r.error = std::string("SG_IO: ") + std::strerror(errno);
    return r;
  }
  r.sent = true;
  r.sense_len = h.sb_len_wr;
  // CHECK CONDITION (2) is the expected answer only to a command sent with CK_COND (no data).
  r.ok = h.host_status == 0 && (h.driver_status & ~0x08) == 0 && (h.status == 0 || (h.status == 2 && data_len == 0));
  if (!r.ok) r.error = "the device refused the command (status " + std::to_string(h.status) + ")";
  return r;
}

// SCSI ATA PASS-THROUGH (16) (SAT): `protocol` 4 = PIO data-in, 3 = non-data.
std::array<uint8_t, 16> ata_pt16(uint8_t command, uint8_t features, uint8_t count, uint8_t device, bool data_in,
                                 bool extend, bool check_condition) {
  std::array<uint8_t, 16> c{};
  c[0] = 0x85;
  c[1] = static_cast<uint8_t>(((data_in ? 4 : 3) << 1) | (extend ? 1 : 0));
  c[2] = static_cast<uint8_t>((check_condition ? 0x20 : 0) | (data_in ? 0x0E : 0));  // T_DIR, BYT_BLOK, T_LENGTH=2
  c[4] = features;
  c[6] = count;
  c[13] = device;
  c[14] = command;
  return c;
}

void ask_nvme(int fd, DriveIdentity& id) {
  std::array<uint8_t, 4096> ctrl{}, ns{};
  nvme_admin_cmd cmd{};
  cmd.opcode = 0x06;  // Identify
  cmd.addr = reinterpret_cast<uintptr_t>(ctrl.data());
  cmd.data_len = ctrl.size();
  cmd.cdw10 = 1;  // CNS 1: the controller
  cmd.timeout_ms = k_timeout_ms;
  if (ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd) != 0) {
    id.details.push_back(std::string("NVMe Identify Controller: ") + std::strerror(errno));
    return;
  }
  if (auto c = parse_nvme_controller(ctrl.data())) {
    id.method = "NVMe Identify";
    id.model = c->model;
    id.serial = c->serial;
    id.firmware = c->firmware;
    id.details.push_back("NVMe Identify Controller: model " + c->model + ", serial " + c->serial + ", firmware " +
                         c->firmware + ", total capacity " + std::to_string(c->total_capacity_bytes) + " bytes");
  }
  const int nsid = ioctl(fd, NVME_IOCTL_ID);
  if (nsid <= 0) return;
  cmd = nvme_admin_cmd{};
  cmd.opcode = 0x06;
  cmd.nsid = static_cast<uint32_t>(nsid);
  cmd.addr = reinterpret_cast<uintptr_t>(ns.data());
  cmd.data_len = ns.size();
  cmd.cdw10 = 0;  // CNS 0: the namespace
  cmd.timeout_ms = k_timeout_ms;
  if (ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd) == 0) {
    if (auto n = parse_nvme_namespace(ns.data())) {
      id.user_sectors = n->size_blocks;
      id.details.push_back("NVMe Identify Namespace " + std::to_string(nsid) + ": size " +
                           std::to_string(n->size_blocks) + " blocks, capacity " + std::to_string(n->capacity_blocks) +
                           ", in use " + std::to_string(n->used_blocks) + ", " + std::to_string(n->block_size) +
                           "-byte blocks (" + std::to_string(n->formats) + " formats offered)");
    }
  }
}

bool ask_ata(int fd, DriveIdentity& id) {
  std::array<uint8_t, 512> block{};
  const auto identify = ata_pt16(0xEC, 0, 1, 0, true, false, false);
  Reply r = sg_io(fd, identify.data(), identify.size(), block.data(), block.size());
  if (!r.sent || !r.ok) {
    id.details.push_back("ATA IDENTIFY DEVICE: " + r.error);
    return false;
  }
  auto ata = parse_ata_identify(block.data());
  if (!ata || ata->model.empty()) {
    id.details.push_back("ATA IDENTIFY DEVICE: no valid answer (not an ATA device behind this bridge)");
    return false;
  }
  id.method = "ATA IDENTIFY DEVICE (SAT pass-through)";
  id.model = ata->model;
  id.serial = ata->serial;
  id.firmware = ata->firmware;
  id.user_sectors = ata->user_sectors;
  id.details.push_back("ATA IDENTIFY DEVICE: model " + ata->model + ", serial " + ata->serial + ", firmware " +
                       ata->firmware + ", " + std::to_string(ata->user_sectors) + " user sectors of " +
                       std::to_string(ata->logical_sector_size) + " bytes (physical " +
                       std::to_string(ata->physical_sector_size) + ")");
  std::optional<uint64_t> native, dco;
  if (ata->lba48 && ata->hpa_supported) {
    const auto rnm = ata_pt16(0x27, 0, 0, 0x40, false, true, true);
    Reply n = sg_io(fd, rnm.data(), rnm.size(), nullptr, 0);
    native = n.ok ? parse_ata_return_lba(n.sense.data(), n.sense_len) : std::nullopt;
    id.details.push_back("READ NATIVE MAX ADDRESS EXT: " +
                         (native ? "max LBA " + std::to_string(*native) : std::string("no answer ") + n.error));
  }
  if (ata->dco_supported) {
    std::array<uint8_t, 512> d{};
    const auto dco_identify = ata_pt16(0xB1, 0xC2, 1, 0, true, false, false);
    Reply r2 = sg_io(fd, dco_identify.data(), dco_identify.size(), d.data(), d.size());
    dco = r2.ok ? parse_dco_max_lba(d.data()) : std::nullopt;
    id.details.push_back("DEVICE CONFIGURATION IDENTIFY: " +
                         (dco ? "max LBA " + std::to_string(*dco) : std::string("no answer ") + r2.error));
  }
  if (native) id.native_sectors = *native + 1;
  const HiddenAreas h = hidden_areas(ata->user_sectors, native, dco);
  id.hpa_sectors = h.hpa_sectors;
  id.dco_sectors = h.dco_sectors;
  return true;
}

void ask_scsi(int fd, DriveIdentity& id) {
  std::array<uint8_t, 96> q{};
  const std::array<uint8_t, 6> inquiry = {0x12, 0, 0, 0, static_cast<uint8_t>(q.size()), 0};
  Reply r = sg_io(fd, inquiry.data(), inquiry.size(), q.data(), q.size());
  if (!r.sent || !r.ok) {
    id.details.push_back("SCSI INQUIRY: " + r.error);
    return;
  }
  if (auto i = parse_scsi_inquiry(q.data(), q.size())) {
    if (id.method.empty()) {
      id.method = "SCSI INQUIRY";
      id.model = i->vendor.empty() ? i->product : i->vendor + " " + i->product;
      id.firmware = i->revision;
    }
    id.details.push_back("SCSI INQUIRY: vendor " + i->vendor + ", product " + i->product + ", revision " + i->revision);
  }
  std::array<uint8_t, 252> page{};
  const std::array<uint8_t, 6> vpd80 = {0x12, 0x01, 0x80, 0, static_cast<uint8_t>(page.size()), 0};
  Reply p = sg_io(fd, vpd80.data(), vpd80.size(), page.data(), page.size());
  if (p.ok) {
    if (auto serial = parse_scsi_serial_page(page.data(), page.size())) {
      if (id.serial.empty()) id.serial = *serial;
      id.details.push_back("SCSI unit serial number page: " + *serial);
    }
  }
}

}  // namespace

DriveIdentity query_drive_identity(int fd, const std::string& device_name) {
  DriveIdentity id;
  if (device_name.rfind("nvme", 0) == 0) {
    ask_nvme(fd, id);
  } else if (!ask_ata(fd, id)) {
    ask_scsi(fd, id);
  }
  if (id.method.empty()) {
    std::string why = id.details.empty() ? "no identity command applies" : id.details.back();
    id.status = "not supported by this device (" + why + ")";
  } else {
    id.status = "answered";
  }
  return id;
}

}  // namespace exhibit::io

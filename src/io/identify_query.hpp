// Asks a block device who it is behind the bus, with read-only commands only: NVMe Identify
// (admin ioctl) for NVMe namespaces; otherwise ATA IDENTIFY DEVICE, READ NATIVE MAX ADDRESS EXT
// and DEVICE CONFIGURATION IDENTIFY through SCSI ATA PASS-THROUGH (SG_IO, also over USB bridges
// that speak SAT), then SCSI INQUIRY and its serial-number page. Never SET MAX or anything that
// changes the device. A device that supports none of it (a loop device, a virtio disk) is
// reported as such.
#pragma once

#include <string>

#include "exhibit/source_info.hpp"

namespace exhibit::io {

DriveIdentity query_drive_identity(int fd, const std::string& device_name);

}  // namespace exhibit::io

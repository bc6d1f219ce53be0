#!/usr/bin/env python3
# Writes the seeds of fuzz_identify into corpus/identify: one response of each kind, built from the
# specifications (ATA8-ACS, SAT, NVMe base, SPC) as the unit tests build theirs. The first byte of
# each file picks the parser (see fuzz_identify.cpp); fixed-size blocks may be cut short (the target
# pads them with zeros). Run from this folder: ./identify_seeds.py
import struct


def ata_str(s, words):
    s = s.ljust(2 * words)
    out = b''
    for i in range(0, 2 * words, 2):
        out += bytes([ord(s[i + 1]), ord(s[i])])  # the first character in the high byte
    return out


def put_words(b, w, data):
    b[2 * w:2 * w + len(data)] = data


def put_word(b, w, v):
    b[2 * w:2 * w + 2] = struct.pack('<H', v)


def put_qword(b, w, v):
    for i, x in enumerate(struct.unpack('<4H', struct.pack('<Q', v))):
        put_word(b, w + i, x)


def seal(b):  # integrity word 255: A5h, then a checksum making all 512 bytes sum to zero
    b[510] = 0xA5
    b[511] = (-sum(b[:511])) & 0xff


def write(name, selector, data):
    with open('corpus/identify/' + name, 'wb') as f:
        f.write(bytes([selector]) + bytes(data))


# 0: IDENTIFY DEVICE, 48-bit, HPA and DCO supported, 4096-byte physical sectors, integrity word
b = bytearray(512)
put_words(b, 10, ata_str("WD-12345678", 10))
put_words(b, 23, ata_str("01.01A01", 4))
put_words(b, 27, ata_str("EXAMPLE DISK 1TB", 20))
put_word(b, 60, 0xFFFF)
put_word(b, 61, 0x0FFF)
put_word(b, 82, 1 << 10)
put_word(b, 83, (1 << 10) | (1 << 11) | (1 << 14))
put_word(b, 85, 1 << 10)
put_qword(b, 100, 1953525168)
put_word(b, 106, 0x4000 | (1 << 13) | 3)
seal(b)
write('ata-identify-lba48.bin', 0, b)
# 0: a 28-bit drive with 4 KiB logical sectors (words 117-118 count words), no integrity word
b = bytearray(512)
put_words(b, 27, ata_str("OLD DISK", 20))
put_word(b, 60, 0x1000)
put_word(b, 106, 0x4000 | (1 << 12))
put_word(b, 117, 2048)
write('ata-identify-lba28.bin', 0, b)
# 1: DEVICE CONFIGURATION IDENTIFY: revision 2, maximum LBA in words 3-6
b = bytearray(512)
put_word(b, 0, 2)
put_qword(b, 3, 1953525167 + 4096)
seal(b)
write('dco.bin', 1, b)
# 2: descriptor-format sense data holding an ATA Status Return descriptor (09h, 12 more bytes)
d = bytes([0x09, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x74, 0xaf, 0x00, 0x6d, 0x00, 0x3c, 0x40, 0x50])
write('ata-return-lba.bin', 2, bytes([0x72, 0x01, 0x00, 0x1d, 0, 0, 0, len(d)]) + d)
# 3: NVMe Identify Controller: serial 4-23, model 24-63, firmware 64-71, TNVMCAP at 280
b = bytearray(300)
b[4:24] = b"S4EWNX0R123456      "
b[24:64] = b"Example NVMe SSD 500GB".ljust(40)
b[64:72] = b"2B2QEXM7"
b[280:288] = struct.pack('<Q', 500107862016)
write('nvme-controller.bin', 3, b)
# 4: NVMe Identify Namespace: NSZE, NCAP, NUSE, two LBA formats, the second (4096 bytes) in use
b = bytearray(136)
b[0:24] = struct.pack('<3Q', 976773168, 976773168, 12345678)
b[25] = 1
b[26] = 1
b[128:132] = struct.pack('<I', 9 << 16)
b[132:136] = struct.pack('<I', 12 << 16)
write('nvme-namespace.bin', 4, b)
# 5: SCSI standard INQUIRY data, 36 bytes
write('scsi-inquiry.bin', 5,
      bytes([0x00, 0x80, 0x06, 0x02, 31, 0, 0, 0]) + b"EXAMPLE " + b"USB FLASH DRIVE " + b"1.00")
# 6: Unit Serial Number VPD page (80h)
s = b"  0123456789AB "
write('scsi-serial.bin', 6, bytes([0x00, 0x80, 0x00, len(s)]) + s)

#!/usr/bin/env python3
"""Writes a one-segment EWF2 (Ex01) file from a media file, from the format's public description
(libyal's "Expert Witness Compression Format 2"), apart from exhibit's reader: for test inputs
that no tool on this machine makes (Debian's libewf cannot write EWF2), such as bzip2 chunks.

Usage: make_ex01.py MEDIA OUT.Ex01 --method zlib|bzip2 [--chunk-sectors N] [--sector-size N]
                   [--strip-bzip2-header] [--error FIRST:COUNT ...]
Prints each chunk's table entry: "INDEX OFFSET SIZE FLAGS" (flags 1 compressed, 2 stored with
its Adler-32, 5 pattern fill). --strip-bzip2-header writes bzip2 chunks without their "BZh9"
stream header, the form libyal's description says EnCase writes. --error adds an error table
(sectors the acquisition could not read) before the digests.
The metadata sections use the same method as the chunks (as the format says); a chunk that does
not shrink is stored with its Adler-32; a chunk of one repeated 8-byte pattern is a fill entry.
"""
import argparse
import bz2
import hashlib
import struct
import uuid
import zlib

SIG = b"EVF2\r\n\x81\x00"


def adler(b):
    return zlib.adler32(b) & 0xFFFFFFFF


def pad16(b):
    return b + b"\0" * (-len(b) % 16)


def compress(data, method):
    return zlib.compress(data, 9) if method == "zlib" else bz2.compress(data, 9)


def text(rows, method):
    body = "\n".join(["1", "main", "\t".join(k for k, _ in rows), "\t".join(v for _, v in rows), "", ""])
    return compress(b"\xff\xfe" + body.encode("utf-16-le"), method)


class Writer:
    def __init__(self):
        self.out = bytearray()
        self.last_descriptor = 0

    def section(self, kind, data, padding):
        data_size = len(data)
        d = struct.pack("<IIQQII", kind, 0, self.last_descriptor, data_size, 64, padding) + b"\0" * 28
        d += struct.pack("<I", adler(d))
        self.out += data
        self.last_descriptor = len(self.out)
        self.out += d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("media")
    ap.add_argument("out")
    ap.add_argument("--method", choices=["zlib", "bzip2"], default="zlib")
    ap.add_argument("--chunk-sectors", type=int, default=64)
    ap.add_argument("--sector-size", type=int, default=512)
    ap.add_argument("--strip-bzip2-header", action="store_true")
    ap.add_argument("--error", action="append", default=[])
    a = ap.parse_args()
    media = open(a.media, "rb").read()
    assert len(media) % a.sector_size == 0
    chunk = a.chunk_sectors * a.sector_size
    chunks = [media[i:i + chunk] for i in range(0, len(media), chunk)]

    w = Writer()
    w.out += SIG + struct.pack("<BBHI", 2, 1, 1 if a.method == "zlib" else 2, 1) + uuid.uuid4().bytes
    device = [("sn", "TESTSERIAL"), ("md", "Test Disk"), ("ts", str(len(media) // a.sector_size)),
              ("dt", "f"), ("bp", str(a.sector_size)), ("ph", "1")]
    case = [("nm", "made by make_ex01.py"), ("cn", "case-9"), ("en", "ev-9"), ("ex", "tester"),
            ("tb", str(len(chunks))), ("sb", str(a.chunk_sectors)), ("gr", str(a.chunk_sectors))]
    for kind, rows in ((1, device), (2, case)):
        t = text(rows, a.method)
        w.section(kind, pad16(t), len(pad16(t)) - len(t))

    data_start = len(w.out)
    sector_data = bytearray()
    entries = []
    padding = 0
    for c in chunks:
        if len(c) % 8 == 0 and c == c[:8] * (len(c) // 8):
            entries.append((struct.unpack("<Q", c[:8])[0], 8, 0x5))
            sector_data += c[:8]
            continue
        packed = compress(c, a.method)
        if a.strip_bzip2_header:
            packed = packed[4:]
        offset = data_start + len(sector_data)
        if len(packed) < len(c):
            stored, flags = packed, 0x1
        else:
            stored, flags = c + struct.pack("<I", adler(c)), 0x2
        entries.append((offset, len(stored), flags))
        sector_data += stored
        padding += -len(stored) % 16
        sector_data += b"\0" * (-len(stored) % 16)
    sector_data = bytes(sector_data) + b"\0" * (-len(sector_data) % 16)
    w.section(3, sector_data, padding)

    head = struct.pack("<QII", 0, len(entries), 0)
    table = head + struct.pack("<I", adler(head)) + b"\0" * 12
    body = b"".join(struct.pack("<QII", *e) for e in entries)
    table += body + struct.pack("<I", adler(body)) + b"\0" * 12
    w.section(4, table, 24)

    if a.error:
        head = struct.pack("<I", len(a.error)) + b"\0" * 12
        errors = head + struct.pack("<I", adler(head)) + b"\0" * 12
        body = b"".join(struct.pack("<QII", int(f), int(n), 0) for f, n in (e.split(":") for e in a.error))
        errors += body + struct.pack("<I", adler(body)) + b"\0" * 12
        w.section(5, errors, 24)

    md5 = hashlib.md5(media).digest()
    w.section(8, md5 + struct.pack("<I", adler(md5)) + b"\0" * 12, 12)
    sha1 = hashlib.sha1(media).digest()
    w.section(9, sha1 + struct.pack("<I", adler(sha1)) + b"\0" * 8, 8)
    w.section(0x0F, b"", 0)
    open(a.out, "wb").write(w.out)
    for i, e in enumerate(entries):
        print(i, *e)


if __name__ == "__main__":
    main()

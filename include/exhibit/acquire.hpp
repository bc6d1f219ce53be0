// Acquisition: a source (file or block device) becomes an E01 image with hashes and metadata.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "exhibit/digest.hpp"
#include "exhibit/error.hpp"
#include "exhibit/image_format.hpp"
#include "exhibit/progress.hpp"
#include "exhibit/sector_range.hpp"
#include "exhibit/source_info.hpp"
#include "exhibit/stage_load.hpp"
#include "exhibit/verify.hpp"

namespace exhibit {

struct CaseMetadata {
  std::string case_number;
  std::string evidence_number;
  std::string examiner;
  std::string description;
  std::string notes;
};

// acquire --verify: what is read again once the images are closed, before their record is
// written (so the record and the report hold the verification): every copy's files, checked as
// verify checks them; with Source, the source too, compared sector by sector with the first copy.
enum class VerifyAfter { None, Image, Source };

struct AcquireOptions {
  std::string source;       // block device, file, or nbds://HOST[:PORT]/EXPORT (exhibit serve on another machine)
  RemoteAccess remote;      // how to reach an nbds:// or nbd:// source
  std::string output_base;  // segments become OUTPUT_BASE.E01, .E02, ...; the log OUTPUT_BASE.log
  // More copies written at the same time, each with all its files (--second-output).
  std::vector<std::string> second_outputs;
  CaseMetadata metadata;
  // 0 asks for the defaults: 1.4 GiB segments (they fit FAT32 and exFAT field drives) and 64-sector
  // chunks, each grown as far as libewf needs for very large media (see image/ewf_geometry.hpp).
  uint64_t segment_size = 0;
  uint32_t chunk_sectors = 0;
  Compression compression = Compression::Fast;
  ImageFormat format = ImageFormat::E01;
  bool one_file = false;  // raw with --segment-size 0: a single BASE.raw
  unsigned retries = 2;
  uint32_t file_sector_size = 0;  // bytes per sector for regular-file sources (0: 512)
  bool allow_mounted = false;
  bool force = false;  // replace an existing image of the same name
  // Continue the interrupted acquisition into OUTPUT_BASE (its BASE.resume): the source must be
  // the same, and the settings that shape the image are taken from the interrupted run.
  bool resume = false;
  std::vector<std::string> digests = {"md5", "sha1", "sha256"};  // md5 is always added
  unsigned threads = 1;  // compression workers; the image is byte-identical whatever the number
  // Source reads in flight at once (1 to 32): NVMe drives and USB bridges reach full speed only
  // with several requests outstanding. The digests still see the bytes in order.
  unsigned queue_depth = 4;
  // Bytes per source read, rounded down to whole chunks (at least one); 0: 4 MiB. A zst frame is
  // always one 4 MiB read (the frame size shapes the image), so zst takes only 0.
  uint64_t read_size = 0;
  // Piecewise SHA-256 window over the source (0: none; else at least 1 MiB). Unless `piece_size_given`
  // it grows for media over 4 TiB, so there are at most 65536 pieces (core/piece_size.hpp).
  uint64_t piece_size = uint64_t{64} << 20;
  bool piece_size_given = false;
  // SOURCE_DATE_EPOCH (read by the CLI): the acquisition time, fixed so that a repeated
  // acquisition gives the same files; written to the log and the record.
  std::optional<int64_t> source_date_epoch;
  std::string sign_key;               // PEM private key that signs the record ("": unsigned)
  std::string sign_cert;              // its certificate: a CMS signature; without one, a plain signature
  std::string report;                 // the HTML report's path ("": BASE.report.html)
  bool fixed_address_layout = false;  // set by the CLI: the process runs without ASLR (see cli/main.cpp)
  std::string command_line;  // as typed, for the provenance documents (BASE.dfxml, BASE.case.jsonld); "" when unknown
  VerifyAfter verify = VerifyAfter::None;
};

// One window of the piecewise SHA-256: source bytes [offset, offset + length).
struct Piece {
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string sha256;
};

// A finished segment file, as written.
struct SegmentFile {
  std::string path;
  uint64_t size = 0;
  std::string sha256;
};

// One copy of the image (-o, then each --second-output) and what became of it.
struct CopyResult {
  std::string base;
  std::vector<SegmentFile> segments;
  std::string record_file, checksums_file, report_file, signature_file, timestamp_request_file, dfxml_file, case_file;
  std::string error;  // why this copy was given up ("": finished)
  bool finished() const { return error.empty(); }
};

// One copy as acquire --verify found it: verify's report on its files, named as they are once
// the acquisition has finished.
struct CopyVerification {
  std::string base;
  VerifyReport report;
  std::string incomplete;  // why the verification could not be completed ("": it was); never a pass
  std::string verdict() const {
    return incomplete.empty() ? verify_verdict(report)
                              : "NOT VERIFIED: the verification could not be completed (" + incomplete + ")";
  }
};

// The verification of acquire --verify (one pass over every copy, and the source with Source).
struct AcquireVerification {
  VerifyAfter what = VerifyAfter::Image;
  std::string started, finished;  // ISO 8601 UTC
  double seconds = 0;
  std::vector<CopyVerification> copies;
  bool passed() const {
    for (const auto& c : copies) {
      if (!c.incomplete.empty() || !c.report.passed()) return false;
    }
    return !copies.empty();
  }
};

struct AcquireResult {
  SourceInfo source;
  WriteBlockRecord write_block;
  std::vector<std::string> segment_files;
  std::vector<SegmentFile> segments;  // the same files with their sizes and SHA-256
  // Every copy, -o first. The fields above and below describe the first finished one; a copy
  // that failed (its disk filled up) is given up alone and says why here.
  std::vector<CopyResult> copies;
  std::string log_file;
  std::string map_file;  // GNU ddrescue mapfile of what was read and what was not
  std::string record_file;
  std::string checksums_file;          // BASE.sha256sums: the segments' SHA-256, for sha256sum -c
  std::string signature_file;          // BASE.manifest.json.p7s or .sig ("" when unsigned)
  std::string timestamp_request_file;  // BASE.manifest.tsq (RFC 3161 request for the record)
  std::string report_file;             // the printable HTML report
  std::string dfxml_file;              // BASE.dfxml: the acquisition in DFXML
  std::string case_file;               // BASE.case.jsonld: the acquisition in CASE/UCO (JSON-LD)
  std::vector<DigestResult> digests;   // of the image's media data (what the E01 stores)
  // A file whose size is not a whole number of sectors is stored whole and padded with zeros to
  // the next sector, as E01 holds whole sectors only: then `padding` > 0, the media digests
  // cover the padded data and `source_digests` the source's exact bytes.
  uint64_t padding = 0;
  std::vector<DigestResult> source_digests;
  std::vector<Piece> pieces;            // SHA-256 of each piece_size window of the source, the last one shorter
  std::vector<SectorRange> unreadable;  // zero-filled in the image, in the E01 error list
  std::vector<SectorRange> recovered;   // failed at first, read on a retry
  uint64_t bytes = 0;                   // media bytes written (source bytes + padding)
  uint32_t chunk_sectors = 0;           // sectors per chunk used
  uint64_t segment_size = 0;            // maximum segment file size used
  double seconds = 0;                   // of this run (after --resume: of the last part)
  unsigned resumed = 0;                 // how many times the acquisition was interrupted and resumed
  uint64_t reread_bytes = 0;            // after --resume: media bytes read back from the image to rebuild the digests
  std::vector<StageLoad> stages;        // where the stream's time went, stage by stage (stage_load.hpp)
  std::optional<AcquireVerification> verification;  // with AcquireOptions::verify
  std::time_t started = 0;                          // the run's start and end (wall clock)
  std::time_t finished = 0;
  bool complete() const { return unreadable.empty(); }
};

Result<AcquireResult> acquire(const AcquireOptions& options, const JobHooks& hooks = {});

// SOURCE_DATE_EPOCH's text (the reproducible-builds convention) as AcquireOptions::source_date_epoch:
// nullopt when unset (nullptr) or empty; InvalidArgument when it is not a plain decimal number of
// seconds from 0 to the end of the year 9999 (later dates do not fit the E01 header's year).
Result<std::optional<int64_t>> parse_source_date_epoch(const char* value);

}  // namespace exhibit

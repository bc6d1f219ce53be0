// Verification: re-read an image, check every stored unit, recompute and compare stored digests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exhibit/digest.hpp"
#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/progress.hpp"
#include "exhibit/sector_range.hpp"
#include "exhibit/source_info.hpp"
#include "exhibit/stage_load.hpp"

namespace exhibit {

struct DigestCheck {
  std::string algorithm;
  std::string stored;
  std::string computed;
  std::string stored_in;  // "image" (E01 hash/digest sections) or the record file's name
  bool match() const { return stored == computed; }
};

// A piece of the piecewise SHA-256 whose digest differs from the record's.
struct PieceMismatch {
  uint64_t index = 0;
  uint64_t offset = 0;  // bytes of the media
  uint64_t length = 0;
  std::string stored;
  std::string computed;
};

// A segment file checked against the SHA-256 and size in the record.
struct FileCheck {
  std::string file;  // path
  uint64_t stored_size = 0;
  uint64_t size = 0;
  std::string stored;
  std::string computed;  // "" if the file could not be read
  bool match() const { return stored == computed && stored_size == size; }
};

// One signature or timestamp of the record, checked.
struct SignatureCheck {
  std::string what;  // "CMS signature", "signature", "timestamp"
  std::string file;
  bool valid = false;  // it matches the record (and the chain, when a trust file was given)
  bool chain_checked = false;
  std::string detail;  // signer, time, or why it failed
  std::string repeat;  // the openssl command that repeats the check ("" if there is none)
};

// A value that the record beside the image and the image itself both hold, and they differ.
struct RecordMismatch {
  std::string field;  // "media size", "case number", "md5", "segment 2 name", ...
  std::string record;
  std::string image;
  std::string message() const { return "record says " + field + " '" + record + "', the image says '" + image + "'"; }
};

// What verify may use beyond the image: certificates to trust (CMS signer chains and timestamp
// authorities), the public key of a plain signature, and the original source to re-read and
// compare (Guymager's dual verification). Empty: not given.
struct VerifyOptions {
  std::string trust_pem;
  std::string pubkey_pem;
  std::string source;              // file, block device (read-only, write-blocked) or nbds:// address
  RemoteAccess remote;             // for an nbds:// or nbd:// `source`
  bool allow_mounted = false;      // for `source`
  bool require_signature = false;  // fail unless the record carries a valid, checked signature
  // The HTML report the caller will write (verify --report): checked before anything is read,
  // like every path exhibit writes; an existing file is replaced only with `force`.
  std::string report;
  bool force = false;
};

// The image compared with its source, sector by sector.
struct SourceComparison {
  std::string path;
  // The source as another tool reads it, a shell operand: the path, or for a remote source
  // `<(nbdcopy 'nbds://IDENTITY@...?tls-psk-file=...' -)` (libnbd's nbdcopy; bash).
  std::string independent_read;
  uint64_t size = 0;                      // bytes of the source
  uint64_t compared = 0;                  // bytes compared
  std::vector<SectorRange> differences;   // sectors whose bytes differ from the image
  std::vector<SectorRange> unreadable;    // sectors the source would not give back this time
  std::vector<SectorRange> readable_now;  // unreadable at acquisition (zero-filled), readable now
  WriteBlockRecord write_block;           // what the software write-block did for this re-read
};

struct VerifyReport {
  ImageInfo info;
  uint64_t bytes_read = 0;
  double seconds = 0;
  std::vector<SectorRange> bad_chunks;  // sectors of chunks that failed their checksum
  std::vector<DigestCheck> checks;
  std::vector<DigestResult> computed;  // every digest computed over the media
  std::string record_file;             // our record beside the image, if one was found
  uint64_t piece_size = 0;             // of the record's piecewise SHA-256 (0: none)
  size_t pieces_checked = 0;
  std::vector<PieceMismatch> piece_mismatches;
  std::vector<FileCheck> segment_checks;
  std::string checksums_file;                     // BASE.sha256sums beside the image, if there is one
  std::vector<SignatureCheck> signatures;         // of the record: CMS, plain, timestamp
  std::vector<std::string> notes;                 // things not checked, and why (they do not fail the verdict)
  std::vector<RecordMismatch> record_mismatches;  // the record and the image disagree
  // What the record should hold (the image, BASE.log or the record itself says so) but does not,
  // so it could not be checked: fails the verdict, since that part did not pass.
  std::vector<std::string> not_checked;
  std::optional<SourceComparison> source;  // with VerifyOptions::source
  std::vector<std::string> problems;       // anything else that makes the verdict a failure
  std::vector<StageLoad> stages;           // where the reading's time went, stage by stage (stage_load.hpp)
  bool passed() const;
};

// Reads the whole image. An Error means verification could not run (or the image structure is
// broken); a report with passed() == false means it ran and found a mismatch or bad chunk.
// `threads` workers decode and check chunks; the digests run on threads of their own.
Result<VerifyReport> verify_image(const std::string& first_segment, const JobHooks& hooks = {}, unsigned threads = 1,
                                  const VerifyOptions& options = {});

// One line of what a verification found, as `exhibit verify` prints it: a label ("md5 computed",
// "BAD CHUNK", "SOURCE DIFFERS") and its text; `failure` when it is a reason the verdict failed.
struct VerifyLine {
  std::string label;
  std::string text;
  bool failure = false;
};
// Everything `report` found, in the order verify prints it: units, acquisition errors, digests,
// pieces, segment files, signatures, the source comparison, notes, problems, record mismatches.
std::vector<VerifyLine> verify_lines(const VerifyReport& report);
// "VERIFIED: every chunk and every stored digest matches", or why the verdict is FAILED.
std::string verify_verdict(const VerifyReport& report);

// The commands that repeat a verification with tools we did not write (ewfverify, zstd, cat,
// sha256sum, cmp, openssl), each runnable as is in a POSIX shell; `image` as given to verify_image.
std::vector<std::string> verify_repeat_commands(const std::string& image, const VerifyReport& report);

}  // namespace exhibit

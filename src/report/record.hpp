// BASE.manifest.json: the machine-readable record of an acquisition, written beside the image
// (format in docs/FORMATS.md). Keys in a fixed order, so the same acquisition gives the same
// bytes. Signing and piecewise hashes are added by a later issue.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "io/env.hpp"

namespace exhibit::report {

struct RecordTimes {
  std::string started;  // ISO 8601 UTC
  std::string finished;
};

std::string render_record(const AcquireOptions& options, const AcquireResult& result, const RecordTimes& times,
                          const std::string& host_os);

// Writes `text` to `path` through a temporary file, fsync and rename (and fsync of the folder).
Status write_file_atomically(const std::string& path, const std::string& text, io::Env& env = io::posix_env());

// What a record says about its image, for verify. The file is untrusted: anything malformed is
// a Corruption error, never a crash.
struct RecordedImage {
  std::map<std::string, std::string> digests;  // of the whole media: algorithm -> lower-case hex
  uint64_t source_size = 0;                    // 0 if absent
  uint64_t piece_size = 0;                     // 0: no pieces
  std::vector<Piece> pieces;
  std::vector<SegmentFile> segments;   // path: the file name only
  std::optional<DriveIdentity> drive;  // block-device sources: what the drive said
  uint32_t bytes_per_sector = 0;       // 0 if absent
  std::vector<SectorRange> unreadable;
  std::vector<std::pair<std::string, std::string>> case_values;  // non-empty case fields, record names
  // For verify's comparison with the image (absent keys stay empty).
  int format_version = 0;
  std::optional<uint64_t> media_size;                  // media.size
  std::optional<uint32_t> chunk_sectors;               // options.chunk_sectors
  std::optional<std::string> model;                    // source.model
  std::optional<std::string> serial;                   // source.serial
  std::string remote_uri, remote_host, remote_device;  // source.remote: a source read over NBD
  std::vector<std::string> segment_names;              // every file listed under image.segments (format 1 too)
};
Result<RecordedImage> read_record(const std::string& path);
// The same from text (`name` says where it came from, in errors).
Result<RecordedImage> parse_record(const std::string& text, const std::string& name);

// "x" for the image "x.E01": where the record of that image lives ("x.manifest.json").
std::string record_path_for_base(const std::string& base);

}  // namespace exhibit::report

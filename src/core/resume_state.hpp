// BASE.resume: what an interrupted acquisition needs to go on. Rewritten atomically (temporary
// file, fsync, rename, fsync of the folder) every couple of seconds while the image is written,
// and once more when the job stops with the destination still sound; removed when the image is
// finished. Format: JSON, described in docs/FORMATS.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "image/image_writer.hpp"

namespace exhibit::core {

// What must be the same when the acquisition goes on: the source is the same device.
struct SourceIdentity {
  std::string path;
  uint64_t size = 0;
  uint32_t sector_size = 0;
  std::string model;
  std::string serial;
  uint64_t head_bytes = 0;  // how many of its first bytes `head_sha256` covers
  std::string head_sha256;
  std::string remote;  // a remote source: the serving host and device, as its server described them
};

// Where one copy of the image stands: what of it is safely on disk.
struct CopyProgress {
  std::string base;
  bool given_up = false;         // it failed before the interruption: it is not continued
  image::WriterProgress writer;  // what its image writer had made durable
};

struct ResumeState {
  SourceIdentity source;
  // The settings that shape the image, taken over by --resume.
  CaseMetadata metadata;
  uint32_t chunk_sectors = 0;
  uint64_t segment_size = 0;
  Compression compression = Compression::Fast;
  std::vector<std::string> digests;
  uint64_t piece_size = 0;
  uint32_t file_sector_size = 0;
  int64_t started = 0;                       // seconds since the epoch
  std::optional<int64_t> source_date_epoch;  // SOURCE_DATE_EPOCH of the first run, if set
  std::array<uint8_t, 16> set_identifier{};
  std::vector<std::pair<std::string, std::string>> header_values;
  ImageFormat format = ImageFormat::E01;
  bool one_file = false;   // raw: BASE.raw
  bool removable = false;  // the E01 volume section's media type and flags, as first written
  bool physical = true;
  // Progress of every copy (-o first, then each --second-output), all taken at the same block.
  // The same state is saved beside every copy still written.
  std::vector<CopyProgress> copies;
  std::vector<SectorRange> unreadable;
  std::vector<SectorRange> recovered;
  std::optional<SectorRange> pending_bad;  // a bad run that may continue past the checkpoint
  unsigned interruptions = 0;              // how many times it was resumed before
  // What the finished record needs that is not in the image: the signing key (never stored: the
  // public key's SHA-256, so --resume can insist on the same key) and where the report goes.
  std::string sign_key_fingerprint;  // "" when unsigned
  bool sign_cms = false;             // with a certificate
  std::string report;                // --report ("" for BASE.report.html)
};

// Sector ranges as the saved states (this one and core/finishing's) keep them: [[first, count], ...].
nlohmann::json state_ranges_json(const std::vector<SectorRange>& v);
std::vector<SectorRange> state_ranges_from(const nlohmann::json& a);
// Throws std::invalid_argument at a number with a fraction or an exponent anywhere in `j` (the
// parser's form for integers past 64 bits too): the saved states hold whole numbers only, and
// converting such a number to an integer field (1e300 to an int) is undefined behaviour.
void refuse_fractions(const nlohmann::json& j);

std::string render_resume_state(const ResumeState& s);
// Corruption when the text is not a resume state we wrote.
Result<ResumeState> parse_resume_state(const std::string& text);

// `text` as it reads back from a saved state (invalid UTF-8 replaced).
std::string as_stored(const std::string& text);

Status save_resume_state(const std::string& path, const ResumeState& s);
// NotFound when there is none.
Result<ResumeState> load_resume_state(const std::string& path);

}  // namespace exhibit::core

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

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/sector_range.hpp"
#include "image/e01_writer.hpp"

namespace exhibit::core {

// What must be the same when the acquisition goes on: the source is the same device.
struct SourceIdentity {
  std::string path;
  uint64_t size = 0;
  uint32_t sector_size = 0;
  std::string model;
  std::string serial;
  uint64_t head_bytes = 0;   // how many of its first bytes `head_sha256` covers
  std::string head_sha256;
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
  int64_t started = 0;  // seconds since the epoch
  std::array<uint8_t, 16> set_identifier{};
  std::vector<std::pair<std::string, std::string>> header_values;
  ImageFormat format = ImageFormat::E01;
  bool one_file = false;  // raw: BASE.raw
  bool removable = false;  // the E01 volume section's media type and flags, as first written
  bool physical = true;
  // Progress: E01 in `writer`; raw and zst in media bytes (and, for zst, the file's frames).
  image::E01Checkpoint writer;
  uint64_t media_bytes = 0;
  uint64_t zst_file_size = 0;
  uint64_t zst_frames = 0;
  std::vector<SectorRange> unreadable;
  std::vector<SectorRange> recovered;
  std::optional<SectorRange> pending_bad;  // a bad run that may continue past the checkpoint
  unsigned interruptions = 0;              // how many times it was resumed before
};

std::string render_resume_state(const ResumeState& s);
// Corruption when the text is not a resume state we wrote.
Result<ResumeState> parse_resume_state(const std::string& text);

// `text` as it reads back from a saved state (invalid UTF-8 replaced).
std::string as_stored(const std::string& text);

Status save_resume_state(const std::string& path, const ResumeState& s);
// NotFound when there is none.
Result<ResumeState> load_resume_state(const std::string& path);

}  // namespace exhibit::core

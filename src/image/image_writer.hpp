// One interface for writing an image, whatever its format: E01 (our EWF writer), raw (split
// files or one) and seekable zstd. A copy being acquired (core/destination.hpp) holds one
// writer and never asks which format it is; the choice is made once, in create_writer and
// resume_writer. Each writer also reads back what it had safely written before an
// interruption (PrefixReader), so --resume rebuilds the digests from the image itself.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/image_format.hpp"
#include "exhibit/sector_range.hpp"
#include "image/chunk_codec.hpp"
#include "image/e01_writer.hpp"
#include "image/ewf_write_options.hpp"
#include "io/env.hpp"

namespace exhibit::image {

// Where a writer stood at its last checkpoint: what the resume state keeps of it. Each format
// uses its own fields.
struct WriterProgress {
  E01Checkpoint e01;           // E01
  uint64_t media_bytes = 0;    // raw and zst: media bytes written and synced
  uint64_t zst_file_size = 0;  // zst: bytes of BASE.zst that count, and its frames
  uint64_t zst_frames = 0;
  // raw: SHA-256 of each span_bytes of the media_bytes, the last span possibly shorter (see
  // image/written_spans.hpp); --resume compares the image with them.
  uint64_t span_bytes = 0;
  std::vector<std::string> written_sha256;
};

// The media bytes a checkpoint holds (E01: whole chunks, the last one possibly past the media size).
uint64_t held_bytes(ImageFormat format, const WriterProgress& p, uint64_t chunk_bytes);
// Whether resuming the format needs `written_sha256`, which resume states before version 3 did
// not keep (raw: nothing else checks what was written before the interruption).
bool resume_needs_written_digests(ImageFormat format);

struct WriterSetup {
  ImageFormat format = ImageFormat::E01;
  std::string base;           // the files are named from it (BASE.incomplete while written)
  EwfWriteOptions ewf;        // E01 settings; media_size for every format
  uint64_t segment_size = 0;  // raw: bytes per file, 0 for one file
  io::Env* env = nullptr;     // every file is written through it (nullptr: the real file system)
};

// One block of the stream, in stream order: its media bytes and, for the formats that store
// them encoded, its stored units (E01 chunks, or one zstd frame).
struct BlockToWrite {
  const unsigned char* data = nullptr;
  size_t size = 0;
  std::span<const EncodedChunk> units;
};

// What an interrupted acquisition had safely written, read back in order. Each stored unit is
// checked as it is decoded (raw: each span against the SHA-256 the resume state keeps, as it is
// read): a damaged prefix stops the resume.
class PrefixReader {
 public:
  virtual ~PrefixReader() = default;
  // The next stored units from media offset `offset`: at most `capacity` media bytes and not
  // past the written prefix. Stored bytes go to `encoded` (`encoded_capacity` bytes) and are
  // listed in `units`; raw bytes go straight to `data`. Returns the media bytes.
  virtual Result<size_t> read(uint64_t offset, size_t capacity, unsigned char* encoded, size_t encoded_capacity,
                              unsigned char* data, std::vector<EncodedChunk>& units) = 0;
  // On any thread: decodes `units` (read at `offset`) into `data`, checking each.
  virtual Status decode(uint64_t offset, const std::vector<EncodedChunk>& units, unsigned char* data) const = 0;
};

class ImageWriter {
 public:
  virtual ~ImageWriter() = default;
  // In stream order. After a failure the writer is not used again.
  virtual Status write(const BlockToWrite& block) = 0;
  // Sectors that could not be read (E01 keeps them in its error section).
  virtual void add_acquisition_error(const SectorRange& range) { (void)range; }
  // Makes what was written durable and puts where it stands into `progress`.
  virtual Status checkpoint(WriterProgress& progress) = 0;
  // Closes the image: E01 with its digests, zst with the record in it.
  virtual Status finish(const std::string& md5, const std::string& sha1, const std::string& record_text) = 0;
  // Reads back the first `bytes` media bytes written before the interruption described by
  // `progress` (`chunk_bytes`: the E01 chunk size).
  virtual Result<std::unique_ptr<PrefixReader>> read_back(const WriterProgress& progress, uint64_t bytes,
                                                          uint64_t chunk_bytes) const = 0;
  // After finish: the files the writer hashed (SHA-256) as it wrote them; the others are hashed
  // by reading them once more.
  virtual std::vector<hash::FileDigest> hashed_files() const { return {}; }
};

Result<std::unique_ptr<ImageWriter>> create_writer(const WriterSetup& setup);
// The image interrupted where `progress` says; `unreadable`: the errors recorded before it.
// Raw: the span still open at the interruption is hashed again from the files and must be what
// was written (the rest is checked as it is read back).
Result<std::unique_ptr<ImageWriter>> resume_writer(const WriterSetup& setup, const WriterProgress& progress,
                                                   const std::vector<SectorRange>& unreadable);

// Corruption: the image written before the interruption is damaged at media bytes [first, first+size).
Error damaged_prefix(uint64_t first, uint64_t size);

}  // namespace exhibit::image

// What the provenance documents (DFXML, CASE/UCO JSON-LD) say about an acquisition: read from
// the record (BASE.manifest.json, untrusted: every field checked for its type, a missing one left
// empty) or, for an image without our record, from what the image says about itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/verify.hpp"

namespace exhibit::report {

using NamedValues = std::vector<std::pair<std::string, std::string>>;

// A file of the image set (or the record): its name (no folder), size and SHA-256 ("": unknown).
struct ProvenanceFile {
  std::string name;
  uint64_t size = 0;
  std::string sha256;
};

struct Provenance {
  bool from_record = false;  // false: from the image alone (no record beside it)
  // The program that acquired the image, as the record has it.
  std::string tool_name, tool_version, tool_commit;
  NamedValues tool_libraries;     // name -> version
  std::string host_os;            // "Linux 6.1.0 x86_64" (uname: system, release, machine)
  std::string started, finished;  // ISO 8601 UTC ("" when unknown)
  CaseMetadata case_values;
  // The source device or file.
  std::string source_path, source_kind, vendor, model, serial, firmware, transport;
  uint64_t source_size = 0;
  uint32_t logical_sector_size = 0, physical_sector_size = 0;
  // The image.
  std::string image_format;
  std::vector<ProvenanceFile> segments;
  std::optional<ProvenanceFile> record;  // BASE.manifest.json itself
  uint64_t media_size = 0;
  uint32_t bytes_per_sector = 0;
  NamedValues media_digests;  // algorithm -> lower-case hex, over the media
  uint64_t piece_size = 0;
  std::vector<Piece> pieces;
  std::vector<SectorRange> unreadable;  // sectors of bytes_per_sector
};

// From the record's text; `record` names the record file (its size and SHA-256 are taken of `text`).
Result<Provenance> provenance_from_record(const std::string& text, const std::string& record_name);
// From the image alone: its header, stored digests and acquisition errors (no file digests).
Provenance provenance_from_image(const ImageInfo& info);

// The run that writes a document: the program running now, or the acquisition itself.
struct DocumentRun {
  std::string command;            // "acquire", "info", "verify"
  std::string command_line;       // as given, shell-quoted ("" when unknown)
  std::string os;                 // uname: system, release, machine
  std::string started, finished;  // ISO 8601 UTC
};

// "Linux 6.1.0 x86_64" split into system, release and machine; the whole text as the system
// when it does not have exactly three words.
struct OsParts {
  std::string sysname, release, machine;
};
OsParts split_os(const std::string& os);

}  // namespace exhibit::report

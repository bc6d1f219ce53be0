// Raw media bytes out of an image (`exhibit export`), so that other tools can use them. Every
// chunk is checked as it is decoded: a damaged chunk stops the export (never zero-filled data
// passed off as the image's), and a file output keeps a .partial name unless it completed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/progress.hpp"

namespace exhibit {

struct ExportOptions {
  std::string image;               // first segment file
  std::string output;              // a file, or "-" for stdout
  uint64_t offset = 0;             // first media byte
  std::optional<uint64_t> length;  // bytes (default: to the end of the media)
  bool force = false;              // replace an existing output file
};

struct ExportResult {
  uint64_t bytes = 0;  // written
  std::string output;
};

Result<ExportResult> export_image(const ExportOptions& options, const JobHooks& hooks = {});

}  // namespace exhibit

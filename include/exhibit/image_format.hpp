// The image formats and compressions we write, and the one table of their names (option values,
// the resume state, the record and the log all take their words from it).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace exhibit {

enum class Compression { None, EmptyBlock, Fast, Best };

// E01 (EnCase 6, segments BASE.E01…), raw (BASE.001… or one BASE.raw), seekable zstd (BASE.zst).
enum class ImageFormat { E01, Raw, Zst };

struct FormatName {
  ImageFormat format;
  const char* name;   // "e01", "raw", "zst": option value and saved state
  const char* label;  // "E01 (EnCase 6)", "raw", "seekable zstd": log, record, report
};
struct CompressionName {
  Compression compression;
  const char* name;  // "none", "empty-block", "fast", "best"
};

std::span<const FormatName> image_formats();
std::span<const CompressionName> compressions();

const char* format_name(ImageFormat f);
const char* format_label(ImageFormat f);
const char* compression_name(Compression c);
std::optional<ImageFormat> format_from_name(std::string_view name);
std::optional<Compression> compression_from_name(std::string_view name);

}  // namespace exhibit

#include "exhibit/image_format.hpp"
#include "exhibit/image_info.hpp"

#include <array>

namespace exhibit {

namespace {

constexpr std::array<FormatName, 3> k_formats{{
    {ImageFormat::E01, "e01", "E01 (EnCase 6)"},
    {ImageFormat::Raw, "raw", "raw"},
    {ImageFormat::Zst, "zst", "seekable zstd"},
}};

constexpr std::array<CompressionName, 4> k_compressions{{
    {Compression::None, "none"},
    {Compression::EmptyBlock, "empty-block"},
    {Compression::Fast, "fast"},
    {Compression::Best, "best"},
}};

const FormatName& entry(ImageFormat f) {
  for (const auto& e : k_formats) {
    if (e.format == f) return e;
  }
  return k_formats.front();
}

}  // namespace

std::span<const FormatName> image_formats() { return k_formats; }
std::span<const CompressionName> compressions() { return k_compressions; }

const char* format_name(ImageFormat f) { return entry(f).name; }
const char* format_label(ImageFormat f) { return entry(f).label; }

const char* compression_name(Compression c) {
  for (const auto& e : k_compressions) {
    if (e.compression == c) return e.name;
  }
  return "fast";
}

std::optional<ImageFormat> format_from_name(std::string_view name) {
  for (const auto& e : k_formats) {
    if (name == e.name) return e.format;
  }
  return std::nullopt;
}

std::optional<Compression> compression_from_name(std::string_view name) {
  for (const auto& e : k_compressions) {
    if (name == e.name) return e.compression;
  }
  return std::nullopt;
}

const char* unit_name(StorageUnit unit) {
  switch (unit) {
    case StorageUnit::Frame: return "frame";
    case StorageUnit::Block: return "block";
    case StorageUnit::Chunk: break;
  }
  return "chunk";
}

}  // namespace exhibit

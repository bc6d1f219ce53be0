#include "image/independent_read.hpp"

#include "util/text.hpp"

namespace exhibit::image {

IndependentRead independent_read(const std::string& image_path, const ImageInfo& info) {
  const std::string image = util::shell_quote(image_path);
  IndependentRead out;
  if (info.unit == StorageUnit::Frame) {
    out.media = "zstd -dc " + image;  // skips the record and seek-table frames
  } else if (info.unit == StorageUnit::Block) {
    out.media = "cat";
    for (const auto& f : info.segment_files) out.media.append(" ").append(util::shell_quote(f));
  } else {
    out.checks.push_back("ewfverify " + image);
    // Debian's ewfexport prints its status line to stdout after the data: keep only the media bytes.
    out.media = "ewfexport -q -u -t - " + image + " 2>/dev/null | head -c " + std::to_string(info.media_size);
  }
  return out;
}

}  // namespace exhibit::image

#include "image/independent_read.hpp"

#include "image/ewf2_reader.hpp"
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
  } else if (info.format == k_ewf2_format_name) {
    // Ex01: libewf's EWF2 reading (20260627 checked; called experimental upstream) is the one
    // reader we did not write; Debian 12's libewf 20140813 cannot open an Ex01 at all.
    out.checks.push_back("ewfverify " + image + "  # libewf 20260627 reads Ex01; Debian 12's libewf 20140813 cannot");
    out.checks.push_back("exhibit export -q " + image + " -o - | sha256sum  # exhibit's own EWF2 reader");
    out.media = "ewfexport -q -u -t - " + image + " 2>/dev/null | head -c " + std::to_string(info.media_size);
  } else {
    out.checks.push_back("ewfverify " + image);
    // Debian's ewfexport prints its status line to stdout after the data: keep only the media bytes.
    out.media = "ewfexport -q -u -t - " + image + " 2>/dev/null | head -c " + std::to_string(info.media_size);
  }
  return out;
}

}  // namespace exhibit::image

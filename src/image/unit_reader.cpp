#include "image/unit_reader.hpp"

#include <unistd.h>

#include "image/ewf2_reader.hpp"
#include "image/ewf_reader.hpp"
#include "image/raw_image.hpp"
#include "image/zst_image.hpp"

namespace exhibit::image {

Result<std::unique_ptr<UnitReader>> open_image(const std::string& path, Unfinished unfinished) {
  auto ends_with = [&](const std::string& suffix) {
    return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // Our acquisitions keep this name until they are complete (E01: checked with its segments).
  if (unfinished == Unfinished::Refuse &&
      (ends_with(".incomplete.zst") || ends_with(".incomplete.001") || ends_with(".incomplete.raw")) &&
      ::access(path.c_str(), F_OK) == 0) {
    return Error(ErrorCode::Corruption, path + " is an unfinished acquisition (interrupted or failed; see its log)");
  }
  if (ends_with(".zst")) {
    EXHIBIT_TRY(auto r, ZstReader::open(path));
    return std::unique_ptr<UnitReader>(std::move(r));
  }
  if (ends_with(".001") || ends_with(".raw")) {
    EXHIBIT_TRY(auto r, RawReader::open(path));
    return std::unique_ptr<UnitReader>(std::move(r));
  }
  // EWF2 by its name, or by its signature whatever the name (an Ex01 renamed .E01).
  if (ends_with(".Ex01") || ends_with(".ex01") || is_ewf2_file(path)) {
    EXHIBIT_TRY(auto r, Ewf2Reader::open(path));
    return std::unique_ptr<UnitReader>(std::move(r));
  }
  EXHIBIT_TRY(auto r,
              EwfReader::open(path,
                              unfinished == Unfinished::Accept));  // says what it expected if this is not an E01 either
  return std::unique_ptr<UnitReader>(std::move(r));
}

std::optional<std::string> image_base(const std::string& path) {
  for (const char* ext : {".E01", ".e01", ".Ex01", ".ex01", ".001", ".raw", ".zst"}) {
    const std::string e = ext;
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
      return path.substr(0, path.size() - e.size());
    }
  }
  return std::nullopt;
}

}  // namespace exhibit::image

namespace exhibit {

Result<ImageInfo> read_image_info(const std::string& path) {
  EXHIBIT_TRY(auto reader, image::open_image(path));
  return reader->info();
}

}  // namespace exhibit

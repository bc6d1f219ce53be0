// How tools we did not write read an image of each format: verify prints these so that anyone
// can repeat its checks without exhibit.
#pragma once

#include <string>
#include <vector>

#include "exhibit/image_info.hpp"

namespace exhibit::image {

struct IndependentRead {
  std::vector<std::string> checks;  // the format's own checker over the whole image ("ewfverify X")
  std::string media;                // a shell pipeline that writes the media bytes to stdout
};

// For the image whose first file is `image_path` (quoted here for the shell).
IndependentRead independent_read(const std::string& image_path, const ImageInfo& info);

}  // namespace exhibit::image

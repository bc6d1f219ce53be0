// What a file looks like by its first bytes, for the message when it is not named as an image
// we read: which segment of an E01 or EWF2 set, another format we know of, or unknown data.
#pragma once

#include <string>

namespace exhibit::image {

struct FileKind {
  std::string description;  // "segment 2 of an E01 set", "an AFF image", "raw data or an unknown format"
  std::string first_name;   // for a later segment: the name of its first segment; else ""
};

FileKind file_kind(const std::string& path);

// The one-line message for `path` given as an image: what it looks like and what to name instead.
std::string not_an_image_message(const std::string& path);

}  // namespace exhibit::image

// The files of an image by format: its first file's name (BASE.E01, BASE.001, BASE.raw,
// BASE.zst) and the files of it that exist, in order. Names only: nothing is opened.
#pragma once

#include <string>
#include <vector>

#include "exhibit/image_format.hpp"

namespace exhibit::image {

// `one_file`: raw as one BASE.raw instead of BASE.001, BASE.002, ….
std::string first_image_file(ImageFormat format, const std::string& base, bool one_file);
// The files that exist, in order, up to the first gap.
std::vector<std::string> existing_image_files(ImageFormat format, const std::string& base, bool one_file);
// The first file of a finished image of any format under `base` that exists, "" when none does.
std::string any_existing_first_file(const std::string& base);
// Every file beside `base` named as one of its segments (BASE.E01 .. BASE.ZZZ, BASE.001 ..), gaps
// or not, in name order: a later segment's name is written by a run that gets that far, so a file
// already there (a link to the source, a device) must be seen before anything is written.
std::vector<std::string> segment_named_files(const std::string& base);

}  // namespace exhibit::image

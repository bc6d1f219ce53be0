// Byte counts for people: parsing "1.4GiB" / "640MB" and printing "1.4 GiB". Public (exhibit/text.hpp);
// the library's own code names them util:: like its other helpers.
#pragma once

#include "exhibit/text.hpp"

namespace exhibit::util {

using exhibit::format_bytes;
using exhibit::format_duration;
using exhibit::parse_size;

}  // namespace exhibit::util

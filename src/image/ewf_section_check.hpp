// Why libewf refused a segment set, in words an examiner can act on: libewf 20140813 says only
// "unable to open handle" (its backtrace names a section but never the file). This checks, in
// every segment, the sections libewf reads when it opens a set: header, header2 and xheader
// (their zlib streams), volume, disk and data (their checksums, and the data sections' set
// identifier against segment 1's), digest and hash (their checksums).
#pragma once

#include <vector>

#include "exhibit/error.hpp"
#include "image/ewf_layout.hpp"

namespace exhibit::image {

// Corruption naming the segment file, the section and its offset, or that the set identifier
// of a segment does not match segment 1's; Ok when these sections are intact.
Status check_section_bodies(const std::vector<SegmentLayout>& set);

}  // namespace exhibit::image

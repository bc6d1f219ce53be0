// Reading the output of the independent tools (ewfinfo, ewfverify, fls).
#pragma once

#include <string>
#include <vector>

#include "exhibit/sector_range.hpp"

namespace exhibit::test {

// The value after "KEY" on the first line of `text` that contains it, trimmed ("" if none).
std::string field_after(const std::string& text, const std::string& key);
// The ranges `ewfinfo -e` lists as "at sector(s): A - B number: N".
std::vector<SectorRange> ewfinfo_error_ranges(const std::string& ewfinfo_output);
// The commands `exhibit verify` prints under "repeat with independent tools:", in order.
std::vector<std::string> repeat_commands(const std::string& verify_output);
// A row of the table in ../shared/interop/README.md: the first segment file, the hashes of the
// media, and what is expected of it ("verifies", "fails …", or anything else for a broken file).
struct InteropRow {
  std::string first_file;
  std::string md5, sha1, sha256, expected;  // sha256: of the media, "" or "–" when not given
  bool ewf2 = false;                        // an Ex01 set (Debian's libewf cannot read it)
};
// The rows of `dir`/README.md whose first cell names an .E01 or .Ex01 file.
std::vector<InteropRow> interop_rows(const std::string& dir);
// Number of lines in `text` (a final line without newline counts).
size_t line_count(const std::string& text);

}  // namespace exhibit::test

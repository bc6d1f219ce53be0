// Reading the output of the independent tools (ewfinfo, ewfverify, fls), and Chromium as the
// renderer of our HTML.
#pragma once

#include <string>
#include <vector>

#include "exhibit/sector_range.hpp"
#include "test_support.hpp"

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
// Whether python3-jsonschema, the independent validator of our --json documents, is here.
bool have_jsonschema();
// Validates `document` against docs/output.schema.json with python3-jsonschema (Draft 2020-12),
// through a file in `scratch`: "" when valid, else the reason.
std::string output_schema_errors(const std::string& document, const std::string& scratch);
// Chromium's program name ("" when none is installed): the independent renderer of our HTML.
std::string chromium();
// Chromium's headless rendering of the page at `html` (a path): its DOM as text, or with
// `screenshot` a PNG of it there instead. Its log is in `err`.
CommandResult render(const std::string& browser, const std::string& html, const std::string& screenshot = "");
// Chromium prints the page at `html` to `pdf` (A4 as the page asks, without Chromium's own
// header and footer: the page's running header and page numbers are its own). Its log is in `err`.
CommandResult print_to_pdf(const std::string& browser, const std::string& html, const std::string& pdf);
// poppler-utils: the number of pages of `pdf` (0 if it cannot be read), the text of page `page`
// (from 1), and page `page` rendered as a PNG at `png` (true when written).
unsigned pdf_pages(const std::string& pdf);
std::string pdf_page_text(const std::string& pdf, unsigned page);
bool pdf_page_png(const std::string& pdf, unsigned page, const std::string& png);
// The folder where tests leave what a person may want to look at (screenshots), beside the
// scratch folder in the build tree: kept after the tests, never committed.
std::string artefact_dir();
// Number of lines in `text` (a final line without newline counts).
size_t line_count(const std::string& text);

}  // namespace exhibit::test

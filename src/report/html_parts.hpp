// The parts the printable reports share (report/html_report.hpp): the page laid out for filing
// (a one-page summary, then the details; the image's name and "page n of m" on every printed
// page), the run that made it, sector ranges as lists that may run over pages, the media strip,
// the signature lines and the repeat commands. Every string passed as text is escaped here.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "exhibit/sector_range.hpp"
#include "exhibit/source_info.hpp"

namespace exhibit::report {

// When and how a report's run went, and what it ran with.
struct RunFacts {
  std::time_t started = 0;  // 0: not known
  std::time_t finished = 0;
  double seconds = 0;  // the work's own duration
  uint64_t bytes = 0;  // bytes read in it (for the average rate)
  std::string command_line;
  std::string duration_note;  // said after the duration ("this run; the acquisition was resumed")
};

// One class of regions drawn on the media strip.
struct Marks {
  std::vector<SectorRange> ranges;
  const char* colour;
  const char* label;
};

// The document: <title> and the running header are the file name of `image` (a browser's own
// header prints the title too), then `summary` alone on the first printed page, then `details`.
std::string filing_page(const std::string& heading, const std::string& image, const std::string& summary,
                        const std::string& details);
// Rows: start and end in UTC and local time, duration and rate, command line, host, operating
// system, exhibit's version and commit, the libraries that computed and wrote.
std::string run_rows(const RunFacts& run);
// "2026-12-07 07:06:12 UTC" and "2026-12-07 08:06:12 CET (UTC+0100)".
std::string utc_text(std::time_t t);
std::string local_text(std::time_t t);
// The write-block's steps as list items (a file source: why there are none).
std::string write_block_steps(const WriteBlockRecord& wb);
// Ranges as a list that may continue over pages ("none" when empty), with their sector total.
std::string ranges_list(const std::vector<SectorRange>& ranges);
// The media as a strip, marked.
std::string strip(uint64_t sectors, const std::vector<Marks>& marks);
// Lines for the examiner's and a witness's signature, name and date.
std::string signature_lines();
// The commands, one a line, in a block that keeps them copyable.
std::string commands_block(const std::vector<std::string>& commands);

}  // namespace exhibit::report

// The finishing phase of an acquisition, made crash-safe. Everything a finished copy holds (the
// segments, checksums, record, signature, timestamp request, report, DFXML, CASE) is first written and synced
// under temporary names (BASE.incomplete.*); then a finishing state replaces BASE.resume, listing
// every rename still to do and each segment's SHA-256; then the segments get their final names
// (the first one last), then the files beside them; last BASE.resume is removed. A kill at any
// moment leaves either a set that `--resume` finishes (from the saved progress, or from the
// finishing state: checked, then renamed) or a complete set. Fault points let tests stop the
// process at each step (see fault_point).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "io/env.hpp"

namespace exhibit::core {

// Where a report given by path (--report R) is written before it gets its name.
inline std::string staged_report_path(const std::string& report) { return report + ".incomplete"; }

// One copy being finished: the renames in the order they are done.
struct FinishingCopy {
  std::string base;
  std::vector<std::pair<std::string, std::string>> renames;  // temporary name -> final name
  std::vector<SegmentFile> segments;                         // final names, sizes and SHA-256
  // The final names of the files beside them ("" where there is none).
  std::string record_file, checksums_file, signature_file, timestamp_request_file, report_file, dfxml_file, case_file;
};

// BASE.resume while an acquisition is finishing: what is left to do, and what the run found (so
// that a resumed finish reports the same result).
struct FinishingState {
  std::vector<FinishingCopy> copies;  // the copies still finished
  std::vector<DigestResult> digests, source_digests;
  std::vector<SectorRange> unreadable, recovered;
  uint64_t bytes = 0;
  uint64_t padding = 0;
  unsigned interruptions = 0;  // before the finishing phase began
  std::string source;          // as given, for the advice verify prints
};

std::string render_finishing_state(const FinishingState& s);
// True when the text of BASE.resume is a finishing state (rather than saved progress).
bool is_finishing_state(const std::string& text);
Result<FinishingState> parse_finishing_state(const std::string& text);

// How complete_renames checks the segments before it renames anything.
enum class SegmentCheck {
  Sha256,  // after an interruption: each file's SHA-256 again, as the finishing state has it
  Size,    // in the run that hashed them a moment ago: each file's size (a second hash of the
           // whole image there guarded a window of milliseconds and cost a full read)
};

// The renames of one copy, in order; the segments are checked first (Corruption when a file
// changed since it was written: nothing is renamed then). Done renames are skipped, so this can
// be repeated after a crash. The renames and the folder's sync go through `env`.
Status complete_renames(const FinishingCopy& c, SegmentCheck check, io::Env& env = io::posix_env());

}  // namespace exhibit::core

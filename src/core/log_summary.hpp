// What verify reads from BASE.log beside an image: whether exhibit's acquisition wrote it and got
// to the end, whether it says the record was written, and what the record must therefore hold.
// The log is untrusted text: it is read in bounded lines, and anything unexpected is ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exhibit::core {

struct LogSummary {
  bool ours = false;                 // the first line is exhibit's "acquisition started" (or RESUMED)
  bool complete = false;             // an "ACQUISITION COMPLETE" line
  bool record_written = false;       // a "record:" field naming the record (file name `record_name`)
  uint64_t pieces = 0;               // the result's "pieces:" field: how many were hashed
  std::vector<std::string> digests;  // algorithms of the result's digest fields (canonical names)
};

// An absent or unreadable log gives an empty summary.
LogSummary summarize_log(const std::string& path, const std::string& record_name);

}  // namespace exhibit::core

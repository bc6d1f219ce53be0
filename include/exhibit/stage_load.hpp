// Where the time of a run went, stage by stage, so a user sees which stage limits the speed on
// their machine (a 2-core laptop and a 32-core server are limited by different ones).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exhibit {

struct StageLoad {
  std::string name;         // "read", "md5", "sha1", "sha256", "pieces", "deflate", "write", ...
  unsigned threads = 1;     // threads that ran it
  uint64_t bytes = 0;       // bytes it handled
  double cpu_seconds = 0;   // CPU time of its threads
  double wait_seconds = 0;  // time its threads waited on the stage before (input) or after (room)
  double wall_seconds = 0;  // its threads' lifetimes, summed
  // Ran after the stream, while the cores had nothing else to do (acquire: closing the images,
  // the segment files' SHA-256): its wall time adds to the run's.
  bool after_stream = false;
};

// "limited by: md5 at 690.5 MiB/s (waited 1% of the time); read 3.1 GiB/s, waited 62%; deflate 2
// threads 1.1 GiB/s, waited 40%; ..." (rates as format_bytes words sizes): the stage that waited least first (it set
// the pace), then the others from least to most waiting; then "after the stream: segment sha256 1.6 GiB/s,
// 0.52 s". Rates are bytes per CPU second of the stage (per thread).
std::string describe_stage_loads(const std::vector<StageLoad>& stages);

}  // namespace exhibit

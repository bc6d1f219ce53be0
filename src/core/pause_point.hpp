// Test-only pause points: a test that must act at a point of a run (send Ctrl-C, change the
// source) holds the run there instead of guessing a time. Never set in normal use.
#pragma once

namespace exhibit::core {

// When the environment variable EXHIBIT_PAUSE_POINT equals `name`, the process stops itself
// with SIGSTOP the first time it gets here (every thread stops, as under a debugger). The test
// sees the state T in /proc/PID/stat, acts, and continues the run with SIGCONT; signals sent
// meanwhile are delivered then.
//   pipeline:first-block  after the first block in stream order was consumed (for acquire: written
//                         to every copy, or read back from the interrupted run's image)
void pause_point(const char* name);

}  // namespace exhibit::core

// Test-only points of a run, each named, each inert unless its environment variable names it
// (never set in normal use): a fault point kills the process there, as a power cut would; a pause
// point holds it there so a test can act (send Ctrl-C, change the source) instead of guessing a time.
#pragma once

namespace exhibit::core {

// When the environment variable EXHIBIT_FAULT_POINT equals `name`, the process kills itself with
// SIGKILL here (the finishing steps: finish:closed, hashed, staged, state, renamed, state-removed).
void fault_point(const char* name);

// When the environment variable EXHIBIT_PAUSE_POINT equals `name`, the process stops itself
// with SIGSTOP the first time it gets here (every thread stops, as under a debugger). The test
// sees the state T in /proc/PID/stat, acts, and continues the run with SIGCONT; signals sent
// meanwhile are delivered then.
//   pipeline:first-block  after the first block in stream order was consumed (for acquire: written
//                         to every copy, or read back from the interrupted run's image)
//   acquire:state-saved   after the first periodic resume state was saved (it holds written
//                         chunks; the first is saved 2 s after the copies were created)
//   acquire:verify        acquire --verify, before the re-read: the copies are closed and hashed
//                         (BASE.incomplete.*) and the source released; a test changes a byte of
//                         the image, or of a scratch source file, here
void pause_point(const char* name);

}  // namespace exhibit::core

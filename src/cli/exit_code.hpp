// Process exit codes, shared by every sub-command (documented in --help and README). They are the
// command line's: the library reports an ErrorCode, and only the CLI turns it into an exit code.
#pragma once

#include "exhibit/error.hpp"

namespace exhibit::cli {

enum ExitCode : int {
  k_exit_ok = 0,             // success: acquire complete, every sector read; verify: all matches
  k_exit_verify_failed = 1,  // verification failed: a mismatch or corruption was found
  k_exit_usage = 2,          // usage error: bad option, missing input, would overwrite
  k_exit_incomplete = 3,     // could not complete: destination error, source gone, interrupted
  k_exit_read_errors = 4,    // acquisition complete, with unreadable sectors (all recorded)
};

inline int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound:
    case ErrorCode::AlreadyExists: return k_exit_usage;
    case ErrorCode::Corruption: return k_exit_verify_failed;
    case ErrorCode::Unsupported:
    case ErrorCode::Io:
    case ErrorCode::SourceGone:
    case ErrorCode::Destination:
    case ErrorCode::Cancelled: return k_exit_incomplete;
  }
  return k_exit_incomplete;
}

}  // namespace exhibit::cli

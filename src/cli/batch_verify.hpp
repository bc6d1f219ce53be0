// exhibit verify over many images: folders searched for image sets, several verified at once,
// each result appended to a JSON lines file that a second run picks up from.
#pragma once

#include <atomic>

#include "options.hpp"

namespace exhibit::cli {

// True when the command line asks for a batch: several paths, a folder, --results or --jobs.
bool is_batch_verify(const CommandLine& cl);

int run_batch_verify(const CommandLine& cl, const std::atomic<bool>& cancel);

}  // namespace exhibit::cli

// The sub-commands: run the library job and print its result for people.
#pragma once

#include <atomic>

#include "options.hpp"

namespace exhibit::cli {

int run_acquire(const CommandLine& cl, const std::atomic<bool>& cancel);
int run_verify(const CommandLine& cl, const std::atomic<bool>& cancel);
int run_info(const CommandLine& cl);
int run_export(const CommandLine& cl, const std::atomic<bool>& cancel);
int run_devices(const CommandLine& cl);
int run_report(const CommandLine& cl);                                  // report_command.cpp
int run_serve(const CommandLine& cl, const std::atomic<bool>& cancel);  // serve_command.cpp

// "exhibit: error: MESSAGE" on stderr (terminal-safe); returns the exit code for `e`.
int report_error(const Error& e);

}  // namespace exhibit::cli

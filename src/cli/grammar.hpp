// The command line's grammar: every command, option and help text, bound to where the parsed
// values go. One definition serves parsing (parse_command_line), --help, the manual pages and
// the bash completion (exhibit-docs, run at build time), so none of them can drift from another.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "options.hpp"

namespace exhibit::cli {

struct Grammar {
  Grammar();
  Grammar(const Grammar&) = delete;
  Grammar& operator=(const Grammar&) = delete;

  CommandLine cl;
  // Values parsed as text and checked after parsing (sizes, names from a table).
  std::string segment_size, piece_size = "64MiB", read_size, compression = "fast", format = "e01",
                            hashes = "md5,sha1,sha256", export_offset, export_length,
                            verify;  // acquire --verify: "image" or "source"
  CLI::App app;
  CLI::App *acq = nullptr, *ver = nullptr, *inf = nullptr, *exp = nullptr, *dev = nullptr, *rep = nullptr,
           *srv = nullptr;
};

}  // namespace exhibit::cli

// The command line, parsed by CLI11 into plain option structs. No I/O happens here.
#pragma once

#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/export.hpp"
#include "exhibit/serve.hpp"
#include "exhibit/setting.hpp"
#include "exhibit/verify.hpp"

namespace exhibit::cli {

enum class Command { None, Acquire, Verify, Info, Export, Devices, Report, Serve };

struct CommandLine {
  Command command = Command::None;
  AcquireOptions acquire;
  std::string image;  // verify, info
  bool quiet = false;
  bool json = false;                        // one JSON document on stdout instead of text (docs/output.schema.json)
  bool dfxml = false;                       // verify, info: the image's DFXML on stdout instead of text
  bool case_jsonld = false;                 // verify, info: the image's CASE/UCO graph (JSON-LD) on stdout
  std::string command_line;                 // as typed (shell-quoted), for the provenance documents
  unsigned threads = 1;                     // verify
  VerifyOptions verify_options;             // verify
  std::vector<std::string> images;          // verify: image files and folders (several, or a folder: a batch)
  unsigned jobs = 0;                        // verify batch: images at a time (0: one per core)
  std::string results;                      // verify batch: JSON lines file, one result per image
  bool recheck = false;                     // verify batch: ignore the results already in --results
  std::string report_dir;                   // verify batch: each image's HTML verification report in this folder
  bool list_only = false;                   // verify batch: print the image sets found, verify nothing
  std::vector<std::string> results_inputs;  // report: results files and folders of them
  std::string summary_html;                 // report -o: the summary page
  bool force = false;                       // report -o: replace an existing page
  ExportOptions export_options;             // export
  ServeOptions serve_options;               // serve
};

// Parses argv; on --help/--version or a usage error prints the message and returns the exit
// code to leave with (0 or 2) in `exit_now`.
CommandLine parse_command_line(int argc, char** argv, int& exit_now);

extern const char* const k_exit_code_help;

// argv as one line a POSIX shell reads back as the same words ("exhibit acquire /dev/sdb -o 'my case/x'").
std::string quoted_command_line(int argc, char** argv);

// The flag that sets a setting ("--chunk-sectors"): how the library's messages name settings
// in this program (main installs it with set_setting_wording before any job).
std::string flag_of(Setting s);

}  // namespace exhibit::cli

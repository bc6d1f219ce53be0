// Verifying many images: finding every image set under the paths given, telling whether a
// results file (JSON lines, one per image) already holds an image as it is now, and the line a
// finished verification adds. The CLI runs each verification in a process of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit {

// Every image set under `paths` (files as given; folders searched, symlinked folders not
// followed), each by its first file, once, in path order: BASE.E01, BASE.Ex01, BASE.zst, and
// BASE.001 or BASE.raw when the record BASE.manifest.json lies beside it (a raw file alone is not
// known to be an image). Unfinished acquisitions (BASE.incomplete.*) are sets too: verify fails them.
Result<std::vector<std::string>> find_image_sets(const std::vector<std::string>& paths);

// What identifies an image set as it is now: its files' total size, their latest modification
// time, and the SHA-256 of the record beside it ("" without one).
struct ImageSetState {
  std::string path;  // the first file, as an absolute path (not resolving symlinks)
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string record_sha256;
  bool operator==(const ImageSetState& o) const {
    return path == o.path && size == o.size && mtime_ns == o.mtime_ns && record_sha256 == o.record_sha256;
  }
};
Result<ImageSetState> image_set_state(const std::string& first_file);

// The results already in `results_file` (missing: none): each image's state and exit code as it
// was verified. Lines that do not parse (a line cut by a kill) are skipped.
struct BatchEntry {
  ImageSetState state;
  int exit_code = 0;
};
Result<std::vector<BatchEntry>> load_batch_results(const std::string& results_file);

// Of two exit codes, the worse for a batch: a failed verification (1), then one that could not be
// completed (3), then a usage error (2), then success (0).
int worse_exit_code(int a, int b);

// The results file may be written: not a file of any image of the batch, not a folder or device.
Status check_batch_results_path(const std::string& results_file, const std::vector<std::string>& images);

// One line of the results file: `verify_document` (verify --json's output, or its error
// document; one is made when it is not JSON: verify died, and `verify_stderr`'s first line says
// how) with the image's state, the exit code, the start and end times (UTC) and `report` (the
// image's HTML verification report, if written).
std::string batch_result_line(const ImageSetState& state, const std::string& verify_document, int exit_code,
                              int64_t started_unix, int64_t ended_unix, const std::string& report = "",
                              const std::string& verify_stderr = "");

// Appends `line` (with its newline) to `results_file` in one write, and syncs it (and the
// folder, when the file is new). Lines are whole or cut short, never mixed, while one process at a
// time appends; so each cluster task has its own file (O_APPEND is not atomic across NFS clients).
Status append_batch_result(const std::string& results_file, const std::string& line);

}  // namespace exhibit

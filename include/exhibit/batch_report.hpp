// A batch's results merged into one summary (`exhibit report RESULTS... -o summary.html`): every
// results file of a batch or of a cluster's tasks read, each image's latest result kept (earlier
// ones counted, and a change of verdict while the image stayed the same shown), failures first;
// as JSON (docs/output.schema.json, "report") and as a self-contained HTML page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit {

enum class BatchVerdict { Verified, Failed, NotDone };
// "verified", "failed", "not done".
const char* batch_verdict_name(BatchVerdict v);

struct BatchDigest {
  std::string algorithm;  // "md5", "sha1", "sha256", as verify names them
  std::string computed;   // over the media, as this verification read it
  bool matched = true;    // every stored value of this algorithm matched it
};

struct BatchImage {
  std::string path;  // the image's first file, as the batch found it
  BatchVerdict verdict = BatchVerdict::NotDone;
  int exit_code = 0;
  uint64_t size = 0;           // the set's files, bytes
  uint64_t media_size = 0;     // 0 when verify could not read the image
  std::string started, ended;  // UTC, ISO 8601
  double seconds = 0;          // verify's own time (0 when it did not run to the end)
  std::vector<BatchDigest> digests;
  std::string reason;              // why it failed or was not done; "" when verified
  std::vector<std::string> notes;  // what was not checked, and the like (verify's not_checked)
  std::string report;              // its HTML verification report, "" if none was written
  std::string acquisition_report;  // BASE.report.html beside the record, when it exists
  std::string results_file;        // where the result kept was read
  size_t line = 0;
  size_t earlier_results = 0;            // results of the same image the summary did not keep
  size_t earlier_failures = 0;           // of those, how many did not pass
  bool changed_while_unchanged = false;  // an earlier result of the image in the same state had another verdict
};

struct BatchInput {
  std::string path;
  size_t lines = 0;
  std::vector<size_t> unreadable_lines;  // numbers from 1: cut short, not JSON, no batch fields
};

struct BatchSummary {
  std::vector<BatchInput> inputs;
  std::vector<BatchImage> images;  // failed, then not done, then verified; each by path
  size_t verified = 0, failed = 0, not_done = 0;
  uint64_t bytes = 0;
  int exit_code = 0;  // the worst of the images: 1 (a failure), then 3 (not done), then 2, then 0
};

// Why one result line (batch_result_line) is not a pass, in a line: "" when it is one.
std::string batch_result_reason(const std::string& result_line);

// Reads every results file in `paths` (files, or folders: each *.jsonl directly inside, by name).
// NotFound naming a path that does not exist or a folder with no results file; Io if one cannot be
// read. Lines that cannot be used are counted per input, never fatal.
Result<BatchSummary> merge_batch_results(const std::vector<std::string>& paths);

// `exhibit report --json`: one document (docs/output.schema.json "report").
std::string batch_summary_json(const BatchSummary& summary);

// `exhibit report -o FILE`: the summary as a self-contained HTML page (no scripts, nothing fetched;
// links only to each image's reports, relative to FILE's folder where they can be), written
// atomically. Refused (InvalidArgument/AlreadyExists, as every output) when FILE is an input, a
// file of an image in the summary, or exists and !force.
Status write_batch_summary_html(const std::string& path, const BatchSummary& summary, bool force);

}  // namespace exhibit

// exhibit report RESULTS...: a batch's results files (verify --results, one per cluster task)
// merged into one summary: a few lines for people (the images that did not pass, then the
// counts), --json for programs, -o for a printable page. The exit code is the batch's: the worst
// of its images.
#include <cstdio>

#include "commands.hpp"
#include "exhibit/batch_report.hpp"
#include "exhibit/output.hpp"
#include "exhibit/text.hpp"

namespace exhibit::cli {

int run_report(const CommandLine& cl) {
  auto merged = merge_batch_results(cl.results_inputs);
  if (!merged) {
    const int code = report_error(merged.error());
    if (cl.json) std::fputs(error_json("report", merged.error(), code).c_str(), stdout);
    return code;
  }
  const BatchSummary& s = *merged;
  if (!cl.summary_html.empty()) {
    if (auto st = write_batch_summary_html(cl.summary_html, s, cl.force); !st) {
      const int code = report_error(st.error());
      if (cl.json) std::fputs(error_json("report", st.error(), code).c_str(), stdout);
      return code;
    }
  }
  for (const auto& in : s.inputs) {
    if (in.unreadable_lines.empty()) continue;
    std::fprintf(stderr, "exhibit: warning: %s: %zu line(s) could not be read (the first: line %zu)\n",
                 sanitize_for_terminal(in.path).c_str(), in.unreadable_lines.size(), in.unreadable_lines.front());
  }
  if (cl.json) {
    std::printf("%s\n", batch_summary_json(s).c_str());
    return s.exit_code;
  }
  if (cl.quiet) return s.exit_code;
  for (const auto& im : s.images) {
    if (im.verdict == BatchVerdict::Verified && !im.changed_while_unchanged) continue;
    const char* word = im.verdict == BatchVerdict::Failed    ? "FAILED"
                       : im.verdict == BatchVerdict::NotDone ? "NOT DONE"
                                                             : "VERIFIED";
    std::string why = im.reason;
    if (im.changed_while_unchanged) why += (why.empty() ? "" : "; ") + std::string("an earlier result differs");
    std::printf("%-9s %s  (%s)\n", word, sanitize_for_terminal(im.path).c_str(), sanitize_for_terminal(why).c_str());
  }
  std::printf("report: %zu images: %zu verified, %zu failed, %zu not done; %zu results files\n", s.images.size(),
              s.verified, s.failed, s.not_done, s.inputs.size());
  if (!cl.summary_html.empty()) std::printf("summary: %s\n", sanitize_for_terminal(cl.summary_html).c_str());
  return s.exit_code;
}

}  // namespace exhibit::cli

// `exhibit report -o FILE`: a batch's summary as one printable page. Every value in it comes from
// results files anyone may have edited, so every one is escaped; the only links are to each
// image's own reports, as file paths (relative to the page where they can be), percent-encoded.
#include <algorithm>
#include <filesystem>

#include "core/batch_lines.hpp"
#include "core/output_guard.hpp"
#include "exhibit/batch_report.hpp"
#include "report/html_report.hpp"
#include "report/record.hpp"
#include "util/units.hpp"

namespace exhibit {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_batch_style = R"(
body { max-width: none; } table.images td, table.images th { width: auto; font-size: 0.92em; }
tr.failed td.v { color: #8a1010; font-weight: 700; } tr.notdone td.v { color: #8a5a00; font-weight: 700; }
tr.verified td.v { color: #0a5a1a; } td.hex { font-size: 0.85em; min-width: 22em; } .warn { color: #8a1010; font-weight: 700; }
table.images code { word-break: normal; overflow-wrap: anywhere; }
)";

// `target` as an href from a page in `folder`: relative where it can be, percent-encoded.
std::string href(const std::string& target, const fs::path& folder) {
  std::error_code ec;
  const fs::path abs = fs::absolute(target, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(folder);
  const std::string path = rel.empty() ? "file://" + abs.string() : rel.string();
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) != 0 || std::string("/-._~:").find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string image_row(const BatchImage& im, const fs::path& folder) {
  const char* cls = im.verdict == BatchVerdict::Failed    ? "failed"
                    : im.verdict == BatchVerdict::NotDone ? "notdone"
                                                          : "verified";
  const char* word = im.verdict == BatchVerdict::Failed    ? "FAILED"
                     : im.verdict == BatchVerdict::NotDone ? "NOT DONE"
                                                           : "VERIFIED";
  std::string r = std::string("<tr class=\"") + cls + "\"><td class=\"v\">" + word + "</td><td><code>" +
                  report::html_escape(im.path) + "</code></td><td>" + report::html_escape(format_bytes(im.size)) +
                  "</td><td class=\"hex\">";
  for (const auto& d : im.digests) {
    r += report::html_escape(d.algorithm) + " " + report::html_escape(d.computed) +
         (d.matched ? "" : " <span class=\"warn\">&#10007; differs</span>") + "<br>";
  }
  r += "</td><td>" + report::html_escape(im.ended) +
       (im.seconds > 0 ? "<br>" + report::html_escape(format_duration(im.seconds)) : "") + "</td><td>";
  if (!im.report.empty()) r += "<a href=\"" + href(im.report, folder) + "\">verification</a> ";
  if (!im.acquisition_report.empty()) r += "<a href=\"" + href(im.acquisition_report, folder) + "\">acquisition</a>";
  r += "</td><td>" + report::html_escape(im.reason);
  for (const auto& n : im.notes) r += "<br>" + report::html_escape(n);
  if (im.earlier_results > 0) {
    r += "<br>" + std::to_string(im.earlier_results) + " earlier result(s), " + std::to_string(im.earlier_failures) +
         " not passed";
  }
  if (im.changed_while_unchanged) {
    r += "<br><span class=\"warn\">the verdict changed while the image stayed the same (size, time, record)</span>";
  }
  r += "<br><small>" + report::html_escape(im.results_file) + " line " + std::to_string(im.line) + "</small>";
  return r + "</td></tr>\n";
}

std::string summary_html(const BatchSummary& s, const fs::path& folder) {
  const size_t n = s.images.size();
  const bool all_passed = n > 0 && s.failed == 0 && s.not_done == 0;
  std::string b = "<h1>Batch verification summary</h1>\n";
  b += std::string("<div class=\"verdict ") + (all_passed ? "pass\">" : "fail\">") +
       (all_passed ? "All images VERIFIED (" + std::to_string(n) + ")"
                   : std::to_string(s.failed) + " FAILED, " + std::to_string(s.not_done) + " NOT DONE, " +
                         std::to_string(s.verified) + " verified, of " + std::to_string(n) + " images") +
       "</div>\n";
  std::string warnings;
  for (const auto& in : s.inputs) {
    if (in.unreadable_lines.empty()) continue;
    std::string lines;
    for (size_t i = 0; i < in.unreadable_lines.size() && i < 20; ++i) {
      lines += (i ? ", " : "") + std::to_string(in.unreadable_lines[i]);
    }
    if (in.unreadable_lines.size() > 20) lines += ", ...";
    warnings += "<li class=\"warn\">" + report::html_escape(in.path) + ": " +
                std::to_string(in.unreadable_lines.size()) +
                " line(s) could not be read (cut short, or not a result): " + lines + "</li>\n";
  }
  for (const auto& im : s.images) {
    if (im.changed_while_unchanged) {
      warnings += "<li class=\"warn\">" + report::html_escape(im.path) +
                  ": an earlier result of the same image had another verdict</li>\n";
    }
  }
  if (!warnings.empty()) b += "<h2>Look at these first</h2><ul>\n" + warnings + "</ul>\n";
  b += "<h2>Counts</h2><table>\n" + report::html_row("Images", std::to_string(n)) +
       report::html_row("Verified", std::to_string(s.verified), "ok") +
       report::html_row("Failed", std::to_string(s.failed), s.failed ? "bad" : "ok") +
       report::html_row("Not done", std::to_string(s.not_done), s.not_done ? "bad" : "ok") +
       report::html_row("Image files", format_bytes(s.bytes)) + "</table>\n";
  b += "<h2>Results files</h2><table>\n";
  for (const auto& in : s.inputs) {
    b += report::html_row(in.path, std::to_string(in.lines) + " lines, " + std::to_string(in.unreadable_lines.size()) +
                                       " unreadable");
  }
  b += "</table>\n<h2>Images (failures first)</h2>\n<table class=\"images\">\n<tr><th>Verdict</th><th>Image</th>"
       "<th>Size</th><th>Digests of the media, as computed</th><th>Verified at (UTC)</th><th>Reports</th>"
       "<th>Why, and notes</th></tr>\n";
  for (const auto& im : s.images) b += image_row(im, folder);
  b += "</table>\n";
  return report::html_page("Batch verification summary", b, k_batch_style,
                           "Each verdict is exhibit verify's, as its results file records it at the time shown; "
                           "this summary reads those files and re-reads no image: repeat any with "
                           "exhibit verify IMAGE.");
}

}  // namespace

Status write_batch_summary_html(const std::string& path, const BatchSummary& summary, bool force) {
  core::OutputGuard guard;
  for (const auto& in : summary.inputs) guard.protect_file(in.path, "a results file being summarised");
  std::vector<std::string> images;
  for (const auto& im : summary.images) images.push_back(im.path);
  core::protect_image_sets(guard, images);
  for (const auto& im : summary.images) {
    if (!im.report.empty()) guard.protect_file(im.report, "an image's verification report");
  }
  guard.add_output(path);
  if (auto st = guard.check(force); !st) return st;
  std::error_code ec;
  const fs::path folder = fs::absolute(fs::path(path), ec).parent_path().lexically_normal();
  return report::write_file_atomically(path, summary_html(summary, folder));
}

}  // namespace exhibit

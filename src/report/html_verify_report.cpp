// verify_html (report/html_report.hpp): verify --report's page, laid out for filing.
#include <algorithm>

#include "report/html_parts.hpp"
#include "report/html_report.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::report {

namespace {

// The image header's values that name the case and the device, for the summary.
constexpr const char* k_summary_headers[] = {"case_number", "evidence_number", "examiner_name", "model",
                                             "serial_number"};

std::vector<SectorRange> mismatched_sectors(const VerifyReport& r) {
  std::vector<SectorRange> mismatched;
  const uint64_t bps = std::max<uint32_t>(1, r.info.bytes_per_sector);
  for (const auto& m : r.piece_mismatches) append_range(mismatched, {m.offset / bps, (m.length + bps - 1) / bps});
  return mismatched;
}

std::string summary(const std::string& image, const VerifyReport& r, const ReportRun& run) {
  const ImageInfo& i = r.info;
  std::string b = std::string("<div class=\"verdict ") + (r.passed() ? "pass\">" : "fail\">") +
                  html_escape(verify_verdict(r)) + "</div>\n<table>\n";
  for (const char* key : k_summary_headers) {
    for (const auto& [k, v] : i.header_values) {
      if (k == key) b += html_row(k, v);
    }
  }
  b += html_row("Image", util::file_name(image) + ", " + i.format + ", " + std::to_string(i.segment_files.size()) +
                             " file" + (i.segment_files.size() == 1 ? "" : "s")) +
       html_row("Media", std::to_string(i.media_size) + " bytes (" + util::format_bytes(i.media_size) + ")");
  for (const auto& c : r.checks) {
    b += "<tr><th>" + html_escape(c.algorithm) + "</th><td class=\"hex " + (c.match() ? "ok" : "bad") + "\">" +
         html_escape(c.computed) + (c.match() ? " (matches " : " (DIFFERS from ") + html_escape(c.stored_in) +
         ")</td></tr>\n";
  }
  const auto mismatched = mismatched_sectors(r);
  b += html_row("Bad " + std::string(unit_name(i.unit)) + "s",
                r.bad_chunks.empty() ? "none"
                                     : std::to_string(sector_total(r.bad_chunks)) + " sectors (listed under Media map)",
                r.bad_chunks.empty() ? "ok" : "bad");
  if (r.piece_size > 0 || !r.piece_mismatches.empty()) {
    b += html_row("Pieces",
                  std::to_string(r.pieces_checked) + " checked, " + std::to_string(r.piece_mismatches.size()) +
                      " differ",
                  r.piece_mismatches.empty() ? "ok" : "bad");
  }
  if (r.source) {
    b += html_row("Source re-read",
                  r.source->path + ": " +
                      (r.source->differences.empty()
                           ? "no sector differs"
                           : std::to_string(sector_total(r.source->differences)) + " sectors DIFFER"),
                  r.source->differences.empty() ? "ok" : "bad");
  }
  b += html_row("Verified", utc_text(run.started) + " to " + utc_text(run.finished));
  return b + "</table>\n";
}

std::string details(const std::string& image, const VerifyReport& r, const ReportRun& run) {
  const ImageInfo& i = r.info;
  std::string b = "<h2>Run</h2><table>\n" +
                  run_rows({run.started, run.finished, r.seconds, r.bytes_read, run.command_line, ""}) + "</table>\n";
  b += "<h2>Case (from the image header)</h2><table>\n";
  for (const auto& [k, v] : i.header_values) b += html_row(k, v);
  b += "</table>\n<h2>Image</h2><table>\n" + html_row("First file", image) + html_row("Format", i.format) +
       html_row("Segment files", std::to_string(i.segment_files.size())) +
       html_row("Media", std::to_string(i.media_size) + " bytes, " + std::to_string(i.sector_count) + " sectors of " +
                             std::to_string(i.bytes_per_sector) + " bytes") +
       html_row("Chunks", std::to_string(i.chunk_count) + " of " + std::to_string(i.sectors_per_chunk) + " sectors") +
       "</table>\n<h2>Digests</h2><table>\n<tr><th>Algorithm</th><th>Stored</th><th>Computed</th></tr>\n";
  for (const auto& c : r.checks) {
    b += "<tr><td>" + html_escape(c.algorithm) + " <small>(" + html_escape(c.stored_in) +
         ")</small></td><td class=\"hex\">" + html_escape(c.stored) + "</td><td class=\"hex " +
         (c.match() ? "ok" : "bad") + "\">" + html_escape(c.computed) +
         (c.match() ? " &#10003; match" : " &#10007; MISMATCH") + "</td></tr>\n";
  }
  b += "</table>\n<h2>What was checked</h2><table>\n";
  for (const auto& line : verify_lines(r)) b += html_row(line.label, line.text, line.failure ? "bad" : nullptr);
  b += "</table>\n<h2>Media map</h2>\n";
  const auto mismatched = mismatched_sectors(r);
  std::vector<Marks> marks = {{i.acquisition_errors, "#c62828", "unreadable at acquisition"},
                              {r.bad_chunks, "#6a1b9a", "bad chunk"},
                              {mismatched, "#ef6c00", "piece differs from the record"}};
  if (r.source) marks.push_back({r.source->differences, "#1565c0", "differs from the source"});
  b += strip(i.sector_count, marks);
  b += "<h3>Bad chunks</h3>\n" + ranges_list(r.bad_chunks) + "<h3>Pieces differing</h3>\n" + ranges_list(mismatched) +
       "<h3>Unreadable at acquisition</h3>\n" + ranges_list(i.acquisition_errors);
  if (r.source) {
    b += "<h2>Source re-read</h2><table>\n" +
         html_row("Source", r.source->path + ", " + std::to_string(r.source->compared) + " bytes compared") +
         "</table>\n<h3>Write-block steps</h3><ul>\n" + write_block_steps(r.source->write_block) +
         "</ul>\n<h3>Differs from the source</h3>\n" + ranges_list(r.source->differences) +
         "<h3>Unreadable now</h3>\n" + ranges_list(r.source->unreadable);
  }
  if (!r.segment_checks.empty() || !r.signatures.empty()) {
    b += "<h2>Files and signatures</h2><table>\n";
    for (const auto& f : r.segment_checks) {
      b += html_row(f.file, f.match() ? "SHA-256 matches the record" : "SHA-256 DIFFERS from the record",
                    f.match() ? "ok" : "bad");
    }
    for (const auto& s : r.signatures) {
      b += html_row(s.what + " " + s.file, (s.valid ? "valid" : "INVALID") + (s.detail.empty() ? "" : ": " + s.detail),
                    s.valid ? "ok" : "bad");
    }
    b += "</table>\n";
  }
  b += "<h2>Repeat with independent tools</h2>\n" + commands_block(verify_repeat_commands(image, r));
  return b;
}

}  // namespace

std::string verify_html(const std::string& image, const VerifyReport& r, const ReportRun& run) {
  return filing_page("Verification report", image, summary(image, r, run), details(image, r, run));
}

}  // namespace exhibit::report

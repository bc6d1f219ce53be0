// acquire_html (report/html_report.hpp): BASE.report.html, laid out for filing.
#include <algorithm>

#include "report/html_parts.hpp"
#include "report/html_report.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::report {

namespace {

// What anyone can run to repeat the checks: after --verify the verification's own list for each
// copy; without it the same commands for the files as written.
std::vector<std::string> repeat_commands(const AcquireResult& r, ImageFormat format) {
  std::vector<std::string> out;
  if (r.verification) {
    for (const auto& c : r.verification->copies) {
      if (c.report.info.segment_files.empty()) continue;
      for (auto& line : verify_repeat_commands(c.report.info.segment_files.front(), c.report)) out.push_back(line);
    }
    return out;
  }
  if (r.segment_files.empty()) return out;
  VerifyReport written;
  written.info.unit = format == ImageFormat::Zst   ? StorageUnit::Frame
                      : format == ImageFormat::Raw ? StorageUnit::Block
                                                   : StorageUnit::Chunk;
  written.info.segment_files = r.segment_files;
  written.info.media_size = r.bytes;
  written.checksums_file = r.checksums_file;
  return verify_repeat_commands(r.segment_files.front(), written);
}

std::string verification_verdict(const AcquireResult& r) {
  if (!r.verification)
    return "<div class=\"verdict\">Not verified after acquisition (acquire --verify was not given)</div>\n";
  const AcquireVerification& v = *r.verification;
  const std::string what = v.what == VerifyAfter::Source ? "every copy and the source" : "every copy";
  return std::string("<div class=\"verdict ") +
         (v.passed() ? "pass\">VERIFIED: " + what + " read again; every chunk, digest and piece matches"
                     : "fail\">VERIFICATION FAILED: see the verification section") +
         "</div>\n";
}

std::string summary(const AcquireOptions& o, const AcquireResult& r) {
  const SourceInfo& s = r.source;
  const bool complete = r.complete();
  std::string b = std::string("<div class=\"verdict ") +
                  (complete ? "pass\">Complete: every sector read"
                            : "fail\">Complete with " + std::to_string(sector_total(r.unreadable)) +
                                  " unreadable sectors in " + std::to_string(r.unreadable.size()) +
                                  " ranges, zero-filled and recorded") +
                  "</div>\n" + verification_verdict(r);
  b += "<table>\n" + html_row("Case number", o.metadata.case_number) +
       html_row("Evidence number", o.metadata.evidence_number) + html_row("Examiner", o.metadata.examiner) +
       html_row("Device", s.path + (s.is_block_device ? " (block device)" : " (file)")) + html_row("Model", s.model) +
       html_row("Serial", s.serial) +
       html_row("Size", std::to_string(s.size) + " bytes (" + util::format_bytes(s.size) + ")");
  for (const auto& d : r.digests)
    b += "<tr><th>" + html_escape(d.algorithm) + "</th><td class=\"hex\">" + d.hex + "</td></tr>\n";
  b += html_row("Acquired", utc_text(r.started) + " to " + utc_text(r.finished)) +
       html_row("Unreadable sectors",
                complete ? "none"
                         : std::to_string(sector_total(r.unreadable)) + " in " + std::to_string(r.unreadable.size()) +
                               " ranges (every one listed under Media map)",
                complete ? "ok" : "bad");
  if (r.verification) {
    b += html_row("Verification",
                  std::string(r.verification->passed() ? "verified" : "FAILED") + ", " + r.verification->finished,
                  r.verification->passed() ? "ok" : "bad");
  }
  return b + "</table>\n";
}

std::string verification_section(const AcquireVerification& v) {
  std::string b = "<h2>Verification</h2><table>\n" +
                  html_row("Read again", v.what == VerifyAfter::Source ? "every copy, and the source" : "every copy") +
                  html_row("Started", v.started) + html_row("Finished", v.finished) +
                  html_row("Duration", util::format_duration(v.seconds)) +
                  html_row("Verdict", v.passed() ? "verified" : "FAILED", v.passed() ? "ok" : "bad") + "</table>\n";
  for (const auto& c : v.copies) {
    b += "<h3>" + html_escape(c.base) + "</h3><table>\n";
    for (const auto& line : verify_lines(c.report))
      b += html_row(line.label, line.text, line.failure ? "bad" : nullptr);
    b += html_row("verdict", c.verdict(), c.incomplete.empty() && c.report.passed() ? "ok" : "bad") + "</table>\n";
    if (c.report.source) {
      b += "<h3>Write-block steps of the source re-read</h3><ul>\n" + write_block_steps(c.report.source->write_block) +
           "</ul>\n";
    }
  }
  return b;
}

std::string details(const AcquireOptions& o, const AcquireResult& r) {
  const SourceInfo& s = r.source;
  RunFacts run{r.started,
               r.finished,
               r.seconds,
               r.bytes,
               o.command_line,
               r.resumed > 0 ? "of this run; the acquisition was interrupted and resumed " + std::to_string(r.resumed) +
                                   " times, and started at the time above"
                             : ""};
  std::string b = "<h2>Run</h2><table>\n" + run_rows(run) + "</table>\n";
  b += "<h2>Case</h2><table>\n" + html_row("Case number", o.metadata.case_number) +
       html_row("Evidence number", o.metadata.evidence_number) + html_row("Examiner", o.metadata.examiner) +
       html_row("Description", o.metadata.description) + html_row("Notes", o.metadata.notes) + "</table>\n";
  b += "<h2>Source</h2><table>\n" + html_row("Path", s.path) +
       html_row("Kind", s.is_block_device ? "block device" : "file") + html_row("Model", s.model) +
       html_row("Serial", s.serial) + html_row("Firmware", s.firmware) +
       html_row("Size", std::to_string(s.size) + " bytes (" + util::format_bytes(s.size) + ")") +
       html_row("Sector size", std::to_string(s.logical_sector_size) + " logical, " +
                                   std::to_string(s.physical_sector_size) + " physical") +
       "</table>\n<h3>Write-block steps</h3><ul>\n" + write_block_steps(r.write_block) + "</ul>\n";
  b += "<h2>Digests</h2><table>\n";
  for (const auto& d : r.digests)
    b += "<tr><th>" + html_escape(d.algorithm) + "</th><td class=\"hex\">" + d.hex + "</td></tr>\n";
  for (const auto& d : r.source_digests) {
    b += "<tr><th>" + html_escape(d.algorithm) + " (source bytes)</th><td class=\"hex\">" + d.hex + "</td></tr>\n";
  }
  b += "</table>\n";
  if (r.verification) b += verification_section(*r.verification);
  b += "<h2>Media map</h2>\n";
  const uint64_t sectors = (r.bytes + s.logical_sector_size - 1) / std::max<uint32_t>(1, s.logical_sector_size);
  b += strip(sectors, {{r.unreadable, "#c62828", "unreadable"}, {r.recovered, "#f9a825", "recovered on a retry"}});
  b += "<h3>Unreadable sectors</h3>\n" + ranges_list(r.unreadable) + "<h3>Recovered sectors</h3>\n" +
       ranges_list(r.recovered);
  b += "<h2>Files</h2><table>\n";
  for (const auto& f : r.segments) b += html_row(f.path, std::to_string(f.size) + " bytes, SHA-256 " + f.sha256);
  b += html_row("Log", r.log_file) + html_row("Record", r.record_file) +
       html_row("Signature", r.signature_file.empty() ? "none" : r.signature_file) + "</table>\n";
  b += "<h2>Repeat with independent tools</h2>\n" + commands_block(repeat_commands(r, o.format));
  if (!r.pieces.empty()) {
    b += "<h2>Pieces: SHA-256 of each window of the source</h2><table class=\"pieces\">\n"
         "<tr><th>Offset</th><th>Length</th><th>SHA-256</th></tr>\n";
    for (const auto& p : r.pieces) {
      b += "<tr><td>" + std::to_string(p.offset) + "</td><td>" + std::to_string(p.length) + "</td><td>" + p.sha256 +
           "</td></tr>\n";
    }
    b += "</table>\n";
  }
  return b;
}

}  // namespace

std::string acquire_html(const AcquireOptions& o, const AcquireResult& r) {
  const std::string image = r.segment_files.empty() ? o.output_base : r.segment_files.front();
  return filing_page("Acquisition report", image, summary(o, r), details(o, r));
}

}  // namespace exhibit::report

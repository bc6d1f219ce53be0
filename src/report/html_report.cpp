#include "report/html_report.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "exhibit/output.hpp"
#include "report/record.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::report {

namespace {

constexpr const char* k_style = R"(
body { font-family: sans-serif; margin: 2em; color: #111; max-width: 60em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top; padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
th { width: 14em; font-weight: 600; } code, .hex { font-family: monospace; word-break: break-all; }
.verdict { padding: 0.8em 1em; font-size: 1.2em; font-weight: 700; border: 2px solid; margin: 1em 0; }
.pass { color: #0a5a1a; border-color: #0a5a1a; background: #e6f4e9; } .fail { color: #8a1010; border-color: #8a1010; background: #fbe9e9; }
.ok { color: #0a5a1a; } .bad { color: #8a1010; font-weight: 700; }
.legend span { display: inline-block; width: 1em; height: 1em; vertical-align: middle; margin: 0 0.3em 0 1em; border: 1px solid #555; }
pre { white-space: pre-wrap; word-break: break-all; }
footer { margin-top: 2em; font-size: 0.85em; color: #555; }
@media print { body { margin: 0; } }
)";

// One class of regions drawn on the media strip.
struct Marks {
  std::vector<SectorRange> ranges;
  const char* colour;
  const char* label;
};

std::string row(const std::string& key, const std::string& value, const char* value_class = nullptr) {
  std::string out = "<tr><th>" + html_escape(key) + "</th><td";
  if (value_class != nullptr) out += std::string(" class=\"") + value_class + "\"";
  return out + ">" + html_escape(value) + "</td></tr>\n";
}

std::string ranges_text(const std::vector<SectorRange>& ranges) {
  if (ranges.empty()) return "none";
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ", ";
    out += std::to_string(r.first) + "-" + std::to_string(r.last());
  }
  return out;
}

// The media as a 1000-unit strip; each marked range at least one unit wide so that a single
// sector on a terabyte disk is still visible.
std::string strip(uint64_t sectors, const std::vector<Marks>& marks) {
  std::string svg =
      "<svg viewBox=\"0 0 1000 40\" width=\"100%\" height=\"40\" "
      "role=\"img\" aria-label=\"media map\"><rect x=\"0\" y=\"0\" width=\"1000\" height=\"40\" "
      "fill=\"#cfe8d4\" stroke=\"#555\"/>";
  const double scale = sectors == 0 ? 0 : 1000.0 / static_cast<double>(sectors);
  char buf[160];
  for (const auto& m : marks) {
    for (const auto& r : m.ranges) {
      const double x = static_cast<double>(r.first) * scale;
      const double w = std::max(1.0, static_cast<double>(r.count) * scale);
      std::snprintf(buf, sizeof(buf), "<rect x=\"%.3f\" y=\"0\" width=\"%.3f\" height=\"40\" fill=\"%s\"/>", x, w,
                    m.colour);
      svg += buf;
    }
  }
  svg += "</svg>\n<p class=\"legend\"><span style=\"background:#cfe8d4\"></span>as recorded";
  for (const auto& m : marks) {
    svg += std::string("<span style=\"background:") + m.colour + "\"></span>" + m.label + " (" +
           std::to_string(m.ranges.size()) + ")";
  }
  return svg + "</p>\n";
}

std::string page(const std::string& title, const std::string& body) {
  return html_page(title, body, "",
                   "Every value above can be checked with the commands listed, using tools exhibit did not write.");
}

}  // namespace

std::string html_page(const std::string& title, const std::string& body, const std::string& style,
                      const std::string& footer) {
  const std::time_t now = std::time(nullptr);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" + html_escape(title) +
         "</title>\n<style>" + k_style + style + "</style></head>\n<body>\n" + body + "<footer>exhibit " +
         EXHIBIT_VERSION + ", report written " + util::iso8601_utc(now) + ". " + html_escape(footer) +
         "</footer>\n</body></html>\n";
}

std::string html_row(const std::string& key, const std::string& value, const char* value_class) {
  return row(key, value, value_class);
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : util::sanitize_for_terminal(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string acquire_html(const AcquireOptions& o, const AcquireResult& r) {
  const SourceInfo& s = r.source;
  std::string b = "<h1>Acquisition report</h1>\n<p>" + html_escape(r.segment_files.empty() ? "" : r.segment_files[0]) +
                  "</p>\n";
  const bool complete = r.complete();
  b += std::string("<div class=\"verdict ") +
       (complete ? "pass\">Complete: every sector read" : "fail\">Complete with ") +
       (complete ? "" : std::to_string(r.unreadable.size()) + " unreadable ranges, zero-filled and recorded") +
       "</div>\n";
  b += "<h2>Case</h2><table>\n" + row("Case number", o.metadata.case_number) +
       row("Evidence number", o.metadata.evidence_number) + row("Examiner", o.metadata.examiner) +
       row("Description", o.metadata.description) + row("Notes", o.metadata.notes) + "</table>\n";
  b += "<h2>Source</h2><table>\n" + row("Path", s.path) + row("Kind", s.is_block_device ? "block device" : "file") +
       row("Model", s.model) + row("Serial", s.serial) +
       row("Size", std::to_string(s.size) + " bytes (" + util::format_bytes(s.size) + ")") +
       row("Sector size", std::to_string(s.logical_sector_size) + " logical, " +
                              std::to_string(s.physical_sector_size) + " physical") +
       row("Write-block", !r.write_block.applicable ? "not applicable (regular file, opened read-only)"
                          : r.write_block.verified  ? "kernel read-only flag set and verified"
                                                    : "opened read-only; read-only flag not verified") +
       "</table>\n";
  b += "<h2>Digests</h2><table>\n";
  for (const auto& d : r.digests)
    b += "<tr><th>" + html_escape(d.algorithm) + "</th><td class=\"hex\">" + d.hex + "</td></tr>\n";
  for (const auto& d : r.source_digests) {
    b += "<tr><th>" + html_escape(d.algorithm) + " (source bytes)</th><td class=\"hex\">" + d.hex + "</td></tr>\n";
  }
  b += "</table>\n<h2>Media map</h2>\n";
  const uint64_t sectors = (r.bytes + s.logical_sector_size - 1) / std::max<uint32_t>(1, s.logical_sector_size);
  b += strip(sectors, {{r.unreadable, "#c62828", "unreadable"}, {r.recovered, "#f9a825", "recovered on a retry"}});
  b += "<table>\n" + row("Unreadable sectors", ranges_text(r.unreadable), r.unreadable.empty() ? "ok" : "bad") +
       row("Recovered sectors", ranges_text(r.recovered)) + "</table>\n";
  b += "<h2>Files</h2><table>\n";
  for (const auto& f : r.segments) b += row(f.path, std::to_string(f.size) + " bytes, SHA-256 " + f.sha256);
  b += row("Log", r.log_file) + row("Record", r.record_file) +
       row("Signature", r.signature_file.empty() ? "none" : r.signature_file) + "</table>\n";
  return page("Acquisition report", b);
}

std::string verify_html(const std::string& image, const VerifyReport& r) {
  const ImageInfo& i = r.info;
  std::string b = "<h1>Verification report</h1>\n<p>" + html_escape(image) + "</p>\n";
  b += std::string("<div class=\"verdict ") +
       (r.passed() ? "pass\">VERIFIED: every chunk and every stored digest matches"
                   : "fail\">FAILED: the image does not match what it records") +
       "</div>\n";
  b += "<h2>Case (from the image header)</h2><table>\n";
  for (const auto& [k, v] : i.header_values) b += row(k, v);
  b += "</table>\n<h2>Image</h2><table>\n" + row("Format", i.format) +
       row("Segment files", std::to_string(i.segment_files.size())) +
       row("Media", std::to_string(i.media_size) + " bytes, " + std::to_string(i.sector_count) + " sectors of " +
                        std::to_string(i.bytes_per_sector) + " bytes") +
       row("Chunks", std::to_string(i.chunk_count) + " of " + std::to_string(i.sectors_per_chunk) + " sectors") +
       "</table>\n<h2>Digests</h2><table>\n<tr><th>Algorithm</th><th>Stored</th><th>Computed</th></tr>\n";
  for (const auto& c : r.checks) {
    b += "<tr><td>" + html_escape(c.algorithm) + " <small>(" + html_escape(c.stored_in) +
         ")</small></td><td class=\"hex\">" + html_escape(c.stored) + "</td><td class=\"hex " +
         (c.match() ? "ok" : "bad") + "\">" + html_escape(c.computed) +
         (c.match() ? " &#10003; match" : " &#10007; MISMATCH") + "</td></tr>\n";
  }
  b += "</table>\n<h2>Media map</h2>\n";
  std::vector<SectorRange> mismatched;
  const uint64_t bps = std::max<uint32_t>(1, i.bytes_per_sector);
  for (const auto& m : r.piece_mismatches) {
    append_range(mismatched, {m.offset / bps, (m.length + bps - 1) / bps});
  }
  std::vector<Marks> marks = {{i.acquisition_errors, "#c62828", "unreadable at acquisition"},
                              {r.bad_chunks, "#6a1b9a", "bad chunk"},
                              {mismatched, "#ef6c00", "piece differs from the record"}};
  if (r.source) marks.push_back({r.source->differences, "#1565c0", "differs from the source"});
  b += strip(i.sector_count, marks);
  b += "<table>\n" + row("Bad chunks", ranges_text(r.bad_chunks), r.bad_chunks.empty() ? "ok" : "bad") +
       row("Pieces differing", ranges_text(mismatched), mismatched.empty() ? "ok" : "bad") +
       row("Unreadable at acquisition", ranges_text(i.acquisition_errors));
  if (r.source) {
    b += row("Source re-read", r.source->path + ", " + std::to_string(r.source->compared) + " bytes compared") +
         row("Differs from the source", ranges_text(r.source->differences),
             r.source->differences.empty() ? "ok" : "bad");
  }
  b += "</table>\n";
  if (!r.segment_checks.empty() || !r.signatures.empty()) {
    b += "<h2>Files and signatures</h2><table>\n";
    for (const auto& f : r.segment_checks) {
      b += row(f.file, f.match() ? "SHA-256 matches the record" : "SHA-256 DIFFERS from the record",
               f.match() ? "ok" : "bad");
    }
    for (const auto& s : r.signatures) {
      b += row(s.what + " " + s.file, (s.valid ? "valid" : "INVALID") + (s.detail.empty() ? "" : ": " + s.detail),
               s.valid ? "ok" : "bad");
    }
    b += "</table>\n";
  }
  if (!r.problems.empty() || !r.notes.empty() || !r.record_mismatches.empty() || !r.not_checked.empty()) {
    b += "<h2>Problems and notes</h2><ul>\n";
    for (const auto& m : r.record_mismatches) b += "<li class=\"bad\">" + html_escape(m.message()) + "</li>\n";
    for (const auto& n : r.not_checked) b += "<li class=\"bad\">not checked: " + html_escape(n) + "</li>\n";
    for (const auto& p : r.problems) b += "<li class=\"bad\">" + html_escape(p) + "</li>\n";
    for (const auto& n : r.notes) b += "<li>" + html_escape(n) + "</li>\n";
    b += "</ul>\n";
  }
  b += "<h2>Repeat with independent tools</h2>\n<pre>";
  for (const auto& c : verify_repeat_commands(image, r)) b += html_escape(c) + "\n";
  b += "</pre>\n";
  return page("Verification report", b);
}

}  // namespace exhibit::report

namespace exhibit {

Status write_verify_report(const std::string& path, const std::string& image, const VerifyReport& report) {
  return report::write_file_atomically(path, report::verify_html(image, report));
}

}  // namespace exhibit

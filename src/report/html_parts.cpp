#include "report/html_parts.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "exhibit/version.hpp"
#include "report/html_report.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::report {

namespace {

// Printed: A4, the image's name at the top of every page and "page n of m" at the bottom, drawn
// by the browser's page margin boxes (Chromium 131 and later; where a browser has none, its own
// header prints the title, which is the image's name too). The summary is alone on page 1.
constexpr const char* k_filing_style = R"(
.image-name { font-family: monospace; word-break: break-all; }
.summary { break-after: page; }
.summary table th { width: 9em; } .summary td.hex { font-size: 0.9em; }
.sign { margin-top: 2.5em; display: grid; grid-template-columns: 1fr 1fr; gap: 2.2em 2em; }
.sign div { border-top: 1px solid #111; padding-top: 0.2em; font-size: 0.9em; }
ul.ranges { columns: 3; font-family: monospace; padding-left: 1.2em; }
table.pieces td { font-family: monospace; word-break: break-all; }
tr, li { break-inside: avoid; }
h2 { break-after: avoid; }
@media print { body { font-size: 10pt; max-width: none; } .verdict { font-size: 1.05em; } }
)";

// `text` as a CSS string's contents: anything but plain letters, digits and a few marks becomes
// an escape, so a name can neither end the string nor the style sheet.
std::string css_string(const std::string& text) {
  std::string out;
  char buf[16];
  for (unsigned char c : util::sanitize_for_terminal(text)) {
    if (std::isalnum(c) || c == ' ' || c == '.' || c == '-' || c == '_' || c == '/' || c >= 0x80) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof(buf), "\\%x ", c);
      out += buf;
    }
  }
  return out;
}

std::string time_text(std::time_t t, bool utc) {
  if (t == 0) return "not known";
  std::tm tm{};
  if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == nullptr) return "not known";
  char buf[96];
  std::strftime(buf, sizeof(buf), utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z (UTC%z)", &tm);
  return buf;
}

}  // namespace

std::string utc_text(std::time_t t) { return time_text(t, true); }
std::string local_text(std::time_t t) { return time_text(t, false); }

std::string filing_page(const std::string& heading, const std::string& image, const std::string& summary,
                        const std::string& details) {
  const std::string file = util::file_name(image);
  const std::string name = css_string(file);
  const std::string style = std::string(k_filing_style) + "@page { size: A4; margin: 16mm 14mm 18mm; " +
                            "@top-left { content: \"" + name + "\"; font: 8pt monospace; color: #333; } " +
                            "@top-right { content: \"" + css_string(heading) +
                            "\"; font: 8pt sans-serif; color: #333; } " +
                            "@bottom-right { content: \"page \" counter(page) \" of \" counter(pages); font: 8pt " +
                            "sans-serif; color: #333; } }\n";
  const std::string body = "<section class=\"summary\">\n<h1>" + html_escape(heading) +
                           "</h1>\n<p class=\"image-name\">" + html_escape(image) + "</p>\n" + summary +
                           signature_lines() + "</section>\n" + details;
  return html_page(file, body, style,
                   "Every value above can be checked with the commands listed, using tools exhibit did not write.");
}

std::string run_rows(const RunFacts& run) {
  std::string b =
      html_row("Started (UTC)", utc_text(run.started)) + html_row("Started (local)", local_text(run.started)) +
      html_row("Finished (UTC)", utc_text(run.finished)) + html_row("Finished (local)", local_text(run.finished));
  std::string duration = util::format_duration(run.seconds);
  if (!run.duration_note.empty()) duration += " (" + run.duration_note + ")";
  b += html_row("Duration", duration);
  b += html_row("Average rate", util::format_bytes(static_cast<uint64_t>(static_cast<double>(run.bytes) /
                                                                         std::max(run.seconds, 1e-6))) +
                                    "/s (" + std::to_string(run.bytes) + " bytes)");
  b += "<tr><th>Command line</th><td><code>" + html_escape(run.command_line.empty() ? "not known" : run.command_line) +
       "</code></td></tr>\n";
  const HostInfo host = host_info();
  const BuildInfo& build = build_info();
  b += html_row("Host", host.name) + html_row("Operating system", host.os) +
       html_row("exhibit", build.version + " (commit " + build.commit + ")");
  for (const auto& l : build.libraries) {
    b += html_row(l.name, l.version + (l.at_run_time ? "" : " (the version built with)"));
  }
  return b;
}

std::string write_block_steps(const WriteBlockRecord& wb) {
  if (!wb.applicable) return "<li>not applicable: a regular file, opened read-only</li>\n";
  std::string b;
  for (const auto& e : wb.events) b += "<li>" + html_escape(e) + "</li>\n";
  b += std::string("<li>") +
       (wb.verified ? "kernel read-only flag set and read back as set before the first read"
                    : "the kernel read-only flag was NOT read back as set") +
       "</li>\n";
  if (wb.cleared_during) b += "<li class=\"bad\">the read-only flag was cleared while reading and set again</li>\n";
  return b;
}

std::string ranges_list(const std::vector<SectorRange>& ranges) {
  if (ranges.empty()) return "<p>none</p>\n";
  std::string b = "<p>" + std::to_string(sector_total(ranges)) + " sectors in " + std::to_string(ranges.size()) +
                  " ranges (first-last sector):</p>\n<ul class=\"ranges\">\n";
  for (const auto& r : ranges) b += "<li>" + std::to_string(r.first) + "-" + std::to_string(r.last()) + "</li>\n";
  return b + "</ul>\n";
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

std::string signature_lines() {
  return "<div class=\"sign\"><div>Examiner: name and signature</div><div>Date</div>"
         "<div>Witness: name and signature</div><div>Date</div></div>\n";
}

std::string commands_block(const std::vector<std::string>& commands) {
  std::string b = "<pre>";
  for (const auto& c : commands) b += html_escape(c) + "\n";
  return b + "</pre>\n";
}

}  // namespace exhibit::report

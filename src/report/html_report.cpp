#include "report/html_report.hpp"

#include <ctime>

#include "exhibit/output.hpp"
#include "report/record.hpp"
#include "util/text.hpp"

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

std::string row(const std::string& key, const std::string& value, const char* value_class = nullptr) {
  std::string out = "<tr><th>" + html_escape(key) + "</th><td";
  if (value_class != nullptr) out += std::string(" class=\"") + value_class + "\"";
  return out + ">" + html_escape(value) + "</td></tr>\n";
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

}  // namespace exhibit::report

namespace exhibit {

Status write_verify_report(const std::string& path, const std::string& image, const VerifyReport& report,
                           const ReportRun& run) {
  return report::write_file_atomically(path, report::verify_html(image, report, run));
}

}  // namespace exhibit

// A printable, self-contained HTML report (no scripts, no network resources): case details,
// device, digests, verdicts, and a strip picture of the media marking unreadable, recovered and
// mismatched regions. Every string is escaped: image header values are untrusted.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/output.hpp"
#include "exhibit/verify.hpp"

namespace exhibit::report {

// Written by `acquire` beside the image (html_acquire_report.cpp).
std::string acquire_html(const AcquireOptions& options, const AcquireResult& result);
// Written by `verify --report FILE` (exhibit::write_verify_report), with verify_repeat_commands
// (html_verify_report.cpp).
std::string verify_html(const std::string& image, const VerifyReport& report, const ReportRun& run);

// A whole page: `body` (markup, already escaped) under `title`, the common style sheet with
// `style` added, and a footer naming exhibit's version, the time written and `footer` (text).
std::string html_page(const std::string& title, const std::string& body, const std::string& style,
                      const std::string& footer);
// A table row: `key` as its header cell, `value` as text in a cell of `value_class` (or none).
std::string html_row(const std::string& key, const std::string& value, const char* value_class = nullptr);

// HTML-escapes `text` (& < > " ') after replacing control characters and invalid UTF-8.
std::string html_escape(const std::string& text);

}  // namespace exhibit::report

// Untrusted text (from an image, a device or the command line) made safe inside XML 1.0.
#pragma once

#include <string>
#include <string_view>

namespace exhibit::report {

// `text` as XML character data or an attribute value (either quote): & < > " ' escaped; tab, line
// feed and carriage return as character references (kept through attribute normalisation); every
// character XML 1.0 does not allow (other C0 controls, U+FFFE, U+FFFF) and every byte that is not
// part of valid UTF-8 become U+FFFD, so the document stays well-formed whatever the text holds.
std::string xml_escape(std::string_view text);

// `text` with the same characters replaced by U+FFFD but nothing escaped: a valid xsd:string (the
// XML Schema string type admits XML 1.0's characters only), for the CASE graph's literals.
std::string xsd_string(std::string_view text);

}  // namespace exhibit::report

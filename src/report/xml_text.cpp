#include "report/xml_text.hpp"

#include <cstdint>

namespace exhibit::report {

namespace {

constexpr const char* k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at text[i] and its code point; 0 when it is not one.
size_t utf8_at(std::string_view text, size_t i, uint32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  size_t n = 0;
  uint32_t min = 0;
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  if ((b & 0xE0) == 0xC0) {
    n = 2, cp = b & 0x1Fu, min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3, cp = b & 0x0Fu, min = 0x800;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4, cp = b & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;  // overlong, too large, surrogate
  return n;
}

}  // namespace

namespace {

// Calls `put(code point, its bytes)` for each character XML 1.0 admits, and `put(0xFFFD, U+FFFD)`
// for each one it does not and each byte that is not part of valid UTF-8.
template <typename Put>
void each_xml_char(std::string_view text, Put put) {
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t n = utf8_at(text, i, cp);
    if (n == 0) {
      put(0xFFFD, k_replacement);
      ++i;
      continue;
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
      put(0xFFFD, k_replacement);
    } else {
      put(cp, text.substr(i, n));
    }
    i += n;
  }
}

}  // namespace

std::string xsd_string(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  each_xml_char(text, [&](uint32_t, std::string_view bytes) { out.append(bytes); });
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  each_xml_char(text, [&](uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out.append(bytes);
    }
  });
  return out;
}

}  // namespace exhibit::report

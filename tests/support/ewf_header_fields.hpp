// The fields of an E01's "header" and "header2" sections read back from the file's bytes, as an
// independent check of what a writer put there: the section found by our walker of section
// descriptors, its body inflated with zlib, header2 decoded from UTF-16LE, the "main" category's
// type line matched with its value line. Types: "c" case number, "n" evidence number, "a"
// description, "e" examiner, "t" notes, "m" acquisition date, "u" system date, ...
#pragma once

#include <zlib.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "image/ewf_layout.hpp"
#include "test_support.hpp"

namespace exhibit::test {

using HeaderFields = std::map<std::string, std::string>;

inline std::string inflate_all(const std::string& compressed) {
  std::string out(1 << 20, '\0');
  uLongf size = static_cast<uLongf>(out.size());
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(compressed.data()),
                 static_cast<uLong>(compressed.size())) != Z_OK) {
    return {};
  }
  out.resize(size);
  return out;
}

// UTF-16LE after a byte-order mark, as UTF-8 (the dates and our test values are in the BMP).
inline std::string utf16le_to_utf8(const std::string& b) {
  std::string out;
  for (size_t i = 2; i + 1 < b.size(); i += 2) {
    const unsigned u = static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8);
    if (u < 0x80) {
      out += static_cast<char>(u);
    } else if (u < 0x800) {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return out;
}

inline std::vector<std::string> split_on(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    if (!item.empty() && item.back() == '\r') item.pop_back();
    out.push_back(item);
  }
  return out;
}

// The first `section` ("header" or "header2") of the segment file `path`: type -> value.
inline HeaderFields read_header_fields(const std::string& path, const std::string& section) {
  auto layout = image::read_segment_layout(path);
  if (!layout) return {};
  const std::string file = read_file(path);
  for (const auto& s : layout->sections) {
    if (s.type != section) continue;
    const size_t body = s.offset + image::k_ewf_section_descriptor_size;
    const std::string raw = inflate_all(file.substr(body, s.size - image::k_ewf_section_descriptor_size));
    const std::string text = section == "header2" ? utf16le_to_utf8(raw) : raw;
    // Line 0: the number of categories, 1: "main", 2: the types, 3: the values.
    const auto lines = split_on(text, '\n');
    if (lines.size() < 4) return {};
    const auto types = split_on(lines[2], '\t'), values = split_on(lines[3], '\t');
    HeaderFields fields;
    for (size_t i = 0; i < types.size() && i < values.size(); ++i) fields[types[i]] = values[i];
    return fields;
  }
  return {};
}

}  // namespace exhibit::test

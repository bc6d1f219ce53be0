#include "report/xml_text.hpp"

#include <gtest/gtest.h>

using exhibit::report::xml_escape;

TEST(XmlText, EscapesMarkupAndKeepsWhitespaceThroughAttributes) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(xml_escape("]]>"), "]]&gt;");
  EXPECT_EQ(xml_escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(XmlText, ReplacesWhatXml10CannotHold) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "a" + r + "b");
  EXPECT_EQ(xml_escape("\x01\x1B\x1F"), r + r + r);
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE\xEF\xBF\xBF"), r + r);  // U+FFFE, U+FFFF
  EXPECT_EQ(xml_escape("\xFF"), r);                          // not UTF-8
  EXPECT_EQ(xml_escape("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), r + r + r);          // a surrogate
  EXPECT_EQ(xml_escape("\xE2\x82"), r + r);                  // cut off
  EXPECT_EQ(xml_escape("\x7F"), "\x7F");                     // allowed in XML 1.0
}

TEST(XmlText, XsdStringReplacesButDoesNotEscape) {
  EXPECT_EQ(exhibit::report::xsd_string("a<&>\"\t\n\r\x01\xFF"), "a<&>\"\t\n\r\xEF\xBF\xBD\xEF\xBF\xBD");
}

#include <gtest/gtest.h>

#include "util/text.hpp"

using exhibit::util::sanitize_for_terminal;

TEST(SanitizeForTerminal, KeepsPrintableAndUtf8) {
  EXPECT_EQ(sanitize_for_terminal("J. Smith"), "J. Smith");
  EXPECT_EQ(sanitize_for_terminal("Müller – 证据"), "Müller – 证据");
}

TEST(SanitizeForTerminal, RemovesEscapeSequencesAndControls) {
  EXPECT_EQ(sanitize_for_terminal("a\x1b[2Jb"), "a?[2Jb");
  EXPECT_EQ(sanitize_for_terminal("x\x07y\x7fz"), "x?y?z");
  EXPECT_EQ(sanitize_for_terminal("l1\nl2\tc"), "l1 l2 c");
  EXPECT_EQ(sanitize_for_terminal("\xc2\x9b"
                                  "31m"),
            "?31m");  // C1 CSI
}

TEST(SanitizeForTerminal, InvalidUtf8BecomesQuestionMarks) {
  EXPECT_EQ(sanitize_for_terminal("a\xff\xfe"
                                  "b"),
            "a??b");
  EXPECT_EQ(sanitize_for_terminal("\xe2\x82"), "??");  // truncated sequence
}

TEST(ToHex, LowerCase) {
  const unsigned char b[] = {0x00, 0xab, 0xff};
  EXPECT_EQ(exhibit::util::to_hex(b, 3), "00abff");
}

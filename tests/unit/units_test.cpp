#include <gtest/gtest.h>

#include "util/units.hpp"

using exhibit::util::format_bytes;
using exhibit::util::format_duration;
using exhibit::util::parse_size;

TEST(ParseSize, PlainBytes) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("1503238553"), 1503238553u);
  EXPECT_EQ(parse_size("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parse_size("18446744073709551616"), std::nullopt);
}

TEST(ParseSize, DecimalAndBinaryUnits) {
  EXPECT_EQ(parse_size("640MB"), 640000000u);
  EXPECT_EQ(parse_size("640M"), 640000000u);
  EXPECT_EQ(parse_size("1MiB"), 1048576u);
  EXPECT_EQ(parse_size("8GiB"), 8589934592u);
  EXPECT_EQ(parse_size("1.4GiB"), 1503238553u);  // floor(1.4 * 2^30)
  EXPECT_EQ(parse_size("2kib"), 2048u);
  EXPECT_EQ(parse_size("1TB"), 1000000000000u);
  EXPECT_EQ(parse_size("512B"), 512u);
}

TEST(ParseSize, RejectsGarbage) {
  for (const char* s : {"", "GiB", "1.2.3GiB", "12XB", "-5", "1 GiB", "1GiBx", "1.5"}) {
    EXPECT_EQ(parse_size(s), std::nullopt) << s;
  }
}

TEST(FormatBytes, Units) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(1503238553), "1.4 GiB");
}

TEST(FormatDuration, Forms) {
  EXPECT_EQ(format_duration(3), "3s");
  EXPECT_EQ(format_duration(123), "2m03s");
  EXPECT_EQ(format_duration(3723), "1h02m03s");
  EXPECT_EQ(format_duration(-1), "?");
}

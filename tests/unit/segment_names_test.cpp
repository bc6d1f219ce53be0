#include <gtest/gtest.h>

#include "image/segment_names.hpp"

using exhibit::image::base_of_first_segment;
using exhibit::image::ewf2_segment_extension;
using exhibit::image::is_ewf2_segment_extension;
using exhibit::image::segment_extension;

TEST(SegmentExtension, EnCaseSequence) {
  EXPECT_EQ(segment_extension(1), "E01");
  EXPECT_EQ(segment_extension(9), "E09");
  EXPECT_EQ(segment_extension(99), "E99");
  EXPECT_EQ(segment_extension(100), "EAA");
  EXPECT_EQ(segment_extension(101), "EAB");
  EXPECT_EQ(segment_extension(125), "EAZ");
  EXPECT_EQ(segment_extension(126), "EBA");
  EXPECT_EQ(segment_extension(775), "EZZ");
  EXPECT_EQ(segment_extension(776), "FAA");
  EXPECT_EQ(segment_extension(14971), "ZZZ");
  EXPECT_EQ(segment_extension(14972), std::nullopt);
  EXPECT_EQ(segment_extension(0), std::nullopt);
  EXPECT_EQ(segment_extension(100, true), "eaa");
}

TEST(BaseOfFirstSegment, OnlyFirstSegments) {
  auto b = base_of_first_segment("dir/case42.E01");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->base, "dir/case42");
  EXPECT_FALSE(b->lower_case);
  EXPECT_TRUE(base_of_first_segment("x.e01")->lower_case);
  EXPECT_FALSE(base_of_first_segment("x.E02"));
  EXPECT_FALSE(base_of_first_segment("x.raw"));
  EXPECT_FALSE(base_of_first_segment(".E01"));
}

TEST(Ewf2SegmentExtension, ExSequence) {
  EXPECT_EQ(ewf2_segment_extension(1, "Ex"), "Ex01");
  EXPECT_EQ(ewf2_segment_extension(99, "Ex"), "Ex99");
  EXPECT_EQ(ewf2_segment_extension(100, "Ex"), "ExAA");
  EXPECT_EQ(ewf2_segment_extension(775, "Ex"), "ExZZ");
  EXPECT_EQ(ewf2_segment_extension(776, "Ex"), "EyAA");
  EXPECT_EQ(ewf2_segment_extension(2127, "Ex"), "EzZZ");
  EXPECT_EQ(ewf2_segment_extension(2128, "Ex"), std::nullopt);
  EXPECT_EQ(ewf2_segment_extension(0, "Ex"), std::nullopt);
  EXPECT_EQ(ewf2_segment_extension(100, "ex"), "exaa");
}

TEST(Ewf2SegmentExtension, OnlyTheNamesItGives) {
  for (const char* ext : {"Ex01", "Ex02", "Ex99", "ExAA", "EyQR", "EzZZ", "ex01", "exaa", "ezzz"}) {
    EXPECT_TRUE(is_ewf2_segment_extension(ext)) << ext;
  }
  for (const char* ext : {"Ex00", "Ex1", "Ex100", "EX02", "Ey01", "ExA1", "ExAb", "exAA", "Ew01", "E01", ""}) {
    EXPECT_FALSE(is_ewf2_segment_extension(ext)) << ext;
  }
}

#include <gtest/gtest.h>

#include "image/segment_names.hpp"

using exhibit::image::base_of_first_segment;
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

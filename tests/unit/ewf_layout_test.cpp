#include <gtest/gtest.h>
#include <zlib.h>

#include "image/ewf_layout.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

TEST(Adler32, AgreesWithZlib) {
  std::string data = random_bytes(100000, 7);
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  for (size_t n : {0ul, 1ul, 72ul, 5552ul, 5553ul, 100000ul}) {
    EXPECT_EQ(image::adler32(p, n), ::adler32(1, p, static_cast<uInt>(n))) << n;
  }
}

class InteropLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = interop_dir();
    if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  }
  std::string dir;
};

TEST_F(InteropLayout, MultiSegmentSetsAreFoundInOrder) {
  auto set = image::check_segment_set(dir + "/go-ewf_rand.dd.E01");
  ASSERT_TRUE(set) << set.error().message();
  ASSERT_EQ(set->size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ((*set)[i].number, i + 1);
  EXPECT_EQ(set->front().closing_section(), "next");
  EXPECT_EQ(set->back().closing_section(), "done");
}

TEST_F(InteropLayout, FtkImagerSingleSegment) {
  auto set = image::check_segment_set(dir + "/sleuthkit_imageformat_mmls_1.E01");
  ASSERT_TRUE(set) << set.error().message();
  ASSERT_EQ(set->size(), 1u);
  bool has_disk = false;
  for (const auto& s : set->front().sections) has_disk = has_disk || s.type == "disk";
  EXPECT_TRUE(has_disk);
}

TEST_F(InteropLayout, FuzzedFileIsCorruption) {
  auto set = image::check_segment_set(dir + "/ewf-forensic_fuzz-crash-parse_segment-add-overflow.E01");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::Corruption);
}

TEST_F(InteropLayout, TruncatedSegmentIsCorruption) {
  TempDir tmp;
  std::string data = read_file(dir + "/e01-rs_image.E01");
  write_file(tmp / "t.E01", data.substr(0, data.size() / 2));
  auto set = image::check_segment_set(tmp / "t.E01");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::Corruption);
  EXPECT_NE(set.error().message().find("past the end"), std::string::npos) << set.error().message();
}

TEST_F(InteropLayout, MissingMiddleSegmentIsNamed) {
  TempDir tmp;
  for (const char* ext : {"E01", "E03", "E04", "E05", "E06"}) {
    write_file(tmp / (std::string("r.") + ext), read_file(dir + "/go-ewf_rand.dd." + ext));
  }
  auto set = image::check_segment_set(tmp / "r.E01");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::Corruption);
  EXPECT_NE(set.error().message().find("r.E02), which is missing"), std::string::npos) << set.error().message();
}

TEST_F(InteropLayout, SegmentFromElsewhereIsOutOfOrder) {
  TempDir tmp;
  write_file(tmp / "r.E01", read_file(dir + "/go-ewf_rand.dd.E01"));
  write_file(tmp / "r.E02", read_file(dir + "/go-ewf_rand.dd.E03"));
  auto set = image::check_segment_set(tmp / "r.E01");
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message().find("holds segment number 3, expected 2"), std::string::npos)
      << set.error().message();
}

TEST(EwfLayout, NotAnEwfFile) {
  TempDir tmp;
  write_file(tmp / "x.E01", std::string(4096, 'A'));
  auto set = image::check_segment_set(tmp / "x.E01");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::Corruption);  // named as an image: a damaged one
  write_file(tmp / "y.E01", "EVF");
  EXPECT_EQ(image::check_segment_set(tmp / "y.E01").error().code(), ErrorCode::Corruption);
}

TEST(EwfLayout, NamesMustBeFirstSegment) {
  TempDir tmp;
  write_file(tmp / "x.raw", "data");
  auto set = image::check_segment_set(tmp / "x.raw");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(image::check_segment_set(tmp / "absent.E01").error().code(), ErrorCode::NotFound);
}

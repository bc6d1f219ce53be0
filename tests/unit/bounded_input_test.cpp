// What keeps a replaced record or resume state from costing unbounded memory: the file's size
// is checked before it is read, and a document stops at a number of values.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/piece_size.hpp"
#include "core/reproducible_time.hpp"
#include "exhibit/setting.hpp"
#include "test_support.hpp"
#include "util/bounded_input.hpp"

using namespace exhibit;

TEST(BoundedInput, FileOverTheLimitIsRefusedUnread) {
  test::TempDir tmp;
  const std::string path = tmp / "big.json";
  test::write_file(path, "{}");
  ASSERT_EQ(::truncate(path.c_str(), (off_t{1} << 30)), 0);  // 1 GiB, sparse
  auto r = util::read_small_file(path, "record");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Corruption);
  EXPECT_EQ(r.error().message(),
            path + " is 1073741824 bytes, more than a record exhibit writes can be (32 MiB): not read");
  test::write_file(path, "{\"a\": 1}");
  ASSERT_TRUE(util::read_small_file(path, "record"));
  EXPECT_EQ(*util::read_small_file(path, "record"), "{\"a\": 1}");
  EXPECT_EQ(util::read_small_file(tmp / "absent", "record").error().code(), ErrorCode::NotFound);
  ASSERT_EQ(::mkfifo((tmp / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(util::read_small_file(tmp / "fifo", "record").error().code(), ErrorCode::Corruption);
}

TEST(BoundedInput, DocumentStopsAtTheValueBound) {
  auto ok = util::parse_bounded_json(R"({"a": [1, 2, {"b": "c"}], "d": null})", "t", 8);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ((*ok)["a"][2]["b"], "c");
  EXPECT_TRUE((*ok)["d"].is_null());
  // It has 7 values (the object, the array, 1, 2, the inner object, "c", null): 6 are too few.
  auto refused = util::parse_bounded_json(R"({"a": [1, 2, {"b": "c"}], "d": null})", "t", 6);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("more than 6 values"), std::string::npos);
  std::string bomb = "[";
  for (int i = 0; i < 200000; ++i) bomb += "{},";
  bomb += "{}]";
  EXPECT_FALSE(util::parse_bounded_json(bomb, "t", 100000));
  EXPECT_TRUE(util::parse_bounded_json(bomb, "t", 300000));
  EXPECT_FALSE(util::parse_bounded_json(std::string(40, '[') + std::string(40, ']'), "t"));
  EXPECT_FALSE(util::parse_bounded_json("{\"a\": ", "t"));
  EXPECT_FALSE(util::parse_bounded_json("{} x", "t"));
}

TEST(PieceSize, AtLeastOneMiBAndAtMost65536Pieces) {
  constexpr uint64_t MiB = uint64_t{1} << 20, TiB = uint64_t{1} << 40;
  EXPECT_EQ(core::choose_piece_size(TiB, 0, true)->size, 0u);
  EXPECT_FALSE(core::choose_piece_size(TiB, 1, true));
  EXPECT_FALSE(core::choose_piece_size(TiB, MiB - 1, false));
  EXPECT_EQ(core::choose_piece_size(64 * MiB, MiB, true)->size, MiB);
  // The default 64 MiB is kept up to 4 TiB and grows beyond: 256 MiB for 16 TiB.
  EXPECT_EQ(core::choose_piece_size(4 * TiB, 64 * MiB, false)->size, 64 * MiB);
  auto grown = core::choose_piece_size(16 * TiB, 64 * MiB, false);
  ASSERT_TRUE(grown);
  EXPECT_EQ(grown->size, 256 * MiB);
  EXPECT_FALSE(grown->reason.empty());
  // Asked for: refused, naming the size that works.
  auto given = core::choose_piece_size(16 * TiB, 64 * MiB, true);
  ASSERT_FALSE(given);
  EXPECT_NE(given.error().message().find("use " + setting_text(Setting::PieceSize) + " 256MiB or more"),
            std::string::npos)
      << given.error().message();
  EXPECT_TRUE(core::piece_size_bounded(16 * TiB, 256 * MiB));
  EXPECT_FALSE(core::piece_size_bounded(16 * TiB, 64 * MiB));
  EXPECT_FALSE(core::piece_size_bounded(MiB, 4096));
}

TEST(SourceDateEpoch, DigitsUpToTheEndOf9999) {
  EXPECT_FALSE(core::parse_source_date_epoch(nullptr)->has_value());
  EXPECT_FALSE(core::parse_source_date_epoch("")->has_value());
  EXPECT_EQ(core::parse_source_date_epoch("0")->value(), 0);
  EXPECT_EQ(core::parse_source_date_epoch("1790000000")->value(), 1790000000);
  EXPECT_EQ(core::parse_source_date_epoch("253402300799")->value(), 253402300799);
  for (const char* bad : {"abc", "-5", "+5", " 5", "5 ", "1e9", "0x10", "12.5"}) {
    auto r = core::parse_source_date_epoch(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(r.error().message(),
              "SOURCE_DATE_EPOCH='" + std::string(bad) + "' is not a number of seconds since 1970");
  }
  for (const char* late : {"253402300800", "9223372036854775808", "99999999999999999999999999"}) {
    auto r = core::parse_source_date_epoch(late);
    ASSERT_FALSE(r) << late;
    EXPECT_NE(r.error().message().find("is after the year 9999"), std::string::npos);
  }
}

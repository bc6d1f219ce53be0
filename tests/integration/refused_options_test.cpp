// Options that cannot be honoured are refused with exit 2 and one line, before anything is
// created: --chunk-sectors 0, a --segment-size smaller than a segment can be, a malformed or
// out-of-range SOURCE_DATE_EPOCH. A valid SOURCE_DATE_EPOCH goes into the log and the record,
// and the E01 headers then hold the same dates as an ewfacquire image of that time.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "ewf_header_fields.hpp"
#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
using namespace std::string_literals;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

CommandResult acquire(const std::string& source, const std::string& base, const std::string& extra,
                      const std::string& env = "") {
  return run(env + " " + sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(base) + " " +
             extra);
}

void expect_refused(const CommandResult& r, const std::string& message, const std::string& base) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("exhibit: error: " + message, 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(base + ".log"));
  EXPECT_FALSE(fs::exists(base + ".E01"));
}

}  // namespace

TEST(RefusedOptions, ChunkSectorsZero) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 1));
  expect_refused(acquire(tmp / "src.bin", tmp / "x", "--chunk-sectors 0"),
                 "--chunk-sectors 0 is not a chunk size: give a power of two from 1 to 65536, or leave it out",
                 tmp / "x");
}

TEST(RefusedOptions, SegmentSizeSmallerThanASegmentCanBe) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(3 << 20, 2));
  const std::string e01 =
      "is smaller than a segment can be: the smallest is 49152 (one chunk of 32768 bytes and its sections)";
  expect_refused(acquire(tmp / "src.bin", tmp / "x", "-S 1"), "--segment-size 1 " + e01, tmp / "x");
  expect_refused(acquire(tmp / "src.bin", tmp / "x", "-S 49151 -c none"), "--segment-size 49151 " + e01, tmp / "x");
  expect_refused(acquire(tmp / "src.bin", tmp / "x", "-S 1MiB --chunk-sectors 65536"),
                 "--segment-size 1048576 is smaller than a segment can be: the smallest is 33570816 (one chunk of "
                 "33554432 bytes and its sections)",
                 tmp / "x");
  expect_refused(acquire(tmp / "src.bin", tmp / "x", "--format raw -S 511"),
                 "--segment-size 511 is smaller than a segment can be: the smallest is 512 (one sector)", tmp / "x");
  EXPECT_FALSE(fs::exists(tmp / "x.001"));
  // The smallest is kept, also with long case text: no segment file is larger.
  const std::string text(3000, 'n');
  ASSERT_EQ(acquire(tmp / "src.bin", tmp / "e", "-S 49152 -c none -D " + text + " -N " + text).exit_code, 0);
  ASSERT_EQ(acquire(tmp / "src.bin", tmp / "r", "--format raw -S 64KiB").exit_code, 0);
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(tmp.path())) {
    const std::string name = f.path().filename().string();
    if (name.rfind("e.E", 0) != 0 && name.rfind("r.0", 0) != 0) continue;
    ++files;
    EXPECT_LE(fs::file_size(f.path()), name[0] == 'e' ? 49152u : 65536u) << name;
  }
  EXPECT_GT(files, 100u);
  EXPECT_EQ(run("ewfverify -q " + sh_quote(tmp / "e.E01")).exit_code, 0);
}

TEST(RefusedOptions, SourceDateEpochThatIsNotATime) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 3));
  for (const std::string& bad : {"abc"s, "-5"s, "1e9"s, " 12"s}) {
    expect_refused(acquire(tmp / "src.bin", tmp / "x", "", "SOURCE_DATE_EPOCH=" + sh_quote(bad)),
                   "SOURCE_DATE_EPOCH='" + bad + "' is not a number of seconds since 1970", tmp / "x");
  }
  for (const std::string& late : {"253402300800"s, "99999999999999999999999"s}) {
    expect_refused(acquire(tmp / "src.bin", tmp / "x", "", "SOURCE_DATE_EPOCH=" + late),
                   "SOURCE_DATE_EPOCH='" + late + "' is after the year 9999 (the largest is 253402300799)", tmp / "x");
  }
}

TEST(SourceDateEpoch, GoesIntoTheLogAndTheRecord) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 4));
  ASSERT_EQ(acquire(tmp / "src.bin", tmp / "fixed", "", "SOURCE_DATE_EPOCH=1790000000").exit_code, 0);
  const json fixed = json::parse(read_file(tmp / "fixed.manifest.json"));
  EXPECT_EQ(fixed["options"]["source_date_epoch"], 1790000000);
  EXPECT_EQ(fixed["started"], "2026-09-21T14:13:20Z");
  EXPECT_NE(read_file(tmp / "fixed.log").find("SOURCE_DATE_EPOCH=1790000000 is set"), std::string::npos);
  ASSERT_EQ(acquire(tmp / "src.bin", tmp / "now", "", "env -u SOURCE_DATE_EPOCH").exit_code, 0);
  const json now = json::parse(read_file(tmp / "now.manifest.json"));
  EXPECT_TRUE(now["options"]["source_date_epoch"].is_null());
  EXPECT_EQ(read_file(tmp / "now.log").find("SOURCE_DATE_EPOCH"), std::string::npos);
}

// ewfacquire (libewf 20140813) writes Unix seconds in header2 and "YYYY M D h m s" local time in
// header. Our image of the same second holds the same date fields, and ewfinfo shows the same.
TEST(EwfHeaderDates, SameAsEwfacquireForTheSameSecond) {
  if (!have_tool("ewfacquire")) GTEST_SKIP() << "ewfacquire is not installed";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 5));
  const std::string tz = "TZ=Europe/Berlin";
  auto theirs = run(tz + " ewfacquire -u -q -t " + sh_quote(tmp / "theirs") + " -c fast " + sh_quote(tmp / "src.bin"));
  ASSERT_EQ(theirs.exit_code, 0) << theirs.out << theirs.err;
  const auto their_header2 = read_header_fields(tmp / "theirs.E01", "header2");
  const auto their_header = read_header_fields(tmp / "theirs.E01", "header");
  const std::string seconds = their_header2.at("m");
  ASSERT_FALSE(seconds.empty());
  ASSERT_EQ(seconds.find_first_not_of("0123456789"), std::string::npos) << seconds;

  ASSERT_EQ(acquire(tmp / "src.bin", tmp / "ours", "", tz + " SOURCE_DATE_EPOCH=" + seconds).exit_code, 0);
  const auto our_header2 = read_header_fields(tmp / "ours.E01", "header2");
  const auto our_header = read_header_fields(tmp / "ours.E01", "header");
  for (const char* field : {"m", "u"}) {
    EXPECT_EQ(our_header2.at(field), their_header2.at(field)) << field;
    EXPECT_EQ(our_header.at(field), their_header.at(field)) << field;
  }
  auto date_line = [&](const std::string& image) {
    return field_after(run(tz + " ewfinfo " + sh_quote(image)).out, "Acquisition date:");
  };
  EXPECT_FALSE(date_line(tmp / "ours.E01").empty());
  EXPECT_EQ(date_line(tmp / "ours.E01"), date_line(tmp / "theirs.E01"));
}

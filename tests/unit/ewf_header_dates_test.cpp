// The acquisition and system dates in the E01 header sections, read back from the bytes: the
// header holds the local time as "YYYY M D h m s" (no leading zeros) and header2 the Unix
// seconds, as ewfacquire's images have them; and our writer gives the same bytes as libewf's
// when libewf makes the dates itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "ewf_header_fields.hpp"
#include "image/chunk_codec.hpp"
#include "image/e01_writer.hpp"
#include "image/libewf_writer.hpp"
#include "image/segment_names.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::image;

namespace {

// Sets TZ for the life of the object (the header holds local time).
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) m_old = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTimeZone() {
    if (m_old.empty()) {
      ::unsetenv("TZ");
    } else {
      ::setenv("TZ", m_old.c_str(), 1);
    }
    ::tzset();
  }

 private:
  std::string m_old;
};

EwfWriteOptions small_image(const std::string& base, std::optional<int64_t> acquired) {
  EwfWriteOptions o;
  o.base = base;
  o.media_size = 64 * 1024;
  o.segment_size = 1 << 30;
  o.header_values = {{"case_number", "2026-117"},
                     {"examiner_name", "J. Examiner"},
                     {"acquiry_operating_system", "Linux"},
                     {"acquiry_software_version", "0.1.0"}};
  o.acquisition_time = acquired;
  o.set_identifier = std::array<uint8_t, 16>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  return o;
}

template <typename Writer>
void write_zeros(Writer& w, const EwfWriteOptions& o) {
  const size_t chunk = size_t{o.sectors_per_chunk} * o.bytes_per_sector;
  ChunkEncoder enc(o.compression, chunk);
  std::vector<unsigned char> data(chunk, 0), out(chunk + 16);
  for (uint64_t pos = 0; pos < o.media_size; pos += chunk)
    ASSERT_TRUE(w.write_chunk(enc.encode(data.data(), chunk, out.data())));
  ASSERT_TRUE(w.finish("00112233445566778899aabbccddeeff", ""));
}

void write_ours(const EwfWriteOptions& o) {
  auto w = E01Writer::create(o);
  ASSERT_TRUE(w) << w.error().message();
  write_zeros(**w, o);
}

}  // namespace

TEST(EwfHeaderDates, HeaderHoldsLocalTimeAndHeader2UnixSeconds) {
  test::TempDir tmp;
  const int64_t t = 1795943107;  // 2026-11-29 09:05:07 UTC
  {
    ScopedTimeZone utc("UTC");
    write_ours(small_image(tmp / "utc", t));
  }
  {
    ScopedTimeZone berlin("Europe/Berlin");  // UTC+1 in November
    write_ours(small_image(tmp / "berlin", t));
  }
  for (const char* name : {"utc", "berlin"}) {
    const auto header2 = test::read_header_fields(tmp / (std::string(name) + ".E01"), "header2");
    EXPECT_EQ(header2.at("m"), "1795943107") << name;
    EXPECT_EQ(header2.at("u"), "1795943107") << name;
    EXPECT_EQ(header2.at("c"), "2026-117") << name;
  }
  const auto utc = test::read_header_fields(tmp / "utc.E01", "header");
  EXPECT_EQ(utc.at("m"), "2026 11 29 9 5 7");
  EXPECT_EQ(utc.at("u"), "2026 11 29 9 5 7");
  EXPECT_EQ(utc.at("c"), "2026-117");
  const auto berlin = test::read_header_fields(tmp / "berlin.E01", "header");
  EXPECT_EQ(berlin.at("m"), "2026 11 29 10 5 7");
}

TEST(EwfHeaderDates, GivenDateValuesAreWrittenAsGiven) {
  test::TempDir tmp;
  EwfWriteOptions o = small_image(tmp / "given", 1795943107);
  o.header_values.emplace_back("acquiry_date", "2026 11 28 16 55 00");
  write_ours(o);
  EXPECT_EQ(test::read_header_fields(tmp / "given.E01", "header2").at("m"), "2026 11 28 16 55 00");
  EXPECT_EQ(test::read_header_fields(tmp / "given.E01", "header").at("m"), "2026 11 28 16 55 00");
  // The system date was not given: made from the time.
  EXPECT_EQ(test::read_header_fields(tmp / "given.E01", "header2").at("u"), "1795943107");
}

// libewf makes the dates from its clock when it writes the headers: one of the seconds around
// its run gives our writer the same files, byte for byte.
TEST(EwfHeaderDates, SameBytesAsLibewfMakingTheDatesItself) {
  test::TempDir tmp;
  const int64_t before = std::time(nullptr);
  {
    auto theirs = LibewfWriter::create(small_image(tmp / "libewf", std::nullopt));
    ASSERT_TRUE(theirs) << theirs.error().message();
    write_zeros(**theirs, small_image(tmp / "libewf", std::nullopt));
  }
  const int64_t after = std::time(nullptr);
  const std::string expected = test::read_file(tmp / "libewf.E01");
  ASSERT_FALSE(expected.empty());
  bool same = false;
  for (int64_t t = before; t <= after && !same; ++t) {
    const std::string base = tmp / ("ours" + std::to_string(t));
    write_ours(small_image(base, t));
    same = test::read_file(base + ".E01") == expected;
  }
  EXPECT_TRUE(same) << "no second from " << before << " to " << after << " gives libewf's bytes";
  EXPECT_GE(std::stoll(test::read_header_fields(tmp / "libewf.E01", "header2").at("m")), before);
}

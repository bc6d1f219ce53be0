// A hidden area the drive reports reaches the log (loudly) and the record, without real hardware:
// a SourceInfo as the identity query fills it for a drive with an HPA and a DCO.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/acquisition_log.hpp"
#include "report/record.hpp"
#include "test_support.hpp"

using namespace exhibit;

namespace {

SourceInfo drive_with_hidden_areas() {
  SourceInfo s;
  s.path = "/dev/sdz";
  s.is_block_device = true;
  s.size = 976773168ull * 512;
  s.drive.status = "answered";
  s.drive.method = "ATA IDENTIFY DEVICE (SAT pass-through)";
  s.drive.model = "WDC WD5000AAKX-00ERMA0";
  s.drive.user_sectors = 976773168;
  s.drive.native_sectors = 978773168;
  s.drive.hpa_sectors = 2000000;
  s.drive.dco_sectors = 1048576;
  s.drive.details = {"READ NATIVE MAX ADDRESS EXT: max LBA 978773167"};
  return s;
}

}  // namespace

TEST(HiddenAreaReport, TheLogSaysSoLoudly) {
  test::TempDir tmp;
  auto log = core::AcquisitionLog::create(tmp / "x.log", false);
  ASSERT_TRUE(log);
  log->source_section(drive_with_hidden_areas());
  log->sync();
  const std::string text = test::read_file(tmp / "x.log");
  EXPECT_NE(text.find("answered by: ATA IDENTIFY DEVICE (SAT pass-through)"), std::string::npos) << text;
  EXPECT_NE(text.find("HIDDEN AREA: a Host Protected Area hides 2000000 sectors"), std::string::npos) << text;
  EXPECT_NE(text.find("HIDDEN AREA: a Device Configuration Overlay hides 1048576 more sectors"), std::string::npos)
      << text;
}

TEST(HiddenAreaReport, TheRecordCarriesTheDriveIdentity) {
  AcquireOptions options;
  AcquireResult result;
  result.source = drive_with_hidden_areas();
  const auto j = nlohmann::json::parse(report::render_record(options, result, {"t0", "t1"}, "Linux"));
  const auto& d = j["source"]["drive"];
  EXPECT_EQ(d["hpa_sectors"], 2000000);
  EXPECT_EQ(d["dco_sectors"], 1048576);
  EXPECT_EQ(d["native_sectors"], 978773168ull);
  EXPECT_EQ(d["model"], "WDC WD5000AAKX-00ERMA0");
}

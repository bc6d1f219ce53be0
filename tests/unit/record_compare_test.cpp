// verify's comparison of a record with an E01's header, for what the integration tests cannot
// make without real hardware: a drive whose hidden areas acquire announces in the header notes,
// and model/serial strings that were not UTF-8.
#include <gtest/gtest.h>

#include "core/header_notes.hpp"
#include "core/record_compare.hpp"

using namespace exhibit;

namespace {

// compare_record needs a reader only to tell a zst apart; an E01's values are in report.info.
class NoReader : public image::UnitReader {
 public:
  const ImageInfo& info() const override { return m_info; }
  uint64_t unit_bytes() const override { return 0; }
  size_t stored_capacity() const override { return 0; }
  Status seek_unit(uint64_t) override { return Ok{}; }
  Result<image::EncodedChunk> read_unit(unsigned char*, size_t, size_t) override {
    return Error(ErrorCode::Io, "not a reader");
  }
  bool decode(const image::EncodedChunk&, unsigned char*) const override { return false; }

 private:
  ImageInfo m_info;
};

// A record and the E01 header acquire would write for it.
struct Pair {
  report::RecordedImage record;
  VerifyReport report;
};

Pair drive_image(const std::string& model_in_record, const std::string& model_in_header) {
  Pair p;
  p.record.digests = {{"md5", "00112233445566778899aabbccddeeff"}};
  p.record.media_size = 1 << 20;
  p.record.bytes_per_sector = 512;
  p.record.chunk_sectors = 64;
  p.record.segment_names = {"x.E01"};
  p.record.segments = {{"x.E01", 1000, "ab"}};
  p.record.case_values = {{"case_number", "42"}, {"notes", "seized"}};
  p.record.model = model_in_record;
  p.record.serial = "S1";
  DriveIdentity d;
  d.hpa_sectors = 4096;
  d.dco_sectors = 8;
  p.record.drive = d;
  ImageInfo& i = p.report.info;
  i.segment_files = {"/evidence/x.E01"};
  i.media_size = 1 << 20;
  i.bytes_per_sector = 512;
  i.sectors_per_chunk = 64;
  i.hashes = {{"md5", "00112233445566778899aabbccddeeff"}};
  i.header_values = {{"case_number", "42"},
                     {"notes", core::notes_with_warnings("seized", 4096, 8)},
                     {"model", model_in_header},
                     {"serial_number", "S1"}};
  return p;
}

}  // namespace

TEST(RecordCompare, HiddenAreaWarningsInTheHeaderNotesAreExpected) {
  Pair p = drive_image("Disk", "Disk");
  EXPECT_NE(p.report.info.header_values[1].second.find("Host Protected Area hides 4096 sectors"), std::string::npos);
  core::compare_record(p.record, NoReader(), {}, p.report);
  EXPECT_TRUE(p.report.record_mismatches.empty()) << p.report.record_mismatches.front().message();
  EXPECT_TRUE(p.report.not_checked.empty());

  // A record that says the drive hid something else does not match the header's notes.
  Pair other = drive_image("Disk", "Disk");
  other.record.drive->hpa_sectors = 0;
  core::compare_record(other.record, NoReader(), {}, other.report);
  ASSERT_EQ(other.report.record_mismatches.size(), 1u);
  EXPECT_EQ(other.report.record_mismatches[0].field, "notes");
  EXPECT_EQ(other.report.record_mismatches[0].record,
            "seized [exhibit: a Device Configuration Overlay hides 8 sectors not in this image]");
}

// A model that was not UTF-8: the record's JSON replaces each bad sequence with one U+FFFD, the
// E01 header each bad byte; and a tab the header turned into a space.
TEST(RecordCompare, TextAsTheHeaderKeepsItIsNoMismatch) {
  Pair p = drive_image("Disk\xEF\xBF\xBD\tX", "Disk\xEF\xBF\xBD\xEF\xBF\xBD X");
  core::compare_record(p.record, NoReader(), {}, p.report);
  EXPECT_TRUE(p.report.record_mismatches.empty()) << p.report.record_mismatches.front().message();

  Pair q = drive_image("Disk A", "Disk B");
  core::compare_record(q.record, NoReader(), {}, q.report);
  ASSERT_EQ(q.report.record_mismatches.size(), 1u);
  EXPECT_EQ(q.report.record_mismatches[0].message(), "record says model 'Disk A', the image says 'Disk B'");
}

TEST(RecordCompare, TheLogSaysWhatTheRecordMustHold) {
  Pair p = drive_image("Disk", "Disk");
  core::LogSummary log;
  log.ours = log.complete = true;
  log.pieces = 16;
  log.digests = {"md5", "sha256"};
  core::compare_record(p.record, NoReader(), log, p.report);
  ASSERT_EQ(p.report.not_checked.size(), 2u);
  EXPECT_EQ(p.report.not_checked[0], "pieces: the log says 16 were hashed, the record lists none");
  EXPECT_EQ(p.report.not_checked[1], "sha256: the log lists one, the record holds none");
}

// verify compares the record beside an image with the image itself (E01 header, geometry and
// stored digests; the zst's own record; the files of every format) and fails naming the field
// and both values; it says what it could not check when the record lacks what the image or the
// log says it should hold; and a set with no record where the log says one was written, or with
// a resume state beside it, is not finished. Records are edited here with nlohmann::json, on
// unsigned acquisitions (a signed record would fail its signature first).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t k_size = (2 << 20) + 1000;  // not whole sectors: the image holds padding

CommandResult run_exhibit(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

// One acquisition of each format of the same source, made once; each test works on a copy.
class RecordVsImage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir;
    write_file(*s_dir / "src.bin", random_bytes(k_size, 77));
    // Tabs, a line break and non-ASCII text: the E01 header keeps them its own way.
    const std::string common =
        " -q --piece-size 1MiB -C 42 -E ev-7 -e Alice -D 'USB stick' -N \"$(printf "
        "'seized at desk\\tdrawer 2\\nmarked M\\303\\274ller \\342\\202\\254')\"";
    for (const auto& [format, extra] : std::map<std::string, std::string>{
             {"e01", " -S 1MiB"}, {"raw", " --format raw -S 1MiB"}, {"zst", " --format zst"}}) {
      auto a = run_exhibit("acquire " + sh_quote(*s_dir / "src.bin") + " -o " + sh_quote(*s_dir / (format + "/x")) +
                           common + extra);
      ASSERT_EQ(a.exit_code, 0) << format << ": " << a.out << a.err;
    }
  }
  static void TearDownTestSuite() {
    delete s_dir;
    s_dir = nullptr;
  }
  // A copy of the set of `format` in this test's folder; returns its first segment.
  std::string copy_of(const std::string& format) {
    fs::copy(*s_dir / format, tmp / format, fs::copy_options::recursive);
    const std::map<std::string, std::string> first{{"e01", "x.E01"}, {"raw", "x.001"}, {"zst", "x.zst"}};
    return tmp / (format + "/" + first.at(format));
  }
  std::string record_of(const std::string& format) const { return tmp / (format + "/x.manifest.json"); }
  void edit_record(const std::string& format, const std::function<void(json&)>& edit) {
    json j = json::parse(read_file(record_of(format)));
    edit(j);
    write_file(record_of(format), j.dump(2));
  }
  static CommandResult verify(const std::string& image, const std::string& extra = "") {
    return run_exhibit("verify -q " + sh_quote(image) + extra);
  }

  static TempDir* s_dir;
  TempDir tmp;
};
TempDir* RecordVsImage::s_dir = nullptr;

struct FieldEdit {
  std::string name;
  std::string pointer;  // JSON pointer into the record
  json value;
  std::string field;  // as verify names it
};
// gtest prints the parameter beside each test name (and ctest lists it): the field and its new value.
void PrintTo(const FieldEdit& e, std::ostream* os) { *os << e.field << " = " << e.value.dump(); }

class EditedField : public RecordVsImage, public ::testing::WithParamInterface<FieldEdit> {};

const std::string k_other_md5 = "0123456789abcdef0123456789abcdef";
const std::string k_other_sha1 = "0123456789abcdef0123456789abcdef01234567";

}  // namespace

// Every image as acquire left it verifies, and verify says nothing differs or went unchecked.
TEST_F(RecordVsImage, UntouchedImagesVerify) {
  for (const char* format : {"e01", "raw", "zst"}) {
    SCOPED_TRACE(format);
    auto v = verify(copy_of(format));
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("verdict: VERIFIED"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find("RECORD DIFFERS"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find("NOT CHECKED"), std::string::npos) << v.out;
  }
  // The E01 header holds what the record says, in its own form (ewfinfo as the independent reader).
  auto info = run("ewfinfo " + sh_quote(tmp / "e01/x.E01"));
  EXPECT_EQ(field_after(info.out, "Case number:"), "42") << info.out;
  EXPECT_EQ(field_after(info.out, "Examiner name:"), "Alice") << info.out;
}

// Each field of the E01's record changed in turn: verify fails, naming the field and both values.
TEST_P(EditedField, E01FailsNamingFieldAndBothValues) {
  const FieldEdit& e = GetParam();
  const std::string image = copy_of("e01");
  const json before = json::parse(read_file(record_of("e01")));
  const json::json_pointer at(e.pointer);
  std::string was = before.at(at).is_string() ? before.at(at).get<std::string>() : before.at(at).dump();
  if (e.name == "notes") was = "seized at desk drawer 2 marked M\xc3\xbcller \xe2\x82\xac";  // as the header holds it
  edit_record("e01", [&](json& j) { j[at] = e.value; });
  auto v = verify(image);
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  const std::string now = e.value.is_string() ? e.value.get<std::string>() : e.value.dump();
  EXPECT_NE(v.out.find("RECORD DIFFERS       record says " + e.field + " '" + now + "', the image says '" + was + "'"),
            std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("verdict: FAILED"), std::string::npos) << v.out;
  if (e.name == "case_number") {
    EXPECT_EQ(field_after(run("ewfinfo " + sh_quote(image)).out, "Case number:"), was) << "ewfinfo agrees";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fields, EditedField,
    ::testing::Values(FieldEdit{"media_size", "/media/size", k_size + 512, "media size"},
                      FieldEdit{"sector_size", "/media/bytes_per_sector", 4096, "sector size"},
                      FieldEdit{"chunk_size", "/options/chunk_sectors", 128, "chunk size (sectors per chunk)"},
                      FieldEdit{"segment_name", "/image/segments/1/file", "x.E07", "segment 2 name"},
                      FieldEdit{"md5", "/media/digests/md5", k_other_md5, "md5"},
                      FieldEdit{"sha1", "/media/digests/sha1", k_other_sha1, "sha1"},
                      FieldEdit{"case_number", "/case/case_number", "43", "case number"},
                      FieldEdit{"evidence_number", "/case/evidence_number", "ev-8", "evidence number"},
                      FieldEdit{"examiner", "/case/examiner", "Mallory", "examiner"},
                      FieldEdit{"description", "/case/description", "SD card", "description"},
                      FieldEdit{"notes", "/case/notes", "nothing seized", "notes"},
                      FieldEdit{"model", "/source/model", "Evil Disk 9000", "model"},
                      FieldEdit{"serial", "/source/serial", "S3R1AL", "serial number"}),
    [](const auto& p) { return p.param.name; });

TEST_F(RecordVsImage, SegmentCountAndMediaSizeOfRawAndZst) {
  const std::string raw = copy_of("raw");
  edit_record("raw", [](json& j) { j["image"]["segments"].erase(2); });
  auto v = verify(raw);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("record says segment count '2', the image says '3'"), std::string::npos) << v.out;

  const std::string zst = copy_of("zst");
  const uint64_t padded = json::parse(read_file(record_of("zst")))["media"]["size"];
  edit_record("zst", [](json& j) { j["media"]["size"] = 4096; });
  v = verify(zst);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("record says media size '4096', the image says '" + std::to_string(padded) + "'"),
            std::string::npos)
      << v.out;
}

// zst carries its own record: the one beside it must say the same.
TEST_F(RecordVsImage, ZstRecordBesideDiffersFromTheOneInside) {
  const std::string zst = copy_of("zst");
  edit_record("zst", [](json& j) {
    j["case"]["examiner"] = "Mallory";
    j["source"]["model"] = "Evil Disk 9000";
  });
  auto v = verify(zst);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("record says examiner 'Mallory', the image says 'Alice'"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("record says model 'Evil Disk 9000', the image says ''"), std::string::npos) << v.out;
}

TEST_F(RecordVsImage, JsonNamesFieldAndBothValues) {
  const std::string image = copy_of("e01");
  edit_record("e01", [](json& j) { j["case"]["case_number"] = "43"; });
  auto v = run_exhibit("verify -q --json " + sh_quote(image));
  EXPECT_EQ(v.exit_code, 1) << v.out;
  const json j = json::parse(v.out);
  EXPECT_EQ(j["verdict"], "failed");
  ASSERT_EQ(j["record_mismatches"].size(), 1u) << v.out;
  EXPECT_EQ(j["record_mismatches"][0]["field"], "case number");
  EXPECT_EQ(j["record_mismatches"][0]["record"], "43");
  EXPECT_EQ(j["record_mismatches"][0]["image"], "42");
  EXPECT_EQ(j["record_mismatches"][0]["message"], "record says case number '43', the image says '42'");
  EXPECT_TRUE(j["not_checked"].empty()) << v.out;
}

// A record that lacks what the image, the log or the record itself says it should hold: the
// output says what was not checked, and that is not a pass.
TEST_F(RecordVsImage, RecordWithoutPiecesDigestOrSegmentHashesIsNotChecked) {
  const std::string e01 = copy_of("e01");
  edit_record("e01", [](json& j) {
    j["pieces"]["list"] = json::array();
    j["media"]["digests"].erase("sha1");
  });
  auto v = verify(e01);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("NOT CHECKED          pieces: the log says 3 were hashed, the record lists none"),
            std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("NOT CHECKED          sha1: the image stores one, the record holds none"), std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("verdict: FAILED: the record lacks what it should hold"), std::string::npos) << v.out;
  const auto reported = json::parse(run_exhibit("verify -q --json " + sh_quote(e01)).out);
  EXPECT_EQ(reported["not_checked"].size(), 2u) << reported.dump(2);
  EXPECT_EQ(reported["verdict"], "failed");
  // Without the log, the record's own piece size says pieces should be there.
  fs::remove(tmp / "e01/x.log");
  v = verify(e01);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("pieces: the record gives a piece size of 1048576 bytes but lists none"), std::string::npos)
      << v.out;

  // Raw stores no digest of its own: the log says which the record must hold.
  const std::string raw = copy_of("raw");
  edit_record("raw", [](json& j) {
    j["media"]["digests"].erase("sha256");
    json names = json::array();
    for (const auto& s : j["image"]["segments"]) names.push_back(s["file"]);
    j["image"]["segments"] = names;  // as format 1 listed them: names without SHA-256
  });
  v = verify(raw);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("sha256: the log lists one, the record holds none"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("segment files: the record holds no SHA-256 of them"), std::string::npos) << v.out;
}

TEST_F(RecordVsImage, MissingRecordWhereTheLogSaysItWasWritten) {
  const std::string image = copy_of("e01");
  ASSERT_EQ(verify(image).exit_code, 0);
  fs::remove(record_of("e01"));
  auto v = verify(image);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("the record x.manifest.json is missing, but x.log says it was written"), std::string::npos)
      << v.out;
  // The log's last line alone says so too.
  std::string log = read_file(tmp / "e01/x.log");
  std::string kept;
  for (size_t at = 0, end; at < log.size(); at = end + 1) {
    end = log.find('\n', at);
    const std::string line = log.substr(at, end - at);
    if (line.find("    record: ") == std::string::npos) kept += line + "\n";
  }
  write_file(tmp / "e01/x.log", kept);
  v = verify(image);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("the record x.manifest.json is missing, but x.log says the acquisition completed"),
            std::string::npos)
      << v.out;
  // An image with neither record nor log (made elsewhere) verifies on what it stores, as before.
  fs::remove(tmp / "e01/x.log");
  EXPECT_EQ(verify(image).exit_code, 0);
}

TEST_F(RecordVsImage, ResumeStateBesideTheImageFails) {
  const std::string image = copy_of("raw");
  write_file(tmp / "raw/x.resume", "{}\n");
  auto v = verify(image);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("x.resume exists: this acquisition did not finish; run exhibit acquire SOURCE -o "),
            std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("/raw/x --resume"), std::string::npos) << v.out;
}

// --json on acquire, verify, info and devices: every document validates against docs/output.schema.json
// (python3-jsonschema, an independent validator), and its values agree with the oracles. Text
// from an image or the command line that is hostile (markup, terminal escapes, invalid UTF-8)
// leaves the JSON valid and the terminal output free of control bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

CommandResult run_exhibit(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

}  // namespace

TEST(JsonOutput, EveryCommandValidatesAndAgreesWithTheOracles) {
  if (!have_jsonschema()) GTEST_SKIP() << "needs python3-jsonschema";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(3 << 20, 41));
  auto a = run_exhibit("acquire -q --json " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") +
                       " -C 42 -e 'J. Smith' -S 1MiB --piece-size 1MiB");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(output_schema_errors(a.out, tmp.path()), "");
  const json aj = json::parse(a.out);
  EXPECT_EQ(aj["digests"]["md5"], digest_of("md5sum", tmp / "src.bin"));
  EXPECT_EQ(aj["digests"]["sha256"], digest_of("sha256sum", tmp / "src.bin"));
  EXPECT_EQ(aj["case"]["case_number"], "42");
  EXPECT_GE(aj["files"]["segments"].size(), 3u);
  EXPECT_EQ(aj["files"]["segments"][0]["sha256"], digest_of("sha256sum", tmp / "x.E01"));
  // Where the time went: every stage of the stream, each over the whole source, then what ran
  // after it (the segment files' SHA-256 over the bytes of every segment); the same in the record.
  std::vector<std::string> names;
  uint64_t segment_bytes = 0;
  for (const auto& f : aj["files"]["segments"]) segment_bytes += fs::file_size(f["path"].get<std::string>());
  for (const auto& s : aj["performance"]["stages"]) {
    names.push_back(s["name"]);
    const bool after = s["after_stream"];
    if (s["name"] == "segment sha256") {
      EXPECT_EQ(s["bytes"], segment_bytes) << s.dump();
    } else if (!after) {
      EXPECT_EQ(s["bytes"], 3 << 20) << s.dump();
    }
    EXPECT_EQ(after, s["name"] == "close" || s["name"] == "segment sha256") << s.dump();
    EXPECT_GE(s["wall_seconds"].get<double>(), s["wait_seconds"].get<double>()) << s.dump();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"read", "md5", "sha1", "sha256", "pieces (sha256)", "deflate", "write",
                                             "close", "segment sha256"}));
  EXPECT_EQ(aj["performance"]["limited_by"].get<std::string>().rfind("limited by: ", 0), 0u);
  EXPECT_NE(aj["performance"]["limited_by"].get<std::string>().find("; after the stream: close"), std::string::npos);
  EXPECT_EQ(json::parse(read_file(tmp / "x.manifest.json"))["performance"]["stages"].size(), names.size());

  auto v = run_exhibit("verify -q --json " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(output_schema_errors(v.out, tmp.path()), "");
  const json vj = json::parse(v.out);
  EXPECT_EQ(vj["verdict"], "verified");
  EXPECT_EQ(vj["pieces"]["checked"], 3);
  EXPECT_EQ(vj["repeat_commands"][0], "ewfverify " + tmp / "x.E01");
  ASSERT_FALSE(vj["performance"]["stages"].empty());
  EXPECT_EQ(vj["performance"]["stages"][0]["name"], "read");
  EXPECT_EQ(vj["performance"]["stages"][0]["bytes"], 3 << 20);
  // Verify hashes the segment files beside the stream, not after it.
  const json& last = vj["performance"]["stages"].back();
  EXPECT_EQ(last["name"], "segment sha256");
  EXPECT_EQ(last["bytes"], segment_bytes);
  EXPECT_FALSE(last["after_stream"].get<bool>());

  auto i = run_exhibit("info --json " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_EQ(output_schema_errors(i.out, tmp.path()), "");
  const json ij = json::parse(i.out);
  auto ewfinfo = run("ewfinfo " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(ij["media"]["sectors_per_chunk"].get<int>(), std::stoi(field_after(ewfinfo.out, "Sectors per chunk:")));
  EXPECT_EQ(ij["stored_hashes"]["md5"], digest_of("md5sum", tmp / "src.bin"));

  // A damaged copy: verify fails, and says where, in JSON too.
  for (int n = 1; fs::exists(tmp / ("x.E0" + std::to_string(n))); ++n) {
    fs::copy(tmp / ("x.E0" + std::to_string(n)), tmp / ("y.E0" + std::to_string(n)));
  }
  fs::copy(tmp / "x.manifest.json", tmp / "y.manifest.json");  // the record travels with the copy
  ASSERT_TRUE(change_byte(tmp / "y.E02", 300000));
  auto bad = run_exhibit("verify -q --json " + sh_quote(tmp / "y.E01"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(output_schema_errors(bad.out, tmp.path()), "");
  const json bj = json::parse(bad.out);
  EXPECT_EQ(bj["verdict"], "failed");
  EXPECT_EQ(bj["exit_code"], 1);
  ASSERT_FALSE(bj["bad_chunks"].empty()) << bad.out;
  // The record names x's files; the copy's are y's.
  ASSERT_FALSE(bj["record_mismatches"].empty()) << bad.out;
  EXPECT_EQ(bj["record_mismatches"][0]["message"], "record says segment 1 name 'x.E01', the image says 'y.E01'");
  // The piece holding the damaged chunk is named, with its sector range, and only that piece.
  const uint64_t damaged = bj["bad_chunks"][0]["first_sector"].get<uint64_t>() * 512 / (1 << 20);
  ASSERT_EQ(bj["pieces"]["mismatches"].size(), 1u) << bad.out;
  const auto& piece = bj["pieces"]["mismatches"][0];
  EXPECT_EQ(piece["index"], damaged);
  EXPECT_EQ(piece["first_sector"], damaged * 2048);
  EXPECT_EQ(piece["last_sector"], damaged * 2048 + 2047);

  auto devices = run_exhibit("devices --json");
  EXPECT_EQ(devices.exit_code, 0) << devices.err;
  EXPECT_EQ(output_schema_errors(devices.out, tmp.path()), "");

  // A command that cannot run: the error as JSON, and the one line on stderr.
  auto missing = run_exhibit("info --json " + sh_quote(tmp / "nope.E01"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(output_schema_errors(missing.out, tmp.path()), "");
  EXPECT_EQ(line_count(missing.err), 1u);
}

TEST(JsonOutput, HostileTextStaysHarmless) {
  if (!have_jsonschema()) GTEST_SKIP() << "needs python3-jsonschema";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 42));
  // Markup, an ANSI escape that would clear the screen, a title-setting OSC and a C1 control
  // (CSI), all valid UTF-8; and a source file whose name is not UTF-8 at all.
  const std::string notes = "<script>alert(1)</script> \x1b[2J\x1b]0;owned\x07 \xc2\x9b end";
  write_file(tmp / "notes.txt", notes);
  const std::string source = tmp / "src-\xff\xfe.bin";
  fs::copy(tmp / "src.bin", source);
  auto a = run(sh_quote(exhibit_bin()) + " acquire -q --json " + sh_quote(source) + " -o " + sh_quote(tmp / "x") +
               " -N \"$(cat " + sh_quote(tmp / "notes.txt") + ")\"");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(output_schema_errors(a.out, tmp.path()), "");
  const json aj = json::parse(a.out);
  EXPECT_EQ(aj["case"]["notes"], notes) << "kept as data; JSON escapes it";
  EXPECT_NE(aj["source"]["path"].get<std::string>().find("src-\xef\xbf\xbd\xef\xbf\xbd.bin"), std::string::npos)
      << "bytes that are not UTF-8 become U+FFFD";
  // The record is valid JSON too.
  EXPECT_EQ(run("python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding=\"utf-8\"))' " +
                sh_quote(tmp / "x.manifest.json"))
                .exit_code,
            0);
  // Header text that is not UTF-8 is refused before anything is read, naming the option.
  auto latin1 = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(tmp / "src.bin") + " -o " +
                    sh_quote(tmp / "z") + " -e $(printf 'M\xfcller')");
  EXPECT_EQ(latin1.exit_code, 2) << latin1.err;
  EXPECT_NE(latin1.err.find("--examiner is not valid UTF-8 (byte 1)"), std::string::npos) << latin1.err;
  EXPECT_FALSE(fs::exists(tmp / "z.log"));
  // info reads the notes back from the E01 header: as JSON valid, on the terminal without control bytes.
  auto ij = run_exhibit("info --json " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(output_schema_errors(ij.out, tmp.path()), "");
  auto text = run_exhibit("info " + sh_quote(tmp / "x.E01"));
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("<script>"), std::string::npos) << text.out;
  for (unsigned char c : text.out) {
    EXPECT_FALSE((c < 0x20 && c != '\n') || c == 0x7f) << "control byte " << int(c) << " reached the terminal";
  }
  EXPECT_EQ(text.out.find("\xc2\x9b"), std::string::npos) << "C1 control (CSI) reached the terminal";
}

// info and verify of every EWF2 (Ex01) image in ../shared/interop: valid, with the stored digests
// the README lists and the geometry libewf 20260627 wrote.
TEST(JsonOutput, Ewf2InteropImagesValidate) {
  if (!have_jsonschema()) GTEST_SKIP() << "needs python3-jsonschema";
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  TempDir tmp;
  int seen = 0;
  for (const auto& row : interop_rows(dir)) {
    if (!row.ewf2) continue;
    SCOPED_TRACE(row.first_file);
    ++seen;
    const std::string image = sh_quote(dir + "/" + row.first_file);
    for (const char* command : {"info --json ", "verify -q --json "}) {
      auto r = run_exhibit(command + image);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(output_schema_errors(r.out, tmp.path()), "") << command;
    }
    const json info = json::parse(run_exhibit("info --json " + image).out);
    EXPECT_EQ(info["format"], "EWF2 (Ex01)");
    EXPECT_EQ(info["stored_hashes"]["md5"], row.md5);
    if (row.sha1.size() == 40) {
      EXPECT_EQ(info["stored_hashes"]["sha1"], row.sha1);
    }
  }
  EXPECT_GE(seen, 3) << "the README lists three EWF2 images";
}

// acquire --verify on a good source: exit 0, the document validates and says "verified", and so
// do the record and the report; what it compared agrees with sha256sum.
TEST(JsonOutput, AcquireVerifySaysVerifiedInTheDocumentTheRecordAndTheReport) {
  if (!have_jsonschema()) GTEST_SKIP() << "needs python3-jsonschema";
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(3 << 20, 43));
  auto a = run_exhibit("acquire -q --json --verify " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "v") +
                       " --second-output " + sh_quote(tmp / "w") + " -S 1MiB --piece-size 1MiB");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(output_schema_errors(a.out, tmp.path()), "");
  const json v = json::parse(a.out)["verification"];
  EXPECT_EQ(v["verdict"], "verified");
  EXPECT_EQ(v["requested"], "image");
  ASSERT_EQ(v["copies"].size(), 2u) << "every copy is read again";
  for (const auto& c : v["copies"]) {
    EXPECT_EQ(c["verdict"], "verified");
    EXPECT_EQ(c["pieces_checked"], 3);
    EXPECT_GE(c["segment_files"].size(), 3u);
    std::vector<std::string> compared;
    for (const auto& d : c["digests"]) compared.push_back(d["algorithm"]);
    for (const char* algorithm : {"md5", "sha1", "sha256"}) {
      EXPECT_NE(std::find(compared.begin(), compared.end(), algorithm), compared.end()) << algorithm;
    }
  }
  const json record = json::parse(read_file(tmp / "v.manifest.json"));
  EXPECT_EQ(record["verification"]["verdict"], "verified");
  EXPECT_EQ(record["media"]["digests"]["sha256"], digest_of("sha256sum", tmp / "src.bin"));
  EXPECT_EQ(json::parse(read_file(tmp / "w.manifest.json"))["verification"]["verdict"], "verified");
  EXPECT_NE(read_file(tmp / "v.report.html").find("VERIFIED: every copy read again"), std::string::npos);
  // The files keep their final names, and verify agrees.
  EXPECT_EQ(run_exhibit("verify -q " + sh_quote(tmp / "w.E01")).exit_code, 0);
}

// BASE.dfxml and info/verify --dfxml: valid against the DFXML schema (../shared/schemas/dfxml,
// xmllint), listing exactly the unreadable sectors as byte runs, well-formed whatever the case
// text holds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

namespace {

// Skips unless xmllint and the schema are here.
std::string dfxml_schema() {
  if (schemas_dir().empty()) return "";
  return schemas_dir() + "/dfxml/dfxml.xsd";
}

CommandResult validate(const std::string& file) {
  return run("xmllint --noout --schema " + sh_quote(dfxml_schema()) + " " + sh_quote(file));
}

// xmllint's answer to an XPath over the document, elements matched by their local names.
std::string xpath(const std::string& file, const std::string& expression) {
  auto r = run("xmllint --xpath " + sh_quote(expression) + " " + sh_quote(file));
  if (r.exit_code != 0) return "";
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();  // xmllint ends its answer with one
  return r.out;
}

using Runs = std::vector<std::pair<uint64_t, uint64_t>>;  // byte offset, length

// The byte runs under `parent` (a local name), as xmllint lists their attributes.
Runs dfxml_runs(const std::string& file, const std::string& parent) {
  const std::string runs = "//*[local-name()='" + parent + "']/*[local-name()='byte_runs']/*[local-name()='byte_run']";
  const std::string offsets = xpath(file, runs + "/@img_offset"), lengths = xpath(file, runs + "/@len");
  const std::regex value("\"([0-9]+)\"");
  std::vector<uint64_t> o, l;
  for (std::sregex_iterator it(offsets.begin(), offsets.end(), value), end; it != end; ++it)
    o.push_back(std::stoull((*it)[1]));
  for (std::sregex_iterator it(lengths.begin(), lengths.end(), value), end; it != end; ++it)
    l.push_back(std::stoull((*it)[1]));
  Runs out;
  for (size_t i = 0; i < o.size() && i < l.size(); ++i) out.emplace_back(o[i], l[i]);
  EXPECT_EQ(o.size(), l.size());
  return out;
}

// The '-' areas of a GNU ddrescue map, read apart from exhibit.
Runs map_bad_areas(const std::string& map_text) {
  Runs out;
  std::istringstream in(map_text);
  bool status_line = true;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (status_line) {
      status_line = false;
      continue;
    }
    std::istringstream f(line);
    std::string pos, size, status;
    f >> pos >> size >> status;
    if (status == "-") out.emplace_back(std::stoull(pos, nullptr, 16), std::stoull(size, nullptr, 16));
  }
  return out;
}

// What the record lists as unreadable, in bytes.
Runs record_unreadable(const std::string& record_path) {
  const auto j = nlohmann::json::parse(read_file(record_path));
  const uint64_t bps = j.at("media").at("bytes_per_sector");
  Runs out;
  for (const auto& r : j.at("unreadable")) {
    out.emplace_back(r.at("first_sector").get<uint64_t>() * bps, r.at("sector_count").get<uint64_t>() * bps);
  }
  return out;
}

// Case text no XML may hold as it is: markup, a CDATA end, quotes, control characters, line breaks.
const std::string k_hostile_examiner = "Eve <script>&amp; ]]> \"'\x01\x1b[31m";
const std::string k_hostile_notes = "line one\nline two\ttab\r</notes><injected/>";

}  // namespace

TEST(Dfxml, AcquisitionWithUnreadableSectorsListsExactlyThoseByteRuns) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  if (!have_tool("xmllint")) GTEST_SKIP() << "needs xmllint (libxml2-utils)";
  if (dfxml_schema().empty()) GTEST_SKIP() << "needs the DFXML schema in ../shared/schemas/dfxml";
  TempDir tmp;
  const uint64_t size = 8 << 20;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(size, 17));
  const std::vector<SectorRange> bad = {{0, 1}, {2085, 1}, {4097, 6}, {8190, 9}, {size / 512 - 1, 1}};
  BadSectorDisk rig(source, ddrescue_map(size, bad), tmp.path());
  ASSERT_TRUE(rig.ok()) << "nbdfuse did not come up";
  LoopDevice loop(rig.file(), /*read_only=*/true, 512, /*direct_io=*/true);
  ASSERT_TRUE(loop.ok());
  const std::string base = tmp / "bad";
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + loop.path() + " -o " + sh_quote(base) +
               " -q --retries 1 --piece-size 1MiB --examiner " + sh_quote(k_hostile_examiner) + " --notes " +
               sh_quote(k_hostile_notes));
  ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
  const std::string dfxml = base + ".dfxml";
  auto valid = validate(dfxml);
  EXPECT_EQ(valid.exit_code, 0) << valid.err << read_file(dfxml);

  Runs want;
  for (const auto& b : bad) want.emplace_back(b.first * 512, b.count * 512);
  EXPECT_EQ(dfxml_runs(dfxml, "unreadable"), want);
  EXPECT_EQ(dfxml_runs(dfxml, "unreadable"), map_bad_areas(read_file(base + ".map")));
  EXPECT_EQ(dfxml_runs(dfxml, "unreadable"), record_unreadable(base + ".manifest.json"));
  // The pieces as byte runs with their SHA-256, as the record has them.
  const auto record = nlohmann::json::parse(read_file(base + ".manifest.json"));
  const Runs pieces = dfxml_runs(dfxml, "diskimageobject");
  ASSERT_EQ(pieces.size(), record.at("pieces").at("list").size());
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='diskimageobject']/*[local-name()='byte_runs']/*[2]/*)"),
            record.at("pieces").at("list").at(1).at("sha256").get<std::string>());
  // The segment file and its SHA-256; the media digests; the source device.
  const auto& segment = record.at("image").at("segments").at(0);
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='fileobject'][1]/*[local-name()='filename'])"),
            segment.at("file").get<std::string>());
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='fileobject'][1]/*[local-name()='hashdigest'])"),
            segment.at("sha256").get<std::string>());
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='media']/*[@type='sha256'])"),
            record.at("media").at("digests").at("sha256").get<std::string>());
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='device']/*[local-name()='path'])"), loop.path());
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='source']/*[local-name()='image_filename'])"), loop.path());
  // Hostile text: the same characters back (control characters as U+FFFD), nothing injected.
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='examiner'])"),
            "Eve <script>&amp; ]]> \"'\xEF\xBF\xBD\xEF\xBF\xBD[31m");
  EXPECT_EQ(xpath(dfxml, "string(//*[local-name()='notes'])"), "line one\nline two\ttab\r</notes><injected/>");
  EXPECT_EQ(xpath(dfxml, "count(//*[local-name()='injected'])"), "0");

  // info --dfxml and verify --dfxml of the image: valid, the same runs, and the verdict.
  for (const char* command : {"info", "verify"}) {
    auto out = run(sh_quote(exhibit_bin()) + " " + command + " --dfxml " + sh_quote(base + ".E01"));
    ASSERT_EQ(out.exit_code, 0) << command << out.err;
    const std::string file = tmp / (std::string(command) + ".dfxml");
    write_file(file, out.out);
    auto v = validate(file);
    EXPECT_EQ(v.exit_code, 0) << command << v.err << out.out;
    EXPECT_EQ(dfxml_runs(file, "unreadable"), want) << command;
    EXPECT_NE(xpath(file, "string(//*[local-name()='command_line'])").find(std::string("exhibit ") + command),
              std::string::npos);
  }
  EXPECT_EQ(xpath(tmp / "verify.dfxml", "string(//*[local-name()='verification']/@verdict)"), "passed");
  EXPECT_EQ(xpath(tmp / "info.dfxml", "count(//*[local-name()='verification'])"), "0");
}

TEST(Dfxml, HostileCaseTextStaysWellFormedAndAnImageWithoutRecordStillValidates) {
  if (!have_tool("xmllint")) GTEST_SKIP() << "needs xmllint (libxml2-utils)";
  if (dfxml_schema().empty()) GTEST_SKIP() << "needs the DFXML schema in ../shared/schemas/dfxml";
  TempDir tmp;
  const std::string source = tmp / "source.bin";
  write_file(source, random_bytes(3 << 20, 5));
  const std::string base = tmp / "case <&> 'x'";
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(base) +
               " -q --case-number '<![CDATA[' --description '&#0; &bogus;' --examiner " + sh_quote(k_hostile_examiner) +
               " --notes " + sh_quote(k_hostile_notes));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto valid = validate(base + ".dfxml");
  EXPECT_EQ(valid.exit_code, 0) << valid.err << read_file(base + ".dfxml");
  EXPECT_EQ(xpath(base + ".dfxml", "string(//*[local-name()='case_number'])"), "<![CDATA[");
  EXPECT_EQ(xpath(base + ".dfxml", "string(//*[local-name()='description'])"), "&#0; &bogus;");
  EXPECT_EQ(xpath(base + ".dfxml", "count(//*[local-name()='unreadable']//*[local-name()='byte_run'])"), "0");
  // The segments are the only files sha256sum -c checks (docs/DESIGN.md).
  EXPECT_EQ(read_file(base + ".sha256sums").find(".dfxml"), std::string::npos);

  // Without the record, info --dfxml describes what the image itself says, still valid.
  ASSERT_EQ(std::remove((base + ".manifest.json").c_str()), 0);
  auto info = run(sh_quote(exhibit_bin()) + " info --dfxml " + sh_quote(base + ".E01"));
  ASSERT_EQ(info.exit_code, 0) << info.err;
  write_file(tmp / "info.dfxml", info.out);
  auto v = validate(tmp / "info.dfxml");
  EXPECT_EQ(v.exit_code, 0) << v.err << info.out;
  EXPECT_EQ(xpath(tmp / "info.dfxml", "string(//*[local-name()='acquisition']/@from)"), "image");
  EXPECT_EQ(xpath(tmp / "info.dfxml", "string(//*[local-name()='examiner'])"),
            "Eve <script>&amp; ]]> \"'\xEF\xBF\xBD\xEF\xBF\xBD[31m");
  // --dfxml and --json are one or the other.
  auto both = run(sh_quote(exhibit_bin()) + " info --dfxml --json " + sh_quote(base + ".E01"));
  EXPECT_EQ(both.exit_code, 2) << both.out;
}

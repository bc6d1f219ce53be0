// Many segment files: past .E99 (to .EAA) and past .EZZ (to .FAA), where libewf and other tools
// have had bugs. Written, verified by ewfverify and by us, and a missing one past a boundary named.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

TEST(Segments, MoreThan775SegmentFiles) {
  TempDir tmp;
  const std::string data = random_bytes(60 << 20, 12);
  write_file(tmp / "src.bin", data);
  const std::string base = tmp / "many";
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(base) +
               " -q -c none -S 70KiB");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* ext : {"E01", "E64", "E65", "E99", "EAA", "EAB", "EZZ", "FAA", "FAB"}) {
    EXPECT_TRUE(fs::exists(base + "." + ext)) << ext;
  }
  const std::regex segment_name(R"(many\.[E-Z][0-9A-Z]{2})");
  size_t segments = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    segments += std::regex_match(e.path().filename().string(), segment_name) ? 1 : 0;
  }
  EXPECT_GT(segments, 775u);
  auto oracle = run("ewfverify -q " + sh_quote(base + ".E01"));
  EXPECT_NE(oracle.out.find("ewfverify: SUCCESS"), std::string::npos) << oracle.out;
  auto ours = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(base + ".E01"));
  EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  EXPECT_NE(ours.out.find(digest_of("md5sum", tmp / "src.bin") + "  MATCH"), std::string::npos) << ours.out;
  std::string count = "(";  // appended: "(" + std::string trips GCC 12's false -Wrestrict at -O3
  count += std::to_string(segments) + " segment files";
  EXPECT_NE(ours.out.find(count), std::string::npos) << ours.out;

  fs::rename(base + ".EAA", tmp / "moved");
  auto missing = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(base + ".E01"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find(base + ".EAA), which is missing"), std::string::npos) << missing.err;
}

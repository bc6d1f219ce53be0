// The parallel pipeline gives the same image whatever the thread count, and verify agrees with
// itself and with ewfverify at any thread count.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

TEST(Threads, SameImageBytesWhateverTheThreadCount) {
  TempDir tmp;
  const std::string disk = tmp / "disk.img";
  // Text, random data, zeros and a partial last chunk, over several segments.
  std::string text;
  while (text.size() < (3 << 20)) text += "ledger line " + std::to_string(text.size()) + " paid\n";
  make_ext4(disk, 16, {{"a.txt", text}, {"b.bin", random_bytes(3 << 20, 8)}}, tmp.path());
  run("truncate -s +1000 " + sh_quote(disk));
  std::vector<std::string> digests;
  for (int threads : {1, 2, 3}) {
    const std::string base = tmp / "t" + std::to_string(threads);
    auto r = run("SOURCE_DATE_EPOCH=1764300000 " + sh_quote(exhibit_bin()) + " acquire " + sh_quote(disk) + " -o " +
                 sh_quote(base) + " -q -S 1MiB --threads " + std::to_string(threads));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // ISA-L's output also depends on the address layout in rare chunks: acquire turns ASLR off.
    EXPECT_NE(read_file(base + ".log").find("address layout: fixed"), std::string::npos);
    EXPECT_NE(run("ewfverify -q " + sh_quote(base + ".E01")).out.find("ewfverify: SUCCESS"), std::string::npos);
    std::string all;
    for (int n = 1; fs::exists(base + ".E0" + std::to_string(n)); ++n) {
      all += digest_of("sha256sum", base + ".E0" + std::to_string(n)) + " ";
    }
    digests.push_back(all);
    auto v = run(sh_quote(exhibit_bin()) + " verify -q --threads " + std::to_string(threads) + " " +
                 sh_quote(base + ".E01"));
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
  EXPECT_GE(digests[0].size(), 65u * 3) << "expected several segments: " << digests[0];
  // On a difference, say where: the first differing bytes of each segment pair.
  auto where = [&](int a, int b) {
    std::string out = "media md5 " + field_after(read_file(tmp / "t" + std::to_string(a) + ".log"), "md5:") + " vs " +
                      field_after(read_file(tmp / "t" + std::to_string(b) + ".log"), "md5:") + "\n";
    for (int n = 1; fs::exists(tmp / ("t1.E0" + std::to_string(n))); ++n) {
      const std::string ext = ".E0" + std::to_string(n);
      out += ext + ": " +
             run("cmp -l " + sh_quote(tmp / "t" + std::to_string(a) + ext) + " " +
                 sh_quote(tmp / "t" + std::to_string(b) + ext) + " | head -5")
                 .out;
    }
    return out;
  };
  EXPECT_EQ(digests[0], digests[1]) << where(1, 2);
  EXPECT_EQ(digests[0], digests[2]) << where(1, 3);
}

// The same source gives the same E01 bytes whatever --threads is (SOURCE_DATE_EPOCH set), for
// every compression mode, on two small disks made like tools/bench's corpus: an ext4 file system
// of system libraries, documentation, headers and random data with its free space zero, and a
// disk full of mixed data (files of this machine, then random bytes). Each thread count cuts the
// stream into other blocks and hands chunks to other workers, so any state a compressor carries
// from one chunk to the next, or reads from outside its chunk, shows here as other bytes.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

struct Corpus {
  TempDir dir;
  std::string ext4_disk, full_disk;
};

Corpus* g_corpus = nullptr;

// Built once for the suite (each test is a process of its own under ctest: once per test): about
// 48 MiB and 32 MiB. The files to copy are chosen by one awk over find's sizes and copied by one
// cp (a du and a cp per file took 13 s of each test's 14).
void build_corpus(Corpus& c) {
  c.ext4_disk = c.dir / "disk.img";
  c.full_disk = c.dir / "full.img";
  const std::string stage = c.dir / "stage";
  auto r = run(
      "mkdir -p " + sh_quote(stage) + " && find /usr/lib/x86_64-linux-gnu /usr/share/doc /usr/include -type f " +
      "-size +4k -printf '%p\\t%s\\n' 2>/dev/null | LC_ALL=C sort | head -n 1500 | " +
      "awk -F'\\t' 'total < 25165824 { print $1; total += $2 }' | xargs -d '\\n' cp --parents -t " + sh_quote(stage) +
      " 2>/dev/null; head -c 8M /dev/urandom > " + sh_quote(stage) + "/random.bin && truncate -s 48M " +
      sh_quote(c.ext4_disk) + " && mkfs.ext4 -q -F -d " + sh_quote(stage) + " " + sh_quote(c.ext4_disk));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r =
      run("{ find /usr/lib/x86_64-linux-gnu /usr/share -type f -size +4k 2>/dev/null | LC_ALL=C sort | head -n 3000 | "
          "xargs cat 2>/dev/null; } | head -c 24M > " +
          sh_quote(c.full_disk) + "; head -c 8M /dev/urandom >> " + sh_quote(c.full_disk));
  ASSERT_EQ(fs::file_size(c.full_disk), 32u << 20) << r.err;
}

struct ModeCase {
  std::string compression;
  bool full_disk;
};
void PrintTo(const ModeCase& c, std::ostream* os) {
  *os << c.compression << (c.full_disk ? ", full disk" : ", ext4 disk");
}

class Determinism : public ::testing::TestWithParam<ModeCase> {
 public:
  static void SetUpTestSuite() {
    g_corpus = new Corpus;
    build_corpus(*g_corpus);
  }
  static void TearDownTestSuite() {
    delete g_corpus;
    g_corpus = nullptr;
  }
};

}  // namespace

TEST_P(Determinism, SameSegmentBytesWithOneOrTwoThreads) {
  ASSERT_NE(g_corpus, nullptr);
  const ModeCase& c = GetParam();
  const std::string disk = c.full_disk ? g_corpus->full_disk : g_corpus->ext4_disk;
  ASSERT_TRUE(fs::exists(disk));
  TempDir tmp;
  for (int threads : {1, 2}) {
    auto r = run("SOURCE_DATE_EPOCH=1764300000 " + sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(disk) + " -o " +
                 sh_quote(tmp / ("t" + std::to_string(threads))) + " -c " + c.compression + " -S 16MiB --threads " +
                 std::to_string(threads));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  int segments = 0;
  for (int n = 1; fs::exists(tmp / ("t1.E0" + std::to_string(n))); ++n, ++segments) {
    const std::string ext = ".E0" + std::to_string(n);
    auto cmp = run("cmp " + sh_quote(tmp / ("t1" + ext)) + " " + sh_quote(tmp / ("t2" + ext)));
    EXPECT_EQ(cmp.exit_code, 0) << ext << ": " << cmp.out << cmp.err;
  }
  EXPECT_GE(segments, 1);
  EXPECT_FALSE(fs::exists(tmp / ("t2.E0" + std::to_string(segments + 1)))) << "two threads wrote more segments";
}

INSTANTIATE_TEST_SUITE_P(EveryMode, Determinism,
                         ::testing::Values(ModeCase{"fast", false}, ModeCase{"best", false}, ModeCase{"none", false},
                                           ModeCase{"empty-block", false}, ModeCase{"fast", true},
                                           ModeCase{"best", true}, ModeCase{"none", true},
                                           ModeCase{"empty-block", true}));

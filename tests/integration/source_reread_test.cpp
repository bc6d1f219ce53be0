// verify --source: the original is read again and compared with the image sector by sector
// (Guymager's dual verification). A difference is named by its sectors, cmp (coreutils) run as
// verify prints it agrees, and the source is never written (checksums before and after, a
// read-only loop device).
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

CommandResult run_exhibit(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

CommandResult run_printed_cmp(const std::string& verify_out) {
  for (const auto& c : repeat_commands(verify_out)) {
    if (c.find("| cmp - ") != std::string::npos) return run(c);
  }
  ADD_FAILURE() << "no cmp command printed:\n" << verify_out;
  return {};
}

}  // namespace

TEST(SourceReread, AFileSourceIdenticalAndThenChanged) {
  TempDir tmp;
  std::string data = random_bytes((5 << 20) + 3 * 512 + 100, 61);  // odd size: the image is padded
  write_file(tmp / "src.bin", data);
  ASSERT_EQ(run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x")).exit_code, 0);
  const std::string before = digest_of("sha256sum", tmp / "src.bin");
  auto same = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + " --source " + sh_quote(tmp / "src.bin"));
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("bytes compared sector by sector, identical"), std::string::npos) << same.out;
  EXPECT_EQ(run_printed_cmp(same.out).exit_code, 0);
  EXPECT_EQ(digest_of("sha256sum", tmp / "src.bin"), before) << "verify --source wrote to the source";

  // The source changes after the acquisition (or the image was made from something else).
  data[(3 << 20) + 5000] ^= 0x01;  // sector 6153
  data[data.size() - 10] ^= 0x01;  // in the short last sector
  write_file(tmp / "changed.bin", data);
  auto v = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + " --source " + sh_quote(tmp / "changed.bin"));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("SOURCE DIFFERS       sectors 6153-6153 (bytes 3150336-3150847)"), std::string::npos) << v.out;
  const uint64_t last = (data.size() - 1) / 512;
  EXPECT_NE(v.out.find("sectors " + std::to_string(last) + "-" + std::to_string(last)), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("verdict: FAILED"), std::string::npos);
  auto c = run_printed_cmp(v.out);
  EXPECT_EQ(c.exit_code, 1) << c.out << c.err;
  EXPECT_NE(c.out.find("differ: byte 3150729"), std::string::npos) << c.out;  // cmp counts from 1
}

TEST(SourceReread, AReadOnlyLoopDeviceIsComparedAndLeftUnchanged) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and loop devices";
  TempDir tmp;
  make_ext4(tmp / "disk.img", 16, {{"a.txt", "evidence\n"}, {"b.bin", random_bytes(1 << 20, 62)}}, tmp.path());
  LoopDevice dev(tmp / "disk.img", /*read_only=*/true);
  ASSERT_TRUE(dev.ok());
  const std::string before = digest_of("sha256sum", dev.path());
  ASSERT_EQ(run_exhibit("acquire -q " + sh_quote(dev.path()) + " -o " + sh_quote(tmp / "x")).exit_code, 0);
  auto v = run_exhibit("verify -q --json " + sh_quote(tmp / "x.E01") + " --source " + sh_quote(dev.path()));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("\"compared\": 16777216"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("\"differences\": []"), std::string::npos) << v.out;
  EXPECT_EQ(digest_of("sha256sum", dev.path()), before);
  EXPECT_EQ(digest_of("sha256sum", tmp / "disk.img"), before);
}

// docs/court-demo.md, run as written: its ```sh blocks in order, in one bash with -eu, in a
// scratch folder, with this build's exhibit first on the PATH. The blocks check their own
// results (grep, cmp, [ ]), so the walk-through a witness performs cannot drift from the tool.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

TEST(CourtDemo, TheWalkThroughRunsAsWritten) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root and loop devices";
  for (const char* tool : {"ewfverify", "ewfexport", "openssl", "mkfs.ext4", "losetup"}) {
    if (!have_tool(tool)) GTEST_SKIP() << "needs " << tool;
  }
  std::stringstream doc(read_file(std::string(EXHIBIT_SOURCE_DIR) + "/docs/court-demo.md"));
  // No pipefail: `ewfexport | head -c N` ends ewfexport with SIGPIPE, as it does for anyone typing it.
  std::string script = "set -eu\n", line;
  bool in_block = false;
  int blocks = 0;
  while (std::getline(doc, line)) {
    if (line == "```sh") {
      in_block = true;
      ++blocks;
    } else if (line == "```") {
      in_block = false;
    } else if (in_block) {
      script += line + "\n";
    }
  }
  ASSERT_GE(blocks, 8);
  TempDir tmp;
  write_file(tmp / "demo.sh", script);
  // If a step fails, the loop device is detached anyway.
  const std::string bin = fs::path(exhibit_bin()).parent_path().string();
  auto r = run("cd " + sh_quote(tmp.path()) + " && PATH=" + sh_quote(bin) +
               ":$PATH bash demo.sh; code=$?;"
               " losetup -j " +
               sh_quote(tmp / "disk.img") + " -O NAME -n | xargs -r -n1 losetup -d; exit $code");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("VERIFIED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the same digest"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("and the signed record says so"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verdict: FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("openssl rejects the edited record"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the device reads exactly as before"), std::string::npos) << r.out;
}

// The library as another program uses it: `cmake --install` of this build into a scratch prefix,
// then tests/downstream (its own CMake project, <exhibit/...> headers only) configured with
// find_package(exhibit) against that prefix, built, and run on images the CLI made. What it
// reads must be what `exhibit export` gives, by md5sum; a damaged chunk must be an error.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

std::string exhibit_cmd(const std::string& args) { return sh_quote(exhibit_bin()) + " " + args; }

CommandResult install_into(const std::string& prefix) {
  return run(sh_quote(EXHIBIT_CMAKE_COMMAND) + " --install " + sh_quote(EXHIBIT_BINARY_DIR) + " --prefix " +
             sh_quote(prefix));
}

// The "md5 HEX" line of read_image, or what md5sum prints of `exhibit export ARGS -o -`.
std::string md5_line(const std::string& hex) { return "md5 " + hex + "\n"; }
std::string export_md5(const std::string& args) {
  auto r = run("bash -c " + sh_quote(exhibit_cmd("export -q " + args + " -o -") + " | md5sum; exit ${PIPESTATUS[0]}"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, 32);
}

}  // namespace

TEST(Downstream, InstallGivesTheBinaryTheLibraryTheHeadersAndThePackage) {
  TempDir tmp;
  const std::string prefix = tmp / "prefix";
  auto installed = install_into(prefix);
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  for (const char* file : {"bin/exhibit", "lib/libexhibit.a", "include/exhibit/reader.hpp",
                           "include/exhibit/verify.hpp", "lib/cmake/exhibit/exhibitConfig.cmake",
                           "lib/cmake/exhibit/exhibitConfigVersion.cmake", "lib/cmake/exhibit/exhibitTargets.cmake"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix + "/" + file)) << file;
  }
  auto version = run(sh_quote(prefix + "/bin/exhibit") + " --version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind(std::string("exhibit ") + EXHIBIT_VERSION + " (commit ", 0), 0u) << version.out;
  // The installed headers stand alone: each includes only the standard library and its siblings.
  auto foreign = run("grep -h '#include' " + sh_quote(prefix) +
                     "/include/exhibit/*.hpp | grep -v '#include <' | "
                     "grep -v '#include \"exhibit/'");
  EXPECT_EQ(foreign.out, "");
  EXPECT_FALSE(fs::exists(prefix + "/include/exhibit/exit_code.hpp")) << "exit codes are the CLI's";
}

TEST(Downstream, FindPackageProgramReadsEveryFormatAsExportDoes) {
  TempDir tmp;
  const std::string prefix = tmp / "prefix", build = tmp / "downstream";
  auto installed = install_into(prefix);
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  auto configured =
      run(sh_quote(EXHIBIT_CMAKE_COMMAND) + " -S " + sh_quote(std::string(EXHIBIT_SOURCE_DIR) + "/tests/downstream") +
          " -B " + sh_quote(build) + " -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON" +
          " -DCMAKE_PREFIX_PATH=" + sh_quote(prefix) + " -DCMAKE_CXX_COMPILER=" + sh_quote(EXHIBIT_CXX_COMPILER));
  ASSERT_EQ(configured.exit_code, 0) << configured.out << configured.err;
  auto built = run(sh_quote(EXHIBIT_CMAKE_COMMAND) + " --build " + sh_quote(build));
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  // Compiled against the installed headers, not this source tree's.
  const std::string commands = read_file(build + "/compile_commands.json");
  EXPECT_NE(commands.find(prefix + "/include"), std::string::npos) << commands;
  EXPECT_EQ(commands.find(std::string(EXHIBIT_SOURCE_DIR) + "/include"), std::string::npos) << commands;
  EXPECT_EQ(commands.find(std::string(EXHIBIT_SOURCE_DIR) + "/src"), std::string::npos) << commands;
  const std::string read_image = sh_quote(build + "/read_image");

  // 3 MiB and 3 sectors: the last unit of every format is a short one.
  const uint64_t size = (3 << 20) + 3 * 512;
  write_file(tmp / "src.bin", random_bytes(size, 131));
  const std::string src = sh_quote(tmp / "src.bin");
  ASSERT_EQ(run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "e") + " -S 1MiB")).exit_code, 0);
  ASSERT_EQ(run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "r") + " -S 1MiB --format raw")).exit_code,
            0);
  ASSERT_EQ(run(exhibit_cmd("acquire -q " + src + " -o " + sh_quote(tmp / "z") + " --format zst")).exit_code, 0);
  for (const char* first : {"e.E01", "r.001", "z.zst"}) {
    SCOPED_TRACE(first);
    const std::string image = sh_quote(tmp / first);
    auto whole = run(read_image + " " + image);
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_NE(whole.out.find("media size " + std::to_string(size) + "\n"), std::string::npos) << whole.out;
    EXPECT_NE(whole.out.find(md5_line(export_md5(image))), std::string::npos) << whole.out;
    EXPECT_NE(whole.out.find(md5_line(digest_of("md5sum", tmp / "src.bin"))), std::string::npos) << whole.out;
    // A range that starts and ends inside units, across a segment boundary.
    auto range = run(read_image + " " + image + " 1000001 1234567");
    ASSERT_EQ(range.exit_code, 0) << range.err;
    EXPECT_NE(range.out.find(md5_line(export_md5(image + " --offset 1000001 --length 1234567"))), std::string::npos)
        << range.out;
  }

  // A damaged chunk (stored uncompressed, one byte changed) is an error naming it; what comes
  // before it still reads.
  const std::string data = random_bytes(2 << 20, 132);
  write_file(tmp / "d.bin", data);
  ASSERT_EQ(run(exhibit_cmd("acquire -q -c none " + sh_quote(tmp / "d.bin") + " -o " + sh_quote(tmp / "d"))).exit_code,
            0);
  std::string stored = read_file(tmp / "d.E01");
  const auto at = stored.find(data.substr(200 * 512, 64));  // sector 200: chunk 3 of 64-sector chunks
  ASSERT_NE(at, std::string::npos);
  stored[at + 5] ^= 0x20;
  write_file(tmp / "d.E01", stored);
  auto damaged = run(read_image + " " + sh_quote(tmp / "d.E01"));
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_EQ(damaged.out, "");
  EXPECT_EQ(damaged.err,
            "read_image: chunk 3 (media bytes 98304-131071) is damaged (checksum or decompression failed)\n");
  auto before = run(read_image + " " + sh_quote(tmp / "d.E01") + " 0 98304");
  EXPECT_EQ(before.exit_code, 0) << before.err;
  write_file(tmp / "prefix.bin", data.substr(0, 98304));
  EXPECT_NE(before.out.find(md5_line(digest_of("md5sum", tmp / "prefix.bin"))), std::string::npos) << before.out;
}

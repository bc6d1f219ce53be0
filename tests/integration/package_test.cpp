// tools/package makes Debian packages that lintian passes; apt-get installs them, after which
// `exhibit --version`, `man exhibit-acquire` and the bash completion work from their installed
// places; apt-get remove leaves none of their files behind. Root only, and never on a machine
// where exhibit is installed already (the test would replace and remove someone's install).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

bool installed(const std::string& package) {
  return run("dpkg-query -W -f='${Status}' " + package + " 2>/dev/null | grep -q 'install ok installed'").exit_code ==
         0;
}

std::vector<std::string> files_of(const std::string& package) {
  std::vector<std::string> out;
  std::istringstream in(run("dpkg -L " + package).out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && fs::is_regular_file(line)) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST(Package, InstallsWithManPagesAndCompletionAndRemovesCleanly) {
  if (::geteuid() != 0) GTEST_SKIP() << "installs packages: needs root";
  for (const char* tool : {"dpkg", "apt-get", "cpack", "dpkg-shlibdeps", "lintian", "man"}) {
    if (!have_tool(tool)) GTEST_SKIP() << "needs " << tool << " (tools/install-deps installs it)";
  }
  if (installed("exhibit") || installed("exhibit-dev")) GTEST_SKIP() << "exhibit is installed on this machine already";
  const std::string source = EXHIBIT_SOURCE_DIR;
  // The binaries under test, as built (other tests run them meanwhile: nothing is rebuilt).
  auto pkg = run(sh_quote(source + "/tools/package") + " --as-built 2>&1");
  ASSERT_EQ(pkg.exit_code, 0) << pkg.out;
  EXPECT_NE(pkg.out.find("lintian: no errors, no warnings"), std::string::npos) << pkg.out;
  const std::string deb = source + "/build/exhibit_" + EXHIBIT_VERSION + "_amd64.deb";
  const std::string dev = source + "/build/exhibit-dev_" + EXHIBIT_VERSION + "_amd64.deb";
  ASSERT_TRUE(fs::exists(deb)) << pkg.out;
  ASSERT_TRUE(fs::exists(dev)) << pkg.out;
  // Its dependencies are the shared libraries the binary links (dpkg-shlibdeps).
  auto depends = run("dpkg-deb -f " + sh_quote(deb) + " Depends");
  for (const char* lib : {"libewf2", "libssl3", "libzstd1", "libisal2", "libc6"}) {
    EXPECT_NE(depends.out.find(lib), std::string::npos) << depends.out;
  }

  auto install = run("DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends " + sh_quote(deb) +
                     " " + sh_quote(dev) + " 2>&1");
  ASSERT_EQ(install.exit_code, 0) << install.out;
  const auto files = files_of("exhibit");
  const auto dev_files = files_of("exhibit-dev");
  auto version = run("/usr/bin/exhibit --version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind(std::string("exhibit ") + EXHIBIT_VERSION + " (commit ", 0), 0u) << version.out;
  auto where = run("man -w exhibit-acquire");
  EXPECT_EQ(where.out, "/usr/share/man/man1/exhibit-acquire.1.gz\n") << where.err;
  auto page = run("MANWIDTH=200 man exhibit-acquire 2>&1");
  EXPECT_NE(page.out.find("--second-output"), std::string::npos) << page.out.substr(0, 400);
  auto completion = run("bash -c " + sh_quote("source /usr/share/bash-completion/completions/exhibit; "
                                              "COMP_WORDS=(exhibit verify --rech); COMP_CWORD=2; _exhibit; "
                                              "echo \"${COMPREPLY[*]}\""));
  EXPECT_EQ(completion.out, "--recheck\n") << completion.err;
  EXPECT_TRUE(fs::exists("/usr/share/doc/exhibit/copyright"));
  EXPECT_TRUE(fs::exists("/usr/lib/cmake/exhibit/exhibitConfig.cmake"));
  EXPECT_TRUE(fs::exists("/usr/include/exhibit/batch_report.hpp"));

  auto remove = run("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q exhibit exhibit-dev 2>&1");
  ASSERT_EQ(remove.exit_code, 0) << remove.out;
  EXPECT_FALSE(installed("exhibit"));
  EXPECT_FALSE(installed("exhibit-dev"));
  EXPECT_GE(files.size(), 10u);
  for (const auto& f : files) EXPECT_FALSE(fs::exists(f)) << f << " left behind";
  for (const auto& f : dev_files) EXPECT_FALSE(fs::exists(f)) << f << " left behind";
  for (const char* dir :
       {"/usr/share/doc/exhibit", "/usr/share/doc/exhibit-dev", "/usr/include/exhibit", "/usr/lib/cmake/exhibit"}) {
    EXPECT_FALSE(fs::exists(dir)) << dir << " left behind";
  }
  EXPECT_EQ(run("dpkg-query -W -f='${Status}' exhibit 2>/dev/null").out.find("config-files"), std::string::npos);
}

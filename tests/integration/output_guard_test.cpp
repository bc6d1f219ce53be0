// One guard for every path exhibit writes (issue 12, item 1): the source, its device node, the
// files of the image being verified or exported, and file systems on the source are never
// written, with or without --force; paths are compared by identity, not spelling; a refused run
// creates nothing. Every case checks the protected file's SHA-256 before and after.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

CommandResult exhibit_run(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

void expect_refused(const CommandResult& r, const std::string& must_contain) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(must_contain), std::string::npos) << r.err;
}

// A small file source and a finished image of it.
struct Evidence {
  TempDir tmp;
  std::string src = tmp / "src.bin";
  std::string sha;
  Evidence() {
    write_file(src, random_bytes(1 << 20, 12));
    sha = digest_of("sha256sum", src);
  }
};

}  // namespace

TEST(OutputGuard, ReportOverTheSourceIsRefusedEvenWithForce) {
  Evidence e;
  for (const char* force : {"", " -f"}) {
    expect_refused(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x") + force + " --report " +
                               sh_quote(e.src)),
                   "it is the source");
    EXPECT_FALSE(fs::exists(e.tmp / "x.log"));
    EXPECT_FALSE(fs::exists(e.tmp / "x.incomplete.E01"));
  }
  // Spelled another way, and through a symbolic link.
  fs::create_directory(e.tmp / "sub");
  fs::create_symlink(e.src, e.tmp / "link");
  expect_refused(exhibit_run("acquire -q -f " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x") + " --report " +
                             sh_quote(e.tmp / "sub/../src.bin")),
                 "it is the source");
  expect_refused(exhibit_run("acquire -q -f " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x") + " --report " +
                             sh_quote(e.tmp / "link")),
                 "it is the source");
  // Through a folder that does not exist yet: -o makes its folders, and would then be at the source.
  fs::copy_file(e.src, e.tmp / "z.raw");
  expect_refused(exhibit_run("acquire -q -f " + sh_quote(e.tmp / "z.raw") + " -o " + sh_quote(e.tmp / "new/../z") +
                             " --format raw -S 0"),
                 "it is the source");
  EXPECT_EQ(digest_of("sha256sum", e.tmp / "z.raw"), e.sha);
  EXPECT_FALSE(fs::exists(e.tmp / "new"));
  // A report whose folder does not exist is refused up front, not after the acquisition.
  expect_refused(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "y") + " --report " +
                             sh_quote(e.tmp / "none/r.html")),
                 "its folder does not exist");
  EXPECT_FALSE(fs::exists(e.tmp / "y.log"));
  EXPECT_EQ(digest_of("sha256sum", e.src), e.sha);
}

TEST(OutputGuard, ImageNamedLikeTheSourceIsRefusedEvenWithForce) {
  Evidence e;
  fs::rename(e.src, e.tmp / "x.E01");
  const std::string src = e.tmp / "x.E01";
  expect_refused(exhibit_run("acquire -q -f " + sh_quote(src) + " -o " + sh_quote(e.tmp / "x")), "it is the source");
  expect_refused(exhibit_run("acquire -q -f " + sh_quote(src) + " -o " + sh_quote(e.tmp / "y") + " --second-output " +
                             sh_quote(e.tmp / "./x")),
                 "it is the source");
  // A raw image's first segment, and a hard link of the source under the image's name.
  fs::create_hard_link(src, e.tmp / "z.001");
  expect_refused(exhibit_run("acquire -q -f --format raw " + sh_quote(src) + " -o " + sh_quote(e.tmp / "z")),
                 "it is the source");
  EXPECT_EQ(digest_of("sha256sum", src), e.sha);
  EXPECT_FALSE(fs::exists(e.tmp / "y.log"));
  EXPECT_FALSE(fs::exists(e.tmp / "x.log"));
}

TEST(OutputGuard, CopiesThatAreTheSameFileAreRefusedBeforeAnythingIsCreated) {
  Evidence e;
  fs::create_directory(e.tmp / "out");
  fs::create_directory_symlink(e.tmp / "out", e.tmp / "alias");
  for (const std::string& second : {e.tmp / "out/./x", e.tmp / "alias/x", e.tmp / "out/sub/../x"}) {
    expect_refused(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "out/x") +
                               " --second-output " + sh_quote(second)),
                   "is the same file as");
    EXPECT_TRUE(fs::is_empty(e.tmp / "out")) << second;
  }
  // The refusal left nothing behind: the same command with distinct copies now works.
  auto ok = exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "out/x") + " --second-output " +
                        sh_quote(e.tmp / "out/y"));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(OutputGuard, VerifyReportNeverReplacesAFileOfTheImage) {
  Evidence e;
  ASSERT_EQ(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x")).exit_code, 0);
  for (const char* name :
       {"x.E01", "x.manifest.json", "x.log", "x.sha256sums", "x.report.html", "x.dfxml", "x.case.jsonld"}) {
    const std::string target = e.tmp / name;
    const std::string before = digest_of("sha256sum", target);
    expect_refused(exhibit_run("verify -q -f " + sh_quote(e.tmp / "x.E01") + " --report " + sh_quote(target)),
                   "it is a file of the image being verified");
    EXPECT_EQ(digest_of("sha256sum", target), before) << name;
  }
  // Nor the source given with --source, nor an existing file without --force.
  expect_refused(exhibit_run("verify -q -f " + sh_quote(e.tmp / "x.E01") + " --source " + sh_quote(e.src) +
                             " --report " + sh_quote(e.src)),
                 "it is the source");
  write_file(e.tmp / "old.html", "keep me");
  expect_refused(exhibit_run("verify -q " + sh_quote(e.tmp / "x.E01") + " --report " + sh_quote(e.tmp / "old.html")),
                 "already exists");
  EXPECT_EQ(read_file(e.tmp / "old.html"), "keep me");
  auto forced = exhibit_run("verify -q -f " + sh_quote(e.tmp / "x.E01") + " --report " + sh_quote(e.tmp / "old.html"));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(read_file(e.tmp / "old.html").find("<html"), std::string::npos);
  // The image still verifies: nothing of it was touched.
  EXPECT_EQ(exhibit_run("verify -q " + sh_quote(e.tmp / "x.E01")).exit_code, 0);
  EXPECT_EQ(digest_of("sha256sum", e.src), e.sha);
}

TEST(OutputGuard, ExportNeverWritesOverTheImageOrItsRecord) {
  Evidence e;
  ASSERT_EQ(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x")).exit_code, 0);
  const std::string before = digest_of("sha256sum", e.tmp / "x.manifest.json");
  expect_refused(exhibit_run("export -q -f " + sh_quote(e.tmp / "x.E01") + " -o " +
                             sh_quote(e.tmp / "x.manifest.json")),
                 "it is a file of the image being exported");
  EXPECT_EQ(digest_of("sha256sum", e.tmp / "x.manifest.json"), before);
}

// A file already at a later segment's name, past a gap (BASE.incomplete.E02 with no
// BASE.incomplete.E01), is an output too: the writer opens that name when the run gets there, and
// a link to the source lying there had the source overwritten by segment 2 (exit 0).
TEST(OutputGuard, ALaterSegmentNameAlreadyThereIsCheckedToo) {
  Evidence e;
  fs::create_symlink(e.src, e.tmp / "x.incomplete.E02");
  for (const char* force : {"", " -f"}) {
    expect_refused(exhibit_run("acquire -q -S 256KiB -c none " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x") +
                               force),
                   "x.incomplete.E02: it is the source");
  }
  fs::create_hard_link(e.src, e.tmp / "y.incomplete.003");
  expect_refused(exhibit_run("acquire -q -f --format raw -S 256KiB " + sh_quote(e.src) + " -o " +
                             sh_quote(e.tmp / "y")),
                 "y.incomplete.003: it is the source");
  EXPECT_FALSE(fs::exists(e.tmp / "x.log"));
  EXPECT_FALSE(fs::exists(e.tmp / "y.log"));
  EXPECT_EQ(digest_of("sha256sum", e.src), e.sha);
  // A stray file of that name is an existing file: refused without --force, replaced with it.
  write_file(e.tmp / "z.E03", "stray");
  expect_refused(exhibit_run("acquire -q -S 256KiB -c none " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "z")),
                 "z.E03 already exists");
  auto forced = exhibit_run("acquire -q -f -S 256KiB -c none " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "z"));
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_GT(fs::file_size(e.tmp / "z.E03"), 5u);
  EXPECT_EQ(exhibit_run("verify -q " + sh_quote(e.tmp / "z.E01")).exit_code, 0);
}

// export writes PATH.partial, then renames it: one already there (a link to another file) is
// removed, never written through.
TEST(OutputGuard, ExportNeverWritesThroughALeftoverPartial) {
  Evidence e;
  ASSERT_EQ(exhibit_run("acquire -q " + sh_quote(e.src) + " -o " + sh_quote(e.tmp / "x")).exit_code, 0);
  write_file(e.tmp / "other.bin", "another exhibit");
  fs::create_symlink(e.tmp / "other.bin", e.tmp / "out.raw.partial");
  fs::create_hard_link(e.tmp / "other.bin", e.tmp / "out2.raw.partial");
  for (const char* out : {"out.raw", "out2.raw"}) {
    auto r = exhibit_run("export -q " + sh_quote(e.tmp / "x.E01") + " -o " + sh_quote(e.tmp / out));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(digest_of("sha256sum", e.tmp / out), e.sha);
    EXPECT_FALSE(fs::is_symlink(e.tmp / out));
  }
  EXPECT_EQ(read_file(e.tmp / "other.bin"), "another exhibit");
}

TEST(OutputGuard, DeviceNodesAndTheLoopBackingFileAreNeverWritten) {
  if (!have_loop_devices()) GTEST_SKIP() << "no loop devices here";
  Evidence e;
  LoopDevice loop(e.src, /*read_only=*/true);
  ASSERT_TRUE(loop.ok());
  for (const std::string& report : {loop.path(), e.src, std::string("/dev/null")}) {
    expect_refused(exhibit_run("acquire -q -f " + sh_quote(loop.path()) + " -o " + sh_quote(e.tmp / "x") +
                               " --report " + sh_quote(report)),
                   report == "/dev/null" ? "it is a character device"
                   : report == e.src     ? "the file behind the source"
                                         : "it is the source");
  }
  struct stat st {};
  ASSERT_EQ(::stat(loop.path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISBLK(st.st_mode));
  EXPECT_EQ(digest_of("sha256sum", e.src), e.sha);
  EXPECT_EQ(digest_of("sha256sum", loop.path()), e.sha);
}

TEST(OutputGuard, NothingIsWrittenOntoAFileSystemOfTheSourceEvenWithAllowMounted) {
  if (!have_loop_devices()) GTEST_SKIP() << "no loop devices here";
  TempDir tmp;
  // A disk with a partition table and an ext4 file system in its first partition.
  const std::string disk = tmp / "disk.img";
  ASSERT_EQ(run("truncate -s 48M " + sh_quote(disk)).exit_code, 0);
  ASSERT_EQ(run("echo 'start=2048, type=83' | sfdisk -q " + sh_quote(disk)).exit_code, 0);
  {
    LoopDevice rw(disk, /*read_only=*/false, 512, false, /*partitions=*/true);
    ASSERT_TRUE(rw.ok());
    ASSERT_TRUE(fs::exists(rw.path() + "p1")) << "no partition device";
    ASSERT_EQ(run("mkfs.ext4 -q " + sh_quote(rw.path() + "p1")).exit_code, 0);
  }
  const std::string before = digest_of("sha256sum", disk);
  LoopDevice loop(disk, /*read_only=*/true, 512, false, /*partitions=*/true);
  ASSERT_TRUE(loop.ok());
  ScopedMount whole_mount("-o ro " + sh_quote(loop.path() + "p1"), tmp / "mnt");
  ASSERT_TRUE(whole_mount.ok());
  // The whole disk as the source, the destination on its partition's file system.
  for (const std::string& source : {loop.path(), loop.path() + "p1"}) {
    auto r = exhibit_run("acquire -q --allow-mounted " + sh_quote(source) + " -o " + sh_quote(tmp / "mnt/case/x"));
    expect_refused(r, "lives on the source");
    auto second = exhibit_run("acquire -q --allow-mounted " + sh_quote(source) + " -o " + sh_quote(tmp / "x") +
                              " --second-output " + sh_quote(tmp / "mnt/y"));
    expect_refused(second, "lives on the source");
    EXPECT_FALSE(fs::exists(tmp / "x.log"));
  }
  // A file system elsewhere is fine.
  auto ok = exhibit_run("acquire -q --allow-mounted " + sh_quote(loop.path() + "p1") + " -o " +
                        sh_quote(tmp / "elsewhere/x"));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(digest_of("sha256sum", disk), before);
}

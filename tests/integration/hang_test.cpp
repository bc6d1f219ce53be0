// A source that stops answering (issue 12, item 9): the folder and the log exist before the first
// read; a read that gets no answer is said in the log and on the progress line; Ctrl-C is logged
// at once and the work saved while the kernel still holds the read (the process itself cannot end
// before the kernel gives the read back); --resume then finishes the image. nbdkit's pause filter holds every read for
// as long as the test wants, so nothing here depends on timing: EXHIBIT_STALL_SECONDS=1 only shortens the 30 s after
// which an unanswered read is reported.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// Sends one command byte to the pause filter's control socket; returns its answer.
std::string pause_control(const std::string& socket, char command) {
  auto r =
      run("python3 -c \"import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
          "s.sendall(sys.argv[2].encode()); print(s.recv(1).decode())\" " +
          sh_quote(socket) + " " + std::string(1, command));
  return r.out.substr(0, 1);
}

// Polls `ready` ten times a second for up to `seconds` (a bound against a hung test, not a timing).
bool eventually(const std::function<bool()>& ready, int seconds = 120) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (ready()) return true;
    run("sleep 0.1");
  }
  return ready();
}

bool contains(const std::string& path, const std::string& text) {
  return fs::exists(path) && read_file(path).find(text) != std::string::npos;
}

// The exhibit process whose command line holds `pattern` (not the shells around it).
std::string pid_of(const std::string& pattern) {
  auto r = run("for p in $(pgrep -f " + sh_quote(pattern) +
               "); do [ \"$(readlink /proc/$p/exe)\" = " + sh_quote(exhibit_bin()) + " ] && echo $p; done");
  return r.out.substr(0, r.out.find('\n'));
}

bool alive(const std::string& pid) { return !pid.empty() && run("kill -0 " + pid + " 2>/dev/null").exit_code == 0; }

struct PausedSource {
  TempDir& tmp;
  std::string file = tmp / "source.img";
  std::string socket = tmp / "pause.sock";
  std::string md5;
  std::unique_ptr<NbdDisk> disk;
  std::unique_ptr<LoopDevice> loop;
  explicit PausedSource(TempDir& t) : tmp(t) {
    write_file(file, random_bytes(24 << 20, 41) + std::string(8 << 20, '\0'));
    md5 = digest_of("md5sum", file);
    disk = std::make_unique<NbdDisk>(file, "--filter=pause --filter=rate", "rate=20M pause-control=" + socket,
                                     tmp.path());
    if (disk->ok()) loop = std::make_unique<LoopDevice>(disk->file(), /*read_only=*/true, 512, /*direct_io=*/true);
  }
  ~PausedSource() {
    if (disk && disk->ok()) pause_control(socket, 'r');  // never leave the kernel holding a read
    loop.reset();
    disk.reset();
  }
  bool ok() const { return loop && loop->ok(); }
};

}  // namespace

TEST(Hang, AnUnansweredReadIsReportedAndCtrlCIsLoggedAtOnce) {
  if (!have_nbd_rig() || !have_tool("script") || !have_tool("python3"))
    GTEST_SKIP() << "needs the nbdkit rig, script and python3";
  TempDir tmp;
  PausedSource src(tmp);
  ASSERT_TRUE(src.ok());
  const std::string base = tmp / "out/x";
  const std::string command = sh_quote(exhibit_bin()) + " acquire " + src.loop->path() + " -o " + sh_quote(base);
  // Under `script`, so that the progress line is drawn as on a terminal.
  run("(EXHIBIT_STALL_SECONDS=1 script -qfec " + sh_quote(command + "; echo $? > " + sh_quote(tmp / "rc")) + " " +
      sh_quote(tmp / "tty.txt") + " >/dev/null 2>&1 &)");
  // The first state is saved once the copy exists: then hold every read from now on.
  ASSERT_TRUE(eventually([&] { return contains(base + ".map", "0x"); }));
  ASSERT_TRUE(eventually([&] { return fs::exists(base + ".resume"); }));
  ASSERT_EQ(pause_control(src.socket, 'p'), "P");
  const std::string pid = pid_of("acquire " + src.loop->path() + " -o " + base);
  ASSERT_TRUE(alive(pid));
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "NO ANSWER from the source for"); }))
      << read_file(base + ".log");
  EXPECT_TRUE(eventually([&] { return contains(tmp / "tty.txt", "NO ANSWER from the source for"); }));
  // It answers again: the log says so and the acquisition goes on; then it stops answering again.
  ASSERT_EQ(pause_control(src.socket, 'r'), "R");
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "the source answered the read at byte"); }))
      << read_file(base + ".log");
  ASSERT_EQ(pause_control(src.socket, 'p'), "P");
  // Ctrl-C: in the log at once, while the read is still held (the process is alive), the work saved.
  ASSERT_EQ(run("kill -INT " + pid).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "INTERRUPTED (Ctrl-C): a read of bytes"); }))
      << read_file(base + ".log");
  EXPECT_TRUE(alive(pid)) << "the read is held: the process cannot have ended";
  EXPECT_TRUE(fs::exists(base + ".resume"));
  // The kernel gives the read back: the interrupted run ends (exit 3), nothing looks finished.
  ASSERT_EQ(pause_control(src.socket, 'r'), "R");
  EXPECT_TRUE(eventually([&] { return fs::exists(tmp / "rc") && !read_file(tmp / "rc").empty(); }));
  EXPECT_EQ(read_file(tmp / "rc"), "3\n");
  EXPECT_FALSE(fs::exists(base + ".E01"));
  // --resume finishes the image, equal to the source.
  auto again = run(command + " -q --resume");
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  auto ewf = run("ewfverify -q " + sh_quote(base + ".E01"));
  EXPECT_NE(ewf.out.find("ewfverify: SUCCESS"), std::string::npos) << ewf.out;
  EXPECT_NE(ewf.out.find(src.md5), std::string::npos) << ewf.out;
  EXPECT_EQ(digest_of("md5sum", src.file), src.md5);
}

TEST(Hang, TheLogExistsBeforeTheFirstRead) {
  if (!have_nbd_rig() || !have_tool("python3")) GTEST_SKIP() << "needs the nbdkit rig and python3";
  TempDir tmp;
  PausedSource src(tmp);
  ASSERT_TRUE(src.ok());
  ASSERT_EQ(pause_control(src.socket, 'p'), "P");  // not one read is answered
  const std::string base = tmp / "new/folder/x";
  const std::string command = sh_quote(exhibit_bin()) + " acquire -q " + src.loop->path() + " -o " + sh_quote(base);
  run("(EXHIBIT_STALL_SECONDS=1 sh -c " +
      sh_quote(command + " 2>" + sh_quote(tmp / "err") + "; echo $? > " + sh_quote(tmp / "rc")) +
      " >/dev/null 2>&1 &)");
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "acquisition started"); }));
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "NO ANSWER from the source for"); }))
      << read_file(base + ".log");
  EXPECT_TRUE(contains(base + ".log", "a read of bytes 0-")) << read_file(base + ".log");
  const std::string pid = pid_of("acquire -q " + src.loop->path() + " -o " + base);
  ASSERT_TRUE(alive(pid));
  ASSERT_EQ(run("kill -INT " + pid).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return contains(base + ".log", "INTERRUPTED (Ctrl-C)"); }));
  EXPECT_TRUE(alive(pid));
  // Once the source answers, the interrupted run ends: exit 3, one line, nothing that looks finished.
  ASSERT_EQ(pause_control(src.socket, 'r'), "R");
  ASSERT_TRUE(eventually([&] { return fs::exists(tmp / "rc"); }));
  EXPECT_EQ(read_file(tmp / "rc"), "3\n");
  EXPECT_EQ(line_count(read_file(tmp / "err")), 1u) << read_file(tmp / "err");
  EXPECT_FALSE(fs::exists(base + ".E01"));
  EXPECT_EQ(digest_of("md5sum", src.file), src.md5);
}

// Nothing looks finished until all of it is written (issue 12, item 2). A fault point stops the
// acquisition with SIGKILL at each step of its finishing phase (as a power cut would); each time
// the set is either unfinished and `--resume` finishes it, or complete, and then every file is
// there: segments, checksums, record, signature, timestamp request, report, for both copies.
#include <gtest/gtest.h>

#include <filesystem>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

const char* const k_points[] = {"finish:closed",       "finish:hashed", "finish:staged",  "finish:state",
                                "finish:first-rename", "finish:rename", "finish:renamed", "finish:state-removed"};

std::vector<std::string> leftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".incomplete") != std::string::npos || name.find(".tmp") != std::string::npos ||
        name.find(".resume") != std::string::npos) {
      out.push_back(name);
    }
  }
  return out;
}

void expect_complete_set(const std::string& base, const std::string& pub, const std::string& md5) {
  for (const char* ext : {".E01", ".E02", ".manifest.json", ".manifest.json.sig", ".manifest.tsq", ".sha256sums",
                          ".report.html", ".dfxml", ".case.jsonld", ".log", ".map"}) {
    EXPECT_TRUE(fs::exists(base + ext)) << base << ext;
  }
  auto v = run(sh_quote(exhibit_bin()) + " verify --require-signature --pubkey " + sh_quote(pub) + " " +
               sh_quote(base + ".E01"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto ewf = run("ewfverify -q " + sh_quote(base + ".E01"));
  EXPECT_NE(ewf.out.find("ewfverify: SUCCESS"), std::string::npos) << ewf.out;
  EXPECT_NE(ewf.out.find(md5), std::string::npos) << ewf.out;
  auto sums = run("cd " + sh_quote(fs::path(base).parent_path().string()) + " && sha256sum -c " +
                  sh_quote(fs::path(base).filename().string() + ".sha256sums"));
  EXPECT_EQ(sums.exit_code, 0) << sums.out;
  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("ACQUISITION COMPLETE"), std::string::npos) << log;
}

}  // namespace

TEST(Finishing, AKillAtEachStepLeavesASetThatResumeFinishesOrACompleteOne) {
  TempDir tmp;
  const std::string source = tmp / "src.bin";
  write_file(source, random_bytes(6 << 20, 31));
  const std::string md5 = digest_of("md5sum", source), sha = digest_of("sha256sum", source);
  ASSERT_EQ(run("cd " + sh_quote(tmp.path()) +
                " && openssl genpkey -algorithm ED25519 -out k.pem 2>/dev/null && "
                "openssl pkey -in k.pem -pubout -out pub.pem")
                .exit_code,
            0);
  int resumed = 0, complete = 0;
  for (const char* point : k_points) {
    SCOPED_TRACE(point);
    const std::string dir = tmp / point;
    const std::string a = dir + "/a", b = dir + "/b";
    auto r = run("EXHIBIT_FAULT_POINT=" + std::string(point) + " " + sh_quote(exhibit_bin()) + " acquire -q -S 4MB " +
                 sh_quote(source) + " -o " + sh_quote(a) + " --second-output " + sh_quote(b) + " --sign-key " +
                 sh_quote(tmp / "k.pem"));
    ASSERT_EQ(r.signal, 9) << "the fault point was not reached: " << r.exit_code << r.err;
    const bool state_left = fs::exists(a + ".resume");
    EXPECT_EQ(state_left, fs::exists(b + ".resume"));
    if (state_left) {
      // Unfinished: nothing may pass as a finished, checked image.
      if (fs::exists(a + ".E01")) {
        auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(a + ".E01"));
        EXPECT_NE(v.exit_code, 0) << "an unfinished set verified: " << v.out;
      }
      // The signing key is never saved: the resumed run is given it again (and refuses to go on without it).
      auto unsigned_resume =
          run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(b) + " --resume");
      if (unsigned_resume.exit_code != 0) {
        EXPECT_EQ(unsigned_resume.exit_code, 2) << unsigned_resume.err;
        EXPECT_NE(unsigned_resume.err.find("give --sign-key"), std::string::npos) << unsigned_resume.err;
        auto again = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(b) +
                         " --resume --sign-key " + sh_quote(tmp / "k.pem"));
        ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
      }
      ++resumed;
    } else {
      auto again =
          run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(a) + " --resume");
      EXPECT_EQ(again.exit_code, 2) << again.err;
      EXPECT_NE(again.err.find("already finished"), std::string::npos) << again.err;
      ++complete;
    }
    for (const auto& base : {a, b}) {
      // The log of a run killed after its last state was removed has no closing line: the set is complete all the same.
      if (state_left) {
        expect_complete_set(base, tmp / "pub.pem", md5);
      } else {
        auto v = run(sh_quote(exhibit_bin()) + " verify --require-signature --pubkey " + sh_quote(tmp / "pub.pem") +
                     " " + sh_quote(base + ".E01"));
        EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
      }
    }
    EXPECT_EQ(read_file(a + ".manifest.json"), read_file(a + ".manifest.json")) << "same record";
    EXPECT_TRUE(leftovers(dir).empty()) << leftovers(dir).front();
    EXPECT_EQ(digest_of("sha256sum", a + ".E01"), digest_of("sha256sum", b + ".E01"));
  }
  EXPECT_EQ(resumed, 7);
  EXPECT_EQ(complete, 1);
  EXPECT_EQ(digest_of("sha256sum", source), sha);
}

// The finishing state keeps each segment's SHA-256: a segment changed before the resumed finish
// is named and nothing gets its final name.
TEST(Finishing, ASegmentChangedBeforeTheResumedFinishIsRefused) {
  TempDir tmp;
  const std::string source = tmp / "src.bin";
  write_file(source, random_bytes(3 << 20, 32));
  auto r = run("EXHIBIT_FAULT_POINT=finish:state " + sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) +
               " -o " + sh_quote(tmp / "x"));
  ASSERT_EQ(r.signal, 9);
  ASSERT_TRUE(fs::exists(tmp / "x.incomplete.E01"));
  ASSERT_TRUE(change_byte(tmp / "x.incomplete.E01", 100000));
  auto again =
      run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(tmp / "x") + " --resume");
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(line_count(again.err), 1u) << again.err;
  EXPECT_NE(again.err.find("x.incomplete.E01 changed since it was written"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(tmp / "x.E01"));
  EXPECT_FALSE(fs::exists(tmp / "x.manifest.json"));
}

// The same steps for raw and seekable zstd sets: a resumed run finishes what a kill left, and a
// run killed after its state was removed is named finished (a resumed run does not know the
// format until it has read the state, so it looks for a finished image in every format).
TEST(Finishing, RawAndZstSetsFinishOrAreNamedFinished) {
  TempDir tmp;
  const std::string source = tmp / "src.bin";
  write_file(source, random_bytes(3 << 20, 33));
  const std::string sha = digest_of("sha256sum", source);
  for (const std::string format : {"raw", "zst"}) {
    for (const char* point : {"finish:staged", "finish:renamed", "finish:state-removed"}) {
      SCOPED_TRACE(format + " " + point);
      const std::string base = tmp / (format + "-" + std::string(point + 7));
      auto r = run("EXHIBIT_FAULT_POINT=" + std::string(point) + " " + sh_quote(exhibit_bin()) +
                   " acquire -q --format " + format + " " + sh_quote(source) + " -o " + sh_quote(base));
      ASSERT_EQ(r.signal, 9) << r.err;
      auto again =
          run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(base) + " --resume");
      const std::string image = base + (format == "zst" ? ".zst" : ".001");
      if (std::string(point) == "finish:state-removed") {
        EXPECT_EQ(again.exit_code, 2) << again.err;
        EXPECT_NE(again.err.find("the image " + image + " is already finished"), std::string::npos) << again.err;
      } else {
        EXPECT_EQ(again.exit_code, 0) << again.err;
      }
      EXPECT_FALSE(fs::exists(base + ".resume"));
      auto v = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(image));
      EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
      auto media =
          run("bash -c " + sh_quote((format == "zst" ? "zstd -dc " : "cat ") + sh_quote(image) + " | sha256sum"));
      EXPECT_EQ(media.out.substr(0, 64), sha);
    }
  }
}

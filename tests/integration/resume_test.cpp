// `acquire --resume` after everything that can stop an acquisition: kill -9 (power loss) at
// random points, Ctrl-C, a destination that fills up. The finished image must equal an
// uninterrupted one (byte for byte where the dates and set identifier are fixed by
// SOURCE_DATE_EPOCH), pass ewfverify, and carry the source's digests (md5sum, sha256sum).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

std::string acquire_cmd(const std::string& source, const std::string& base, const std::string& extra) {
  return "SOURCE_DATE_EPOCH=1790000000 " + sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " +
         sh_quote(base) + " -q " + extra;
}

// The image files' bytes, in order (E01 segments, raw pieces, or the one zst file).
std::vector<std::string> segment_bytes(const std::string& base) {
  std::vector<std::string> out;
  for (const char* ext : {"E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "001", "002", "003", "004",
                          "005", "006", "007", "008", "009", "zst"}) {
    const std::string p = base + "." + ext;
    if (fs::exists(p)) out.push_back(read_file(p));
  }
  return out;
}

// A seekable zstd file without what follows its data frames (the record frame, which holds the
// run's times and interruption count, and the seek table): read from its own seek table.
std::string zst_data_frames(const std::string& z) {
  auto le32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(z[at + static_cast<size_t>(i)]);
    return v;
  };
  if (z.size() < 17) return z;
  const uint32_t count = le32(z.size() - 9);
  const size_t table = z.size() - 9 - 8 * size_t{count};
  size_t data = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (le32(table + 8 * i + 4) != 0) data += le32(table + 8 * i);
  }
  return z.substr(0, data);
}

std::string first_file(const std::string& base) {
  for (const char* ext : {".E01", ".001", ".raw", ".zst"}) {
    if (fs::exists(base + ext)) return base + ext;
  }
  return base + ".E01";
}

// The image verifies (ewfverify too for E01, zstd -d or cat for the others) and holds the source.
void expect_verified_copy_of(const std::string& base, const std::string& source) {
  const std::string image = first_file(base);
  if (image.size() > 4 && image.compare(image.size() - 4, 4, ".E01") == 0) {
    auto v = run("ewfverify -q " + sh_quote(image));
    EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out << v.err;
    EXPECT_NE(v.out.find(digest_of("md5sum", source)), std::string::npos) << v.out;
  } else {
    const std::string media = image.back() == 't'   ? "zstd -dc " + sh_quote(image)
                              : image.back() == 'w' ? "cat " + sh_quote(image)
                                                    : "cat " + sh_quote(base) + ".0*";
    EXPECT_EQ(run("bash -c " + sh_quote(media + " | cmp - " + sh_quote(source))).exit_code, 0) << image;
  }
  auto ours = run(sh_quote(exhibit_bin()) + " verify -q " + sh_quote(image));
  EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  auto exported =
      run("bash -c " + sh_quote(sh_quote(exhibit_bin()) + " export " + sh_quote(image) + " -o - | sha256sum"));
  EXPECT_EQ(exported.out.substr(0, 64), digest_of("sha256sum", source));
  EXPECT_FALSE(fs::exists(base + ".resume")) << "the resume state goes once the image is finished";
}

}  // namespace

class ResumeFormat : public ::testing::TestWithParam<const char*> {};

// Power loss, repeatedly: kill -9 at random moments, each run resumed, until one finishes.
TEST_P(ResumeFormat, AfterKillNineAtRandomPointsGivesTheUninterruptedImage) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  // Random, text and zeros, so chunks of every kind are cut and resumed.
  write_file(source, random_bytes(24 << 20, 3) + std::string(8 << 20, '\0') + random_bytes(24 << 20, 4));
  const std::string before = digest_of("sha256sum", source);
  // About 10 MB/s (rate is in bits per second): several seconds for the whole source.
  NbdDisk disk(source, "--filter=rate", "rate=80M", tmp.path());
  ASSERT_TRUE(disk.ok());
  LoopDevice loop(disk.file(), /*read_only=*/true, 512, /*direct_io=*/true);
  ASSERT_TRUE(loop.ok());
  const std::string format = GetParam();
  const std::string extra = "--format " + format + (format == "zst" ? "" : " -S 8MiB") + " -j 2";

  ASSERT_EQ(run(acquire_cmd(loop.path(), tmp / "whole", extra)).exit_code, 0);

  const std::string base = tmp / "img";
  std::mt19937 rng(std::random_device{}());
  int kills = 0;
  bool finished = false;
  // What the next run is: a resume when a state was saved, else a fresh start (a run killed
  // before its first saved state, as a loaded machine may make the first one, left nothing).
  auto next_run = [&] {
    if (fs::exists(base + ".resume")) return std::string("-j 2 --resume");
    return extra + (fs::exists(base + ".log") ? " -f" : "");
  };
  for (int round = 0; round < 12 && !finished; ++round) {
    // After the first saved state (earlier, there is nothing to resume): 1.5 .. 2.5 s for the
    // first run (the whole source takes over 3 s), 1.5 .. 3.5 s for resumed ones.
    const double after = 1.5 + static_cast<double>(rng() % (round == 0 ? 1000 : 2000)) / 1000.0;
    SCOPED_TRACE("round " + std::to_string(round) + ", kill -9 after " + std::to_string(after) + " s");
    auto r = run(acquire_cmd(loop.path(), base, next_run()) + " & pid=$!; sleep " + std::to_string(after) +
                 "; kill -9 $pid 2>/dev/null; wait $pid; echo exit=$?");
    const std::string code = field_after(r.out, "exit=");
    if (code == "0") {
      finished = true;
    } else if (code == "2" && r.err.find("already finished") != std::string::npos) {
      finished = true;  // the last kill landed after the finished set had removed its state
    } else {
      ASSERT_EQ(code, "137") << r.out << r.err;
      if (fs::exists(base + ".resume")) {
        ++kills;  // unfinished, or killed while finishing (then BASE.E01 may exist: the state says what is left)
      } else if (fs::exists(first_file(base))) {
        // Killed after its last state was removed (under the sanitizers the leak check at exit
        // makes that window wide): the set is complete, whatever its format.
        EXPECT_TRUE(fs::exists(base + ".manifest.json")) << "a finished image without its record";
        finished = true;
      }  // else killed before its first saved state: nothing was kept, the next run starts again
    }
  }
  if (!finished) {
    auto r = run(acquire_cmd(loop.path(), base, next_run()));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_GE(kills, 1) << "no run was killed: the test proved nothing";
  const auto whole = segment_bytes(tmp / "whole"), resumed = segment_bytes(base);
  ASSERT_GT(whole.size(), format == "zst" ? 0u : 2u) << "the source should fill several segments";
  ASSERT_EQ(resumed.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    if (format == "zst") {
      EXPECT_TRUE(zst_data_frames(resumed[i]) == zst_data_frames(whole[i])) << "the data frames differ";
    } else {
      EXPECT_TRUE(resumed[i] == whole[i]) << "segment " << i + 1 << " differs";
    }
  }
  expect_verified_copy_of(base, source);
  // A kill that lands before a resumed run has saved its first state leaves the count as it was
  // (the run made no progress): the last resumed run names between 1 and `kills` interruptions.
  // The record holds the count when it was sealed: one less when the last kill hit the finishing
  // phase (the log names that one).
  const std::string log = read_file(base + ".log");
  const std::string said = "acquisition RESUMED (after interruption ";
  const size_t last = log.rfind(said);
  ASSERT_NE(last, std::string::npos) << log;
  const int counted = std::stoi(log.substr(last + said.size()));
  EXPECT_GE(counted, 1);
  EXPECT_LE(counted, kills) << log;
  const int recorded = nlohmann::json::parse(read_file(base + ".manifest.json")).at("interruptions");
  EXPECT_GE(recorded, 1);
  EXPECT_LE(recorded, counted);
  EXPECT_EQ(digest_of("sha256sum", source), before);
}

INSTANTIATE_TEST_SUITE_P(Formats, ResumeFormat, ::testing::Values("e01", "raw", "zst"));

// Bad sectors before and after the interruption (one run of them across the moment it stops is
// likely): the resumed image lists exactly the bad sectors, in the E01 and in the map.
TEST(Resume, KeepsEveryUnreadableSectorAcrossInterruptions) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  TempDir tmp;
  const uint64_t size = 32 << 20;
  const std::string source = tmp / "source.img";
  const std::string data = random_bytes(size, 21);
  write_file(source, data);
  // One bad run every 2 MiB: wherever the Ctrl-C lands, some are before it and some after.
  std::vector<exhibit::SectorRange> bad;
  for (uint64_t s = 1000; s < size / 512; s += 4096) bad.push_back({s, 3 + s % 7});
  std::string expected = data;
  for (const auto& r : bad) expected.replace(r.first * 512, r.count * 512, std::string(r.count * 512, '\0'));
  write_file(tmp / "expected.img", expected);
  BadSectorDisk rig(source, ddrescue_map(size, bad), tmp.path(), "80M");
  ASSERT_TRUE(rig.ok());
  LoopDevice loop(rig.file(), /*read_only=*/true, 512, /*direct_io=*/true);
  ASSERT_TRUE(loop.ok());
  const std::string base = tmp / "img";
  // Ctrl-C once some bad sectors were met (and the state saved), so some come after it too.
  auto r = run(acquire_cmd(loop.path(), base, "--retries 0") + " & pid=$!; " +
               wait_for_text(base + ".log", "UNREADABLE") + wait_for_text(base + ".resume") +
               "kill -INT $pid; wait $pid; echo exit=$?");
  ASSERT_EQ(field_after(r.out, "exit="), "3") << r.out << r.err;
  auto again = run(acquire_cmd(loop.path(), base, "--resume"));
  ASSERT_EQ(again.exit_code, 4) << again.out << again.err;
  auto info = run("ewfinfo -e " + sh_quote(base + ".E01"));
  EXPECT_EQ(ewfinfo_error_ranges(info.out), bad) << info.out;
  auto v = run("ewfverify -q " + sh_quote(base + ".E01"));
  EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find(digest_of("md5sum", tmp / "expected.img")), std::string::npos) << v.out;
  if (have_tool("ddrescuelog")) {
    auto listed = run("ddrescuelog -l- -b512 " + sh_quote(base + ".map"));
    std::string want;
    for (const auto& b : bad) {
      for (uint64_t s = b.first; s < b.first + b.count; ++s) want += std::to_string(s) + "\n";
    }
    EXPECT_EQ(listed.out, want);
  }
}

// Ctrl-C, twice: the first run and the first resumed run are interrupted, the third finishes.
TEST(Resume, AfterCtrlCContinuesWhereItStopped) {
  TempDir tmp;
  const std::string source = tmp / "big.img";
  run("truncate -s 192M " + sh_quote(source));
  write_file(tmp / "head.bin", random_bytes(4 << 20, 9));
  run("dd if=" + sh_quote(tmp / "head.bin") + " of=" + sh_quote(source) + " bs=1M seek=100 conv=notrunc status=none");
  const std::string base = tmp / "img";
  for (int round = 0; round < 2; ++round) {
    // Ctrl-C while the run is held at its first block (written; for the resumed one, read back).
    auto r = run(pause_at("pipeline:first-block") + acquire_cmd(source, base, round > 0 ? "--resume" : "") +
                 " & pid=$!; " + at_pause_point("kill -INT $pid") + "wait $pid; echo exit=$?");
    ASSERT_EQ(field_after(r.out, "exit="), "3") << r.out << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" --resume"), std::string::npos) << "the message says how to go on: " << r.err;
    EXPECT_FALSE(fs::exists(base + ".E01"));
  }
  auto r = run(acquire_cmd(source, base, "--resume"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_verified_copy_of(base, source);
  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("RESUMED (after interruption 2)"), std::string::npos) << log;
  EXPECT_EQ(nlohmann::json::parse(read_file(base + ".manifest.json")).at("interruptions"), 2);
  EXPECT_NE(log.find("already written: "), std::string::npos) << log;
}

// The destination fills up: exit 3 and nothing finished-looking; after space is freed, --resume
// completes the image on the same file system.
TEST(Resume, AfterTheDestinationFilledUp) {
  if (!have_loop_devices()) GTEST_SKIP() << "needs root to mount a small file system";
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(24 << 20, 12));
  const std::string dest = tmp / "small";
  fs::create_directories(dest);
  ScopedMount mount("-t tmpfs -o size=8m tmpfs", dest);
  ASSERT_TRUE(mount.ok());
  const std::string base = dest + "/img";
  auto r = run(acquire_cmd(source, base, "-j 2"));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" --resume"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(base + ".E01"));
  EXPECT_FALSE(fs::exists(base + ".manifest.json"));
  EXPECT_TRUE(fs::exists(base + ".resume"));

  ASSERT_EQ(run("mount -o remount,size=64m " + sh_quote(dest)).exit_code, 0);  // space freed
  auto again = run(acquire_cmd(source, base, "-j 2 --resume"));
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  expect_verified_copy_of(base, source);
}

TEST(Resume, RefusesAnotherSourceAndBadRequests) {
  TempDir tmp;
  const std::string source = tmp / "source.img";
  run("truncate -s 2G " + sh_quote(source));
  const std::string base = tmp / "img";
  run(pause_at("pipeline:first-block") + acquire_cmd(source, base, "") + " & pid=$!; " +
      at_pause_point("kill -INT $pid") + "wait $pid");
  ASSERT_TRUE(fs::exists(base + ".resume"));
  const std::string state = read_file(base + ".resume");

  // Same size, other first bytes: not the same evidence.
  const std::string other = tmp / "other.img";
  run("truncate -s 2G " + sh_quote(other) + " && printf x | dd of=" + sh_quote(other) + " conv=notrunc status=none");
  auto r = run(acquire_cmd(other, base, "--resume"));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("not the source of the interrupted acquisition"), std::string::npos) << r.err;
  const std::string smaller = tmp / "smaller.img";
  run("truncate -s 1G " + sh_quote(smaller));
  r = run(acquire_cmd(smaller, base, "--resume"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("its size was 2147483648, now 1073741824"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(base + ".resume"), state) << "a refused resume changes nothing";

  // Settings that shape the image cannot be given again.
  r = run(acquire_cmd(source, base, "--resume --case-number 7"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  // Nothing to resume.
  r = run(acquire_cmd(source, tmp / "never", "--resume"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("no interrupted acquisition"), std::string::npos) << r.err;
  // Stopped before its first saved state: only the log (and map) exist.
  write_file(tmp / "early.log", "started\n");
  r = run(acquire_cmd(source, tmp / "early", "--resume"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("start it again with --force"), std::string::npos) << r.err;
  // A damaged state file.
  write_file(base + ".resume", state.substr(0, state.size() / 2));
  r = run(acquire_cmd(source, base, "--resume"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  // A fresh acquisition over the unfinished one needs --force.
  r = run(acquire_cmd(source, base, ""));
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

namespace {

struct DamageCase {
  const char* name;
  const char* options;
  const char* written_file;  // of the unfinished image, where a byte is changed
};
void PrintTo(const DamageCase& c, std::ostream* os) { *os << c.options << ", changed in " << c.written_file; }

// Starts an acquisition through a rate-limited source and interrupts it with Ctrl-C once its
// saved state holds at least `bytes` media bytes (no guess at how long that takes).
std::string interrupt_after(const std::string& source, const std::string& base, const std::string& extra,
                            uint64_t bytes) {
  const std::string state = sh_quote(base + ".resume");
  // Media bytes saved: raw and zst count them, E01 counts 32 KiB chunks.
  const std::string saved = "awk -F': ' '/\"media_bytes\"/{m=$2+0} /\"chunks\"/{c=$2*32768} END{print (m>c?m:c)+0}' " +
                            state + " 2>/dev/null";
  auto r = run("bash -c " +
               sh_quote(acquire_cmd(source, base, extra) + " & pid=$!; while kill -0 $pid 2>/dev/null; do [ \"$(" +
                        saved + ")\" -ge " + std::to_string(bytes) +
                        " ] && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo exit=$?"));
  return field_after(r.out, "exit=");
}

void flip_byte(const std::string& path, uint64_t offset) {
  std::string bytes = read_file(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x20);
  write_file(path, bytes);
}

}  // namespace

class ResumeDamage : public ::testing::TestWithParam<DamageCase> {};

// A byte of the written part changed between the runs: --resume refuses (exit 1) and names where;
// with the byte put back, it finishes and the image is the source's.
TEST_P(ResumeDamage, ChangedWrittenByteRefusesTheResume) {
  if (!have_nbd_rig()) GTEST_SKIP() << "needs root, loop devices, FUSE, nbdkit and nbdfuse";
  const DamageCase& c = GetParam();
  TempDir tmp;
  const std::string source = tmp / "source.img";
  write_file(source, random_bytes(64 << 20, 31));
  const std::string before = digest_of("sha256sum", source);
  NbdDisk disk(source, "--filter=rate", "rate=80M", tmp.path());  // about 10 MB/s
  ASSERT_TRUE(disk.ok());
  LoopDevice loop(disk.file(), /*read_only=*/true, 512, /*direct_io=*/true);
  ASSERT_TRUE(loop.ok());
  const std::string base = tmp / "img";
  ASSERT_EQ(interrupt_after(loop.path(), base, std::string(c.options) + " -j 2", 18 << 20), "3");
  const auto state = nlohmann::json::parse(read_file(base + ".resume"));
  const auto& copy = state.at("progress").at("copies").at(0);
  const uint64_t written = copy.at("media_bytes");
  const std::string file = tmp / c.written_file;
  const std::string saved_state = read_file(base + ".resume");

  // Inside the first 16 MiB, which a whole span (raw) or whole chunks and frames hold.
  const uint64_t at = 1000003;
  flip_byte(file, at);
  auto r = run(acquire_cmd(loop.path(), base, "--resume"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  if (state.at("image").at("format") == "raw") {
    EXPECT_EQ(copy.at("span_bytes"), 16u << 20);
    const std::string where = std::string(c.written_file) == "img.incomplete.raw"
                                  ? tmp / "img.incomplete.raw bytes 0-16777215"
                                  : tmp / "img.incomplete.001 bytes 0-8388607 and " +
                                        tmp / "img.incomplete.002 bytes 0-8388607";
    EXPECT_NE(r.err.find(where + " differ from what was written before the interruption; not resumed"),
              std::string::npos)
        << r.err;
  } else {
    EXPECT_NE(r.err.find("damaged at media bytes"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(base + ".manifest.json"));
  // The advice does not contradict the refusal, and the refused run saved nothing.
  EXPECT_NE(r.err.find("start again with --force"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(" --resume"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(base + ".resume"), saved_state);
  flip_byte(file, at);  // put back

  if (std::string(c.written_file) == "img.incomplete.raw") {
    // The span still open at the interruption is checked too (it is hashed again from the file).
    const uint64_t last = written - 5;
    const uint64_t span = 16 << 20, first = last / span * span;
    flip_byte(file, last);
    r = run(acquire_cmd(loop.path(), base, "--resume"));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(file + " bytes " + std::to_string(first) + "-" +
                         std::to_string(std::min(first + span, written) - 1) + " differ from what was written"),
              std::string::npos)
        << r.err;
    flip_byte(file, last);
  }
  EXPECT_EQ(nlohmann::json::parse(read_file(base + ".resume")).at("progress").at("copies").at(0).at("media_bytes"),
            written)
      << "a refused resume keeps the saved state: " << saved_state;

  r = run(acquire_cmd(loop.path(), base, "-j 2 --resume"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_verified_copy_of(base, source);
  EXPECT_EQ(digest_of("sha256sum", source), before);
}

INSTANTIATE_TEST_SUITE_P(Formats, ResumeDamage,
                         ::testing::Values(DamageCase{"raw", "--format raw -S 0", "img.incomplete.raw"},
                                           DamageCase{"raw_split", "--format raw -S 8MiB", "img.incomplete.001"},
                                           DamageCase{"zst", "--format zst", "img.incomplete.zst"},
                                           DamageCase{"e01", "--format e01", "img.incomplete.E01"}),
                         [](const ::testing::TestParamInfo<DamageCase>& i) { return std::string(i.param.name); });

// A destination that fails, without root or a full disk: acquire through a FaultEnv that fails one
// call of the image writer (EIO or ENOSPC on a write, a failing fdatasync at a checkpoint, a
// failing final fsync) or of the finishing phase (a failing rename of the image or of its record),
// for E01, raw and zst. Each time the job stops with a Destination error (exit 3) that names the
// file and the errno's text, nothing has a finished name that was not complete, and a second run
// with --resume on the real file system finishes an image whose media are the source's bytes.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/exit_code.hpp"
#include "fault_cases.hpp"

using namespace exhibit;
using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

constexpr auto npos = std::string::npos;

class WriteFault : public testing::TestWithParam<FormatCase> {
 protected:
  void SetUp() override {
    m_source = m_tmp / "source.img";
    m_bytes = fault_source_bytes();
    write_file(m_source, m_bytes);
    fs::create_directories(m_tmp / "out");
    m_base = m_tmp / "out/img";
  }

  AcquireOptions options() const { return fault_options(m_source, m_base, GetParam().format); }
  std::string segment_name() const { return std::string("img.incomplete") + GetParam().ext; }
  std::string partial() const { return m_base + ".incomplete" + GetParam().ext; }
  std::string finished() const { return m_base + GetParam().ext; }
  std::vector<FaultCall> clean_calls() const { return calls_of_a_clean_run(m_tmp.path(), options()); }
  // The nth write of the image that comes after its second checkpoint (a state with work in it
  // is saved, later work is not), counted on the paths containing `among`.
  unsigned write_after_second_checkpoint(const std::vector<FaultCall>& calls, const std::string& among) const {
    const std::string seg = segment_name();
    return nth_call(calls, FaultOp::Write, among, [&](size_t i, const FaultCall& c) {
      return c.path.find(seg) != npos && calls_before(calls, i, FaultOp::SyncData, seg) >= 2;
    });
  }

  // Exit 3, the file and the errno's text named, and how to go on.
  static void expect_failed(const Result<AcquireResult>& r, const std::string& what) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::Destination) << r.error().message();
    EXPECT_EQ(cli::exit_code_for(r.error().code()), cli::k_exit_incomplete);
    EXPECT_NE(r.error().message().find(what), npos) << r.error().message();
    EXPECT_NE(r.error().message().find(" --resume"), npos) << r.error().message();
  }
  void expect_nothing_finished() const {
    EXPECT_FALSE(exists(finished()));
    EXPECT_FALSE(exists(m_base + ".manifest.json"));
    EXPECT_FALSE(exists(m_base + ".sha256sums"));
    EXPECT_TRUE(exists(m_base + ".resume"));
    for (const auto& e : fs::directory_iterator(m_tmp / "out")) {
      EXPECT_EQ(e.path().string().find(".tmp."), npos) << e.path() << ": a temporary file left behind";
    }
  }
  // --resume on the real file system: a finished image of the source's bytes, nothing unfinished left.
  AcquireResult resume_and_check() const {
    AcquireOptions o = options();
    o.resume = true;
    auto r = acquire(o);
    EXPECT_TRUE(r.ok()) << r.error().message();
    if (!r) return {};
    const std::string media = exported_media(finished(), m_tmp.path());
    EXPECT_TRUE(media == m_bytes) << "the resumed image holds " << media.size() << " bytes unlike the source's";
    EXPECT_TRUE(exists(m_base + ".manifest.json"));
    EXPECT_TRUE(exists(m_base + ".sha256sums"));
    EXPECT_FALSE(exists(m_base + ".resume"));
    EXPECT_FALSE(exists(partial()));
    return *r;
  }

  TempDir m_tmp;
  std::string m_source, m_bytes, m_base;
};

TEST_P(WriteFault, EioOnAnImageWrite) {
  const unsigned nth = write_after_second_checkpoint(clean_calls(), segment_name());
  ASSERT_GT(nth, 0u);
  FaultEnv env;
  env.add({FaultOp::Write, nth, EIO, segment_name()});
  auto r = acquire_through(env, options());
  EXPECT_EQ(env.failed(FaultOp::Write), 1u);
  expect_failed(r, "writing " + partial() + ": Input/output error");
  expect_nothing_finished();
  EXPECT_GT(resume_and_check().reread_bytes, 0u) << "resumed from the last state saved, with work in it";
}

// A disk that fills up and stays full: every write from then on fails, the state and the map too.
TEST_P(WriteFault, EnospcOnAnImageWriteWithTheDiskStayingFull) {
  const unsigned nth = write_after_second_checkpoint(clean_calls(), "");
  ASSERT_GT(nth, 0u);
  FaultEnv env;
  env.add({FaultOp::Write, nth, ENOSPC, "", /*persistent=*/true});
  auto r = acquire_through(env, options());
  expect_failed(r, "writing " + partial() + ": No space left on device");
  expect_nothing_finished();
  EXPECT_GT(resume_and_check().reread_bytes, 0u);
}

// The third checkpoint's fdatasync (after the second block) fails: the second one's state stands.
TEST_P(WriteFault, FailingSyncAtACheckpoint) {
  const auto calls = clean_calls();
  ASSERT_GE(calls_before(calls, calls.size(), FaultOp::SyncData, segment_name()), 4u)
      << "a checkpoint after every block";
  FaultEnv env;
  env.add({FaultOp::SyncData, 3, EIO, segment_name()});
  auto r = acquire_through(env, options());
  EXPECT_EQ(env.failed(FaultOp::SyncData), 1u);
  expect_failed(r, "syncing " + partial() + ": Input/output error");
  expect_nothing_finished();
  EXPECT_GT(resume_and_check().reread_bytes, 0u);
}

// The writer's last fsync, as it closes the image: the last checkpoint (after the last block) stands.
TEST_P(WriteFault, FailingFinalSync) {
  FaultEnv env;
  env.add({FaultOp::Sync, 1, EIO, segment_name()});
  auto r = acquire_through(env, options());
  EXPECT_EQ(env.failed(FaultOp::Sync), 1u);
  expect_failed(r, "syncing " + partial() + ": Input/output error");
  expect_nothing_finished();
  EXPECT_EQ(resume_and_check().reread_bytes, m_bytes.size()) << "everything was saved before the image was closed";
}

// The image's own rename in the finishing phase: the finishing state is saved, so --resume checks
// the files and completes the renames without reading the source again.
TEST_P(WriteFault, FailingRenameOfTheImage) {
  FaultEnv env;
  env.add({FaultOp::Rename, 1, EIO, segment_name()});
  auto r = acquire_through(env, options());
  EXPECT_EQ(env.failed(FaultOp::Rename), 1u);
  expect_failed(r, "renaming " + partial() + " to " + finished() + ": Input/output error");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("was being given its final names"), npos) << r.error().message();
  expect_nothing_finished();
  EXPECT_NE(read_file(m_base + ".resume").find("exhibit_finishing"), npos) << "the finishing state";
  const AcquireResult done = resume_and_check();
  EXPECT_EQ(done.reread_bytes, 0u);
  EXPECT_EQ(done.resumed, 1u);
}

// The record's rename, after the image got its name: the image is complete, its record is not
// there, and --resume gives it its name.
TEST_P(WriteFault, FailingRenameOfTheRecord) {
  const std::string record = "img.incomplete.manifest.json";
  const auto calls = clean_calls();
  const unsigned nth = nth_call(calls, FaultOp::Rename, record, [&](size_t, const FaultCall& c) {
    return c.path.size() >= record.size() && c.path.compare(c.path.size() - record.size(), npos, record) == 0;
  });
  ASSERT_GT(nth, 0u);
  FaultEnv env;
  env.add({FaultOp::Rename, nth, EIO, record});
  auto r = acquire_through(env, options());
  expect_failed(r,
                "renaming " + m_base + ".incomplete.manifest.json to " + m_base + ".manifest.json: Input/output error");
  EXPECT_TRUE(exists(finished())) << "the image was complete and named before the record";
  EXPECT_FALSE(exists(m_base + ".manifest.json"));
  EXPECT_TRUE(exists(m_base + ".incomplete.manifest.json"));
  EXPECT_NE(read_file(m_base + ".resume").find("exhibit_finishing"), npos);
  EXPECT_EQ(resume_and_check().reread_bytes, 0u);
}

// Through a FaultEnv that fails nothing (and saves the state after every block) the image is the
// same as through the real file system: the Env and the checkpoints do not shape the files.
TEST_P(WriteFault, WithoutFaultsTheImageIsTheSame) {
  auto plain = acquire(options());
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  FaultEnv env;
  AcquireOptions o = options();
  o.output_base = m_tmp / "out2/img";
  auto through = acquire_through(env, o);
  ASSERT_TRUE(through.ok()) << through.error().message();
  EXPECT_GT(env.count(FaultOp::SyncData, segment_name()), 3u);
  EXPECT_EQ(env.calls().size(), env.count(FaultOp::Open) + env.count(FaultOp::Write) + env.count(FaultOp::SyncData) +
                                    env.count(FaultOp::Sync) + env.count(FaultOp::Truncate) +
                                    env.count(FaultOp::Close) + env.count(FaultOp::Rename) +
                                    env.count(FaultOp::Remove) + env.count(FaultOp::SyncFolder));
  ASSERT_EQ(plain->segment_files.size(), through->segment_files.size());
  for (size_t i = 0; i < plain->segment_files.size(); ++i) {
    std::string a = read_file(plain->segment_files[i]), b = read_file(through->segment_files[i]);
    // A zst image holds its record, with the second it finished in.
    for (std::string* image : {&a, &b}) {
      if (const auto at = image->find("\"finished\": \""); at != npos) image->replace(at, 33, 33, '-');
    }
    EXPECT_TRUE(a == b) << plain->segment_files[i] << " differs from " << through->segment_files[i];
    EXPECT_EQ(fs::path(plain->segment_files[i]).filename(), fs::path(through->segment_files[i]).filename());
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, WriteFault, testing::ValuesIn(k_formats), format_case_name);

}  // namespace

// Two copies (-o and --second-output) through a FaultEnv that fails the writing of one of them:
// that copy alone is given up (its reason in the result and in the log), the other finishes as a
// whole image of the source; when both fail, the job fails and --resume continues both. Without
// root: the tmpfs tests of tests/integration/second_output_test.cpp cover the kernel's ENOSPC.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/exit_code.hpp"
#include "fault_cases.hpp"

using namespace exhibit;
using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

constexpr auto npos = std::string::npos;

class CopyFault : public testing::TestWithParam<FormatCase> {
 protected:
  void SetUp() override {
    m_source = m_tmp / "source.img";
    m_bytes = fault_source_bytes();
    write_file(m_source, m_bytes);
    for (const char* d : {"out", "out2"}) fs::create_directories(m_tmp / d);
    m_a = m_tmp / "out/a";
    m_b = m_tmp / "out2/b";
  }

  AcquireOptions options() const {
    AcquireOptions o = fault_options(m_source, m_a, GetParam().format);
    o.second_outputs = {m_b};
    return o;
  }
  static std::string segment_name(const std::string& copy) { return copy + ".incomplete" + GetParam().ext; }
  std::string finished(const std::string& base) const { return base + GetParam().ext; }
  // The first write of `copy`'s image after its second checkpoint, counted among the writes of
  // the paths containing `among` (by default, the image's).
  unsigned write_after_second_checkpoint(const std::string& copy, std::string among = "") const {
    const auto calls = calls_of_a_clean_run(m_tmp.path(), options());
    const std::string seg = segment_name(copy);
    if (among.empty()) among = seg;
    return nth_call(calls, FaultOp::Write, among, [&](size_t i, const FaultCall& c) {
      return c.path.find(seg) != npos && calls_before(calls, i, FaultOp::SyncData, seg) >= 2;
    });
  }

  // `lost` was given up for `why`; `kept` finished, an image of the source with its record.
  void expect_given_up_alone(const Result<AcquireResult>& r, const std::string& lost, const std::string& kept,
                             const std::string& why) const {
    ASSERT_TRUE(r.ok()) << r.error().message();
    ASSERT_EQ(r->copies.size(), 2u);
    const CopyResult& failed = r->copies[lost == m_a ? 0 : 1];
    const CopyResult& good = r->copies[lost == m_a ? 1 : 0];
    EXPECT_EQ(failed.base, lost);
    EXPECT_FALSE(failed.finished());
    EXPECT_NE(failed.error.find(why), npos) << failed.error;
    EXPECT_TRUE(good.finished()) << good.error;
    EXPECT_EQ(r->record_file, kept + ".manifest.json") << "the result describes the finished copy";
    EXPECT_TRUE(exported_media(finished(kept), m_tmp.path()) == m_bytes) << kept << " is not the source";
    EXPECT_TRUE(exists(kept + ".manifest.json"));
    EXPECT_FALSE(exists(kept + ".resume"));
    EXPECT_FALSE(exists(finished(lost)));
    EXPECT_FALSE(exists(lost + ".manifest.json"));
    EXPECT_NE(read_file(kept + ".log").find("COPY FAILED: " + lost + ": " + why), npos);
  }

  TempDir m_tmp;
  std::string m_source, m_bytes, m_a, m_b;
};

TEST_P(CopyFault, EioOnTheSecondCopysWrite) {
  const unsigned nth = write_after_second_checkpoint("b");
  ASSERT_GT(nth, 0u);
  FaultEnv env;
  env.add({FaultOp::Write, nth, EIO, segment_name("b")});
  expect_given_up_alone(acquire_through(env, options()), m_b, m_a,
                        "writing " + m_b + ".incomplete" + GetParam().ext + ": Input/output error");
}

// The first copy's disk fills up and stays full (its log too): the second copy finishes.
TEST_P(CopyFault, EnospcOnTheFirstCopysDisk) {
  const unsigned nth = write_after_second_checkpoint("a", "/out/");
  ASSERT_GT(nth, 0u);
  FaultEnv env;
  env.add({FaultOp::Write, nth, ENOSPC, "/out/", /*persistent=*/true});
  expect_given_up_alone(acquire_through(env, options()), m_a, m_b,
                        "writing " + m_a + ".incomplete" + GetParam().ext + ": No space left on device");
}

TEST_P(CopyFault, FailingFinalSyncOfTheSecondCopy) {
  FaultEnv env;
  env.add({FaultOp::Sync, 1, EIO, segment_name("b")});
  expect_given_up_alone(acquire_through(env, options()), m_b, m_a,
                        "syncing " + m_b + ".incomplete" + GetParam().ext + ": Input/output error");
}

TEST_P(CopyFault, FailingRenameOfTheSecondCopy) {
  FaultEnv env;
  env.add({FaultOp::Rename, 1, EIO, segment_name("b")});
  expect_given_up_alone(acquire_through(env, options()), m_b, m_a,
                        "renaming " + m_b + ".incomplete" + GetParam().ext + " to " + finished(m_b) +
                            ": Input/output error");
}

// Both copies fail at the same write: the job fails (exit 3), and --resume continues both from
// the state saved before.
TEST_P(CopyFault, BothCopiesFailingStopTheJobAndResumeContinuesBoth) {
  const std::string ext = std::string(".incomplete") + GetParam().ext;
  FaultEnv env;
  env.add({FaultOp::Write, write_after_second_checkpoint("a"), EIO, segment_name("a")});
  env.add({FaultOp::Write, write_after_second_checkpoint("b"), EIO, segment_name("b")});
  auto r = acquire_through(env, options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(cli::exit_code_for(r.error().code()), cli::k_exit_incomplete);
  EXPECT_NE(r.error().message().find("writing " + m_b + ext + ": Input/output error"), npos) << r.error().message();
  EXPECT_NE(r.error().message().find(" --resume"), npos) << r.error().message();
  EXPECT_FALSE(exists(finished(m_a)));
  EXPECT_FALSE(exists(finished(m_b)));
  AcquireOptions o = options();
  o.resume = true;
  o.second_outputs.clear();  // the saved state lists both
  auto again = acquire(o);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_GT(again->reread_bytes, 0u);
  ASSERT_EQ(again->copies.size(), 2u);
  for (const std::string& base : {m_a, m_b}) {
    EXPECT_TRUE(exported_media(finished(base), m_tmp.path()) == m_bytes) << base << " is not the source";
    EXPECT_TRUE(exists(base + ".manifest.json")) << base;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, CopyFault, testing::ValuesIn(k_formats), format_case_name);

}  // namespace

// export through a FaultEnv: a write that fails (EIO, ENOSPC), a failing fsync or close, a failing
// rename to the name asked for. Each stops the export with a Destination error (exit 3) naming the
// file and the errno's text and where what was written lies; the output name never appears.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/exit_code.hpp"
#include "fault_cases.hpp"

using namespace exhibit;
using namespace exhibit::test;

namespace {

constexpr auto npos = std::string::npos;

class ExportFault : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_tmp = new TempDir();
    s_bytes = fault_source_bytes();
    write_file(*s_tmp / "source.img", s_bytes);
    auto r = acquire(fault_options(*s_tmp / "source.img", *s_tmp / "img", ImageFormat::E01));
    ASSERT_TRUE(r.ok()) << r.error().message();
  }
  static void TearDownTestSuite() {
    delete s_tmp;
    s_tmp = nullptr;
  }

  Result<ExportResult> export_through(FaultEnv& env) const {
    ExportOptions o;
    o.image = *s_tmp / "img.E01";
    o.output = m_output;
    JobHooks hooks;
    hooks.env = &env;
    return export_image(o, hooks);
  }
  void expect_failed(const Result<ExportResult>& r, const std::string& what) const {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::Destination);
    EXPECT_EQ(cli::exit_code_for(r.error().code()), cli::k_exit_incomplete);
    EXPECT_NE(r.error().message().find(what), npos) << r.error().message();
    EXPECT_NE(r.error().message().find("; what was written is in " + partial()), npos) << r.error().message();
    EXPECT_FALSE(exists(m_output));
    EXPECT_TRUE(exists(partial()));
  }
  std::string partial() const { return m_output + ".partial"; }

  static TempDir* s_tmp;
  static std::string s_bytes;
  TempDir m_out;
  std::string m_output = m_out / "media.bin";
};

TempDir* ExportFault::s_tmp = nullptr;
std::string ExportFault::s_bytes;

TEST_F(ExportFault, WithoutFaultsTheMediaAreExported) {
  FaultEnv env;
  auto r = export_through(env);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(read_file(m_output) == s_bytes);
  EXPECT_FALSE(exists(partial()));
  EXPECT_GT(env.count(FaultOp::Write, "media.bin.partial"), 1u);
  EXPECT_EQ(env.count(FaultOp::Sync, "media.bin.partial"), 1u);
  EXPECT_EQ(env.count(FaultOp::Rename, "media.bin.partial"), 1u);
}

TEST_F(ExportFault, EioOnAWrite) {
  FaultEnv env;
  env.add({FaultOp::Write, 2, EIO, "media.bin"});
  expect_failed(export_through(env), "writing " + partial() + ": Input/output error");
  const std::string written = read_file(partial());
  EXPECT_GT(written.size(), 0u);
  EXPECT_TRUE(written == s_bytes.substr(0, written.size())) << "the first write is there, the second is not";
  EXPECT_LT(written.size(), s_bytes.size());
}

TEST_F(ExportFault, EnospcOnAWrite) {
  FaultEnv env;
  env.add({FaultOp::Write, 3, ENOSPC, "", /*persistent=*/true});
  expect_failed(export_through(env), "writing " + partial() + ": No space left on device");
}

TEST_F(ExportFault, FailingSync) {
  FaultEnv env;
  env.add({FaultOp::Sync, 1, EIO, "media.bin"});
  expect_failed(export_through(env), "syncing " + partial() + ": Input/output error");
}

TEST_F(ExportFault, FailingClose) {
  FaultEnv env;
  env.add({FaultOp::Close, 1, EIO, "media.bin"});
  expect_failed(export_through(env), "closing " + partial() + ": Input/output error");
}

TEST_F(ExportFault, FailingRename) {
  FaultEnv env;
  env.add({FaultOp::Rename, 1, EIO, "media.bin"});
  expect_failed(export_through(env), "renaming " + partial() + " to " + m_output + ": Input/output error");
  EXPECT_TRUE(read_file(partial()) == s_bytes) << "everything was written and synced";
}

}  // namespace

// The parsers of BASE.resume (saved progress and the finishing state) on numbers a state of ours
// never holds: a fraction, an exponent, an integer past 64 bits (which the JSON parser keeps as a
// floating-point number). Each is refused as not a state exhibit wrote; converting it to the
// integer field was undefined behaviour (found by tests/fuzz/fuzz_resume_state: "chunks":
// 184467440737095516150), which in a release build read as some arbitrary count.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/finishing.hpp"
#include "core/resume_state.hpp"

using namespace exhibit;

namespace {

std::string progress_state() {
  core::ResumeState s;
  core::CopyProgress c;
  c.base = "img";
  s.copies.push_back(c);
  return core::render_resume_state(s);
}

std::string finishing_state() {
  core::FinishingCopy c;
  c.base = "img";
  c.renames = {{"img.incomplete.E01", "img.E01"}};
  c.segments = {{"img.E01", 1000, std::string(64, 'a')}};
  core::FinishingState s;
  s.copies.push_back(c);
  s.bytes = 4096;
  return core::render_finishing_state(s);
}

// `text` with its one `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " in " << text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " twice in " << text;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

}  // namespace

TEST(SavedStateNumbers, ProgressWithANumberNoStateHoldsIsRefused) {
  const std::string good = progress_state();
  ASSERT_TRUE(core::parse_resume_state(good));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"chunks\": 0", "\"chunks\": 184467440737095516150"},  // the fuzzer's finding
           {"\"exhibit_resume\": 3", "\"exhibit_resume\": 1e300"},
           {"\"chunk_sectors\": 0", "\"chunk_sectors\": 64.5"},
           {"\"unreadable\": []", "\"unreadable\": [[1e30, 1]]"},
           {"\"closed_tables\": []", "\"closed_tables\": [-1e19]"}}) {
    SCOPED_TRACE(to);
    auto s = core::parse_resume_state(with(good, from, to));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::Corruption);
    EXPECT_NE(s.error().message().find("not a resume state exhibit wrote"), std::string::npos) << s.error().message();
  }
}

TEST(SavedStateNumbers, FinishingStateWithANumberNoStateHoldsIsRefused) {
  const std::string good = finishing_state();
  ASSERT_TRUE(core::parse_finishing_state(good));
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"\"bytes\": 4096", "\"bytes\": 1e300"},
                                                        {"\"exhibit_finishing\": 1", "\"exhibit_finishing\": 1.0"},
                                                        {"1000,", "18446744073709551616,"}}) {  // the segment's size
    SCOPED_TRACE(to);
    auto s = core::parse_finishing_state(with(good, from, to));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::Corruption);
    EXPECT_NE(s.error().message().find("not a finishing state exhibit wrote"), std::string::npos)
        << s.error().message();
  }
}

// The section check that explains libewf's refusals must find nothing in images that are sound:
// every interop image libewf opens (../shared/interop) passes it.
#include <gtest/gtest.h>

#include "image/ewf_layout.hpp"
#include "image/ewf_section_check.hpp"
#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

TEST(EwfSectionCheck, EveryInteropImageIsIntact) {
  const std::string dir = interop_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/interop is absent";
  size_t checked = 0;
  for (const auto& row : interop_rows(dir)) {
    SCOPED_TRACE(row.first_file);
    if (row.ewf2) continue;  // EWF1 sections; EWF2 sets have their own reader (Ewf2 tests)
    auto set = image::check_segment_set(dir + "/" + row.first_file);
    if (!set) {
      EXPECT_NE(row.expected.find("error"), std::string::npos) << "only the fuzzed file fails its layout";
      continue;
    }
    auto st = image::check_section_bodies(*set);
    EXPECT_TRUE(st) << st.error().message();
    ++checked;
  }
  EXPECT_GE(checked, 8u);
}

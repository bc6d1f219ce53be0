// The library names settings, never command-line flags: a program gets the options' field names
// unless it installs its own wording (the CLI installs its flags; tests/integration checks those).
#include "exhibit/setting.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/piece_size.hpp"

using namespace exhibit;

namespace {

constexpr uint64_t MiB = uint64_t{1} << 20, TiB = uint64_t{1} << 40;

std::string as_gui(Setting s) { return std::string("[") + setting_field(s) + "]"; }

struct Wording : ::testing::Test {
  void TearDown() override { set_setting_wording(nullptr); }
};

TEST_F(Wording, LibraryMessagesNameFieldsNotFlags) {
  auto refused = core::choose_piece_size(16 * TiB, 64 * MiB, true);
  ASSERT_FALSE(refused);
  const std::string m = refused.error().message();
  EXPECT_EQ(m.find("--"), std::string::npos) << m;
  EXPECT_NE(m.find("`piece_size` 64MiB makes more than"), std::string::npos) << m;
  EXPECT_NE(m.find("use `piece_size` 256MiB or more"), std::string::npos) << m;
}

TEST_F(Wording, AnInstalledWordingNamesEverySetting) {
  set_setting_wording(as_gui);
  auto refused = core::choose_piece_size(16 * TiB, 64 * MiB, true);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("use [piece_size] 256MiB or more"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(setting_text(Setting::Trust), "[trust_pem]");
  EXPECT_EQ(setting_text(Setting::Examiner), "[metadata.examiner]");
  set_setting_wording(nullptr);
  EXPECT_EQ(setting_text(Setting::AllowMounted), "`allow_mounted`");
}

}  // namespace

// The raw image's span digests (against sha256sum over the same bytes cut with head/tail), the
// resume state that keeps them, and how a damaged range is named.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/resume_state.hpp"
#include "exhibit/setting.hpp"
#include "image/raw_image.hpp"
#include "image/written_spans.hpp"
#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

namespace {

constexpr uint64_t k_span = 16 << 20;

std::string span_sha256(const std::string& file, uint64_t first, uint64_t size) {
  return run("tail -c +" + std::to_string(first + 1) + " " + sh_quote(file) + " | head -c " + std::to_string(size) +
             " | sha256sum")
      .out.substr(0, 64);
}

}  // namespace

TEST(SpanDigests, EachSpanIsTheSha256OfItsBytes) {
  TempDir tmp;
  const std::string data = random_bytes(2 * k_span + 12345, 7);
  write_file(tmp / "d.bin", data);
  auto d = image::SpanDigests::create(k_span);
  ASSERT_TRUE(d);
  // Fed in uneven pieces that cross the span boundaries, as blocks are written.
  size_t pos = 0;
  for (size_t step = 1000; pos < data.size(); step = step * 3 + 7) {
    const size_t n = std::min(step, data.size() - pos);
    d->update(reinterpret_cast<const unsigned char*>(data.data()) + pos, n);
    pos += n;
  }
  const auto digests = d->digests();
  ASSERT_EQ(digests.size(), 3u);
  EXPECT_EQ(digests[0], span_sha256(tmp / "d.bin", 0, k_span));
  EXPECT_EQ(digests[1], span_sha256(tmp / "d.bin", k_span, k_span));
  EXPECT_EQ(digests[2], span_sha256(tmp / "d.bin", 2 * k_span, 12345));
  EXPECT_EQ(d->digests(), digests) << "taking the digests does not disturb the open span";
  EXPECT_FALSE(d->first_difference(digests, true));

  // Taken over after the whole spans, then fed the open span's bytes again: the same digests.
  auto resumed = image::SpanDigests::create(k_span, {digests[0], digests[1]});
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->bytes(), 2 * k_span);
  resumed->update(reinterpret_cast<const unsigned char*>(data.data()) + 2 * k_span, 12345);
  EXPECT_EQ(resumed->digests(), digests);

  // Another byte in the second span: that span is named, only once its bytes are all in.
  std::string changed = data;
  changed[k_span + 99] ^= 1;
  auto again = image::SpanDigests::create(k_span);
  ASSERT_TRUE(again);
  again->update(reinterpret_cast<const unsigned char*>(changed.data()), k_span + 100);
  EXPECT_FALSE(again->first_difference(digests, false));
  again->update(reinterpret_cast<const unsigned char*>(changed.data()) + k_span + 100, k_span - 100);
  auto bad = again->first_difference(digests, false);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->first, k_span);
  EXPECT_EQ(bad->last, 2 * k_span - 1);
}

TEST(SpanDigests, AtMostAFewThousandSpansForAnySize) {
  EXPECT_EQ(image::SpanDigests::span_bytes_for(1 << 20), k_span);
  EXPECT_EQ(image::SpanDigests::span_bytes_for(64ULL << 30), k_span);  // 4096 spans
  EXPECT_EQ(image::SpanDigests::span_bytes_for((64ULL << 30) + 1), 2 * k_span);
  for (uint64_t size : {1ULL << 40, 20ULL << 40, (1ULL << 62) + 3}) {
    const uint64_t span = image::SpanDigests::span_bytes_for(size);
    EXPECT_LE(image::SpanDigests::spans_for(size, span), image::SpanDigests::k_max_spans) << size;
  }
}

TEST(SpanDigests, DamagedRangeNamesTheFiles) {
  EXPECT_EQ(image::raw_range_text("x.incomplete", 0, 16, 31), "x.incomplete.raw bytes 16-31");
  EXPECT_EQ(image::raw_range_text("x", 100, 250, 260), "x.003 bytes 50-60");
  EXPECT_EQ(image::raw_range_text("x", 100, 150, 260), "x.002 bytes 50-99 and x.003 bytes 0-60");
  EXPECT_EQ(image::raw_range_text("x", 100, 50, 260), "x.001 bytes 50-99 through x.003 bytes 0-60");
  EXPECT_EQ(image::written_span_differs("x", 0, {0, 9}).code(), ErrorCode::Corruption);
}

TEST(ResumeState, KeepsTheRawSpanDigestsAndRefusesOldRawStates) {
  core::ResumeState s;
  s.format = ImageFormat::Raw;
  core::CopyProgress c;
  c.base = "img";
  c.writer.media_bytes = k_span + 5;
  c.writer.span_bytes = k_span;
  c.writer.written_sha256 = {std::string(64, 'a'), std::string(64, 'b')};
  s.copies.push_back(c);
  const std::string text = core::render_resume_state(s);
  auto back = core::parse_resume_state(text);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->copies.at(0).writer.span_bytes, k_span);
  EXPECT_EQ(back->copies.at(0).writer.written_sha256, c.writer.written_sha256);

  // A version 2 state (before the digests): refused for raw, read for E01.
  auto old = nlohmann::json::parse(text);
  old["exhibit_resume"] = 2;
  for (auto& copy : old["progress"]["copies"]) {
    copy.erase("span_bytes");
    copy.erase("written_sha256");
  }
  auto refused = core::parse_resume_state(old.dump());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(refused.error().message().find("start again with " + setting_text(Setting::Force)), std::string::npos);
  old["image"]["format"] = "e01";
  EXPECT_TRUE(core::parse_resume_state(old.dump()));
  old["exhibit_resume"] = 1;
  EXPECT_FALSE(core::parse_resume_state(old.dump()));
}

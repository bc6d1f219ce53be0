#include "image/written_spans.hpp"

#include <algorithm>

#include "image/raw_image.hpp"

namespace exhibit::image {

uint64_t SpanDigests::span_bytes_for(uint64_t media_size) {
  uint64_t span = k_min_span;
  while (spans_for(media_size, span) > k_max_spans) span *= 2;
  return span;
}

Result<SpanDigests> SpanDigests::create(uint64_t span_bytes, std::vector<std::string> closed) {
  if (span_bytes == 0) return Error(ErrorCode::InvalidArgument, "span size 0");
  EXHIBIT_TRY(hash::DigestSet sha, hash::DigestSet::create({"sha256"}));
  SpanDigests d(span_bytes, std::move(sha));
  d.m_bytes = closed.size() * span_bytes;
  d.m_compared = closed.size();
  d.m_closed = std::move(closed);
  return d;
}

void SpanDigests::update(const unsigned char* data, size_t size) {
  while (size > 0) {
    const auto n = static_cast<size_t>(std::min<uint64_t>(size, m_span - m_bytes % m_span));
    m_open.update(data, n);
    data += n;
    size -= n;
    m_bytes += n;
    if (m_bytes % m_span == 0) {
      m_closed.push_back(m_open.finish().front().hex);
      m_open = m_fresh.clone();
    }
  }
}

std::vector<std::string> SpanDigests::digests() const {
  std::vector<std::string> out = m_closed;
  if (m_bytes % m_span != 0) out.push_back(m_open.clone().finish().front().hex);
  return out;
}

std::optional<ByteSpan> SpanDigests::first_difference(const std::vector<std::string>& expected, bool at_end) {
  const auto differs = [&](size_t i, const std::string& hex) { return i >= expected.size() || expected[i] != hex; };
  for (; m_compared < m_closed.size(); ++m_compared) {
    if (differs(m_compared, m_closed[m_compared])) {
      return ByteSpan{m_compared * m_span, (m_compared + 1) * m_span - 1};
    }
  }
  if (at_end && m_bytes % m_span != 0 && differs(m_closed.size(), m_open.clone().finish().front().hex)) {
    return ByteSpan{m_closed.size() * m_span, m_bytes - 1};
  }
  return std::nullopt;
}

Error written_span_differs(const std::string& partial_base, uint64_t segment_size, const ByteSpan& span) {
  return Error(ErrorCode::Corruption, image::raw_range_text(partial_base, segment_size, span.first, span.last) +
                                          " differ from what was written before the interruption; not resumed");
}

}  // namespace exhibit::image

// SHA-256 digests of a raw image's bytes in fixed spans, as they are written. Raw images carry
// no checksum of their own, so BASE.resume keeps these (see core/resume_state.hpp) and
// `--resume` hashes the written part again as it reads it back: a byte changed between the runs
// refuses the resume, naming the span that holds it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "hash/digest.hpp"

namespace exhibit::image {

// Media bytes [first, last] (inclusive).
struct ByteSpan {
  uint64_t first = 0;
  uint64_t last = 0;
};

class SpanDigests {
 public:
  // At most this many spans, so the resume state stays small whatever the media size.
  static constexpr uint64_t k_max_spans = 4096;
  static constexpr uint64_t k_min_span = 16 << 20;
  // 16 MiB, doubled until `media_size` needs at most k_max_spans spans.
  static uint64_t span_bytes_for(uint64_t media_size);
  // How many digests cover `bytes` (the last span may be partial).
  static uint64_t spans_for(uint64_t bytes, uint64_t span_bytes) { return (bytes + span_bytes - 1) / span_bytes; }

  // From byte 0, or after `closed` whole spans whose digests were saved before.
  static Result<SpanDigests> create(uint64_t span_bytes, std::vector<std::string> closed = {});

  uint64_t span_bytes() const { return m_span; }
  uint64_t bytes() const { return m_bytes; }
  void update(const unsigned char* data, size_t size);
  // The digests of the whole spans, then of the open one if it holds any byte.
  std::vector<std::string> digests() const;
  // Compares the spans closed since the last call (and the open one too when `at_end`) with
  // `expected`, the digests saved for the same bytes: the first span that differs.
  std::optional<ByteSpan> first_difference(const std::vector<std::string>& expected, bool at_end);

 private:
  SpanDigests(uint64_t span, hash::DigestSet fresh) : m_span(span), m_fresh(fresh.clone()), m_open(std::move(fresh)) {}
  uint64_t m_span;
  uint64_t m_bytes = 0;
  hash::DigestSet m_fresh;  // an untouched SHA-256, cloned for each new span
  hash::DigestSet m_open;   // over the bytes of the span being filled
  std::vector<std::string> m_closed;
  size_t m_compared = 0;  // spans already compared by first_difference
};

// Corruption: "BASE.incomplete.raw bytes A-B differ from what was written before the
// interruption; not resumed" (raw files of `segment_size`, 0 for one file).
Error written_span_differs(const std::string& partial_base, uint64_t segment_size, const ByteSpan& span);

}  // namespace exhibit::image

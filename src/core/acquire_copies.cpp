// The copies (-o and each --second-output): created or resumed, each given up alone when its
// writing fails; the checkpoints (BASE.resume beside every copy) and the rescue map.
#include <algorithm>
#include <chrono>

#include "core/acquire_job.hpp"
#include "core/test_points.hpp"
#include "image/block_encoder.hpp"
#include "report/record.hpp"
#include "util/text.hpp"

namespace exhibit::core {

Status AcquireJob::start_map() {
  const SourceInfo& s = m_source->info();
  m_map.size = s.size;
  m_map.sector_size = s.logical_sector_size;
  m_map.command_line = "exhibit acquire " + s.path + " -o " + m_out().base();
  m_plan.started = m_opt.resume ? static_cast<std::time_t>(m_state.started)
                                : m_opt.source_date_epoch.value_or(std::time(nullptr));
  m_map.start_time = util::format_time(m_plan.started, "%Y-%m-%d %H:%M:%S", false);
  const uint64_t tail = s.size % s.logical_sector_size;
  // E01 stores whole sectors; raw and zst store the bytes as they are.
  m_result.padding = tail && image::traits(m_opt.format).whole_sectors ? s.logical_sector_size - tail : 0;
  if (m_opt.resume) {
    const uint64_t chunk_bytes = uint64_t{m_result.chunk_sectors} * s.logical_sector_size;
    m_map.done = std::min(s.size, resumed_bytes(chunk_bytes, s.size + m_result.padding));
    m_map.bad = m_state.unreadable;
  }
  m_result.map_file = m_out().map_path();
  if (auto st = save_map(true); !st) return fail(st.error());
  m_plan.t0 = std::chrono::steady_clock::now();
  return Ok{};
}

Status AcquireJob::resume_copies(const image::EwfWriteOptions& w) {
  const SourceInfo& s = m_source->info();
  if (auto st = m_dests.front().resume(w, m_state, m_state.copies.front()); !st) return fail(st.error());
  // The other copies go on from the same block, or are given up.
  const uint64_t chunk_bytes = uint64_t{m_result.chunk_sectors} * s.logical_sector_size;
  const uint64_t at = image::held_bytes(m_opt.format, m_state.copies.front().writer, chunk_bytes);
  for (size_t i = 1; i < m_dests.size(); ++i) {
    if (!m_dests[i].alive()) continue;
    const core::CopyProgress& c = m_state.copies[i];
    Status st =
        image::held_bytes(m_opt.format, c.writer, chunk_bytes) == at
            ? m_dests[i].resume(w, m_state, c)
            : Status(Error(ErrorCode::Corruption, "its saved position differs from " + m_opt.output_base + "'s"));
    if (!st) {
      if (auto last = give_up(m_dests[i], st.error()); !last) return fail(last.error());
    }
  }
  m_result.unreadable = m_state.unreadable;
  m_result.recovered = m_state.recovered;
  m_pending_bad = m_state.pending_bad;
  return Ok{};
}

Status AcquireJob::create_copies(const image::EwfWriteOptions& w) {
  m_state.metadata = m_opt.metadata;
  m_state.chunk_sectors = m_result.chunk_sectors;
  m_state.segment_size = m_result.segment_size;
  m_state.compression = m_opt.compression;
  m_state.digests = m_opt.digests;
  m_state.piece_size = m_opt.piece_size;
  m_state.file_sector_size = m_opt.file_sector_size;
  m_state.started = m_plan.started;
  m_state.source_date_epoch = m_opt.source_date_epoch;
  m_state.set_identifier = *w.set_identifier;
  m_state.header_values = w.header_values;
  m_state.format = m_opt.format;
  m_state.one_file = m_opt.one_file;
  m_state.removable = w.removable;
  m_state.physical = w.physical;
  m_state.sign_key_fingerprint = m_signer ? m_signer->key_fingerprint() : "";
  m_state.sign_cms = m_signer && m_signer->has_certificate();
  m_state.report = m_opt.report;
  // Every copy created before the first state is saved (until then there is nothing to resume).
  for (auto& d : m_dests) {
    if (auto st = d.create(w, m_result.segment_size, m_opt.one_file); !st) return fail(st.error());
  }
  if (auto st = save_state(true); !st) return fail(st.error());
  return Ok{};
}

Status AcquireJob::save_state(bool now) {
  const auto t = m_env.now();
  if (!now && t - m_state_saved < std::chrono::seconds(2)) return Ok{};
  m_state.copies.resize(m_dests.size());
  // Every copy synced at the same block first; then the one state, beside each copy.
  for (size_t i = 0; i < m_dests.size(); ++i) {
    core::Destination& d = m_dests[i];
    m_state.copies[i].base = d.out().base();
    if (d.alive() && d.writing()) {
      if (auto st = d.checkpoint(m_state.copies[i]); !st) EXHIBIT_CHECK(give_up(d, st.error()));
    }
    m_state.copies[i].given_up = !d.alive();
  }
  m_state.unreadable = m_result.unreadable;
  m_state.recovered = m_result.recovered;
  m_state.pending_bad = m_pending_bad;
  const std::string text = core::render_resume_state(m_state);
  EXHIBIT_CHECK(for_each_copy([&](core::Destination& d) {
    return d.writing() ? report::write_file_atomically(d.out().resume_path(), text, m_env) : Status(Ok{});
  }));
  m_state_saved = t;
  m_state_written = true;
  if (!now) pause_point("acquire:state-saved");
  return Ok{};
}

Status AcquireJob::save_map(bool now) {
  const auto t = m_env.now();
  if (!now && t - m_map_saved < std::chrono::seconds(2)) return Ok{};
  m_map_saved = t;
  m_map.bad = m_result.unreadable;
  if (m_pending_bad) m_map.bad.push_back(*m_pending_bad);
  const std::string text = report::render_rescue_map(m_map);
  return for_each_copy(
      [&](core::Destination& d) { return report::write_file_atomically(d.out().map_path(), text, m_env); });
}

Status AcquireJob::give_up(core::Destination& d, const Error& e) {
  d.give_up(e);
  const bool others = std::any_of(m_dests.begin(), m_dests.end(), [](const core::Destination& x) { return x.alive(); });
  if (!others) return e;
  m_log->line("COPY FAILED: " + d.out().base() + ": " + e.message() + "; the other copies go on");
  m_log->sync();
  return Ok{};
}

Status AcquireJob::for_each_copy(const std::function<Status(core::Destination&)>& f) {
  for (auto& d : m_dests) {
    if (!d.alive()) continue;
    if (auto st = f(d); !st) EXHIBIT_CHECK(give_up(d, st.error()));
  }
  return Ok{};
}

Status AcquireJob::write_block(const core::Block& b) {
  return for_each_copy([&](core::Destination& d) { return d.write(b); });
}

}  // namespace exhibit::core

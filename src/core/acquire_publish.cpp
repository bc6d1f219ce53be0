// Publishing (core/finishing.hpp): the images closed and their segments hashed, each copy's
// checksums, record, signature, report, DFXML and CASE graph written under temporary names, the finishing state
// saved, then every file given its final name.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/acquire_job.hpp"
#include "core/record_seal.hpp"
#include "core/test_points.hpp"
#include "image/block_encoder.hpp"
#include "image/zst_image.hpp"
#include "report/case_jsonld.hpp"
#include "report/dfxml.hpp"
#include "report/html_report.hpp"
#include "report/provenance.hpp"
#include "report/record.hpp"
#include "util/text.hpp"
#include "util/thread_clock.hpp"
#include "util/units.hpp"

namespace exhibit::core {

namespace {

// The account of a step that runs alone after the stream: its wall time (for each of its
// threads), and the calling thread's CPU time unless the step counted its own.
struct AfterStream {
  explicit AfterStream(std::string name) : start(std::chrono::steady_clock::now()), cpu(util::thread_cpu_seconds()) {
    load.name = std::move(name);
    load.after_stream = true;
    load.threads = 0;
  }
  StageLoad done() {
    load.threads = std::max(1u, load.threads);
    load.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * load.threads;
    if (load.cpu_seconds == 0) load.cpu_seconds = util::thread_cpu_seconds() - cpu;
    return load;
  }
  StageLoad load;
  std::chrono::steady_clock::time_point start;
  double cpu;
};

}  // namespace

Status AcquireJob::close_copies() {
  std::string md5, sha1;
  for (const auto& d : m_result.digests) {
    if (d.algorithm == "md5") md5 = d.hex;
    if (d.algorithm == "sha1") sha1 = d.hex;
  }
  const std::time_t started = m_plan.started;
  // zst images carry the record inside (without the file's own SHA-256, which it cannot hold).
  const std::string inner_record =
      image::traits(m_opt.format).record_inside
          ? report::render_record(m_opt, m_result, {util::iso8601_utc(started), util::iso8601_utc(std::time(nullptr))},
                                  host_os())
          : std::string();
  if (inner_record.size() > image::zst::k_max_record) {
    m_log->line("the record (" + std::to_string(inner_record.size()) +
                " bytes) is too large to travel inside the zst image; it lies beside it only");
  }
  // Finishing (core/finishing.hpp): from here on the saved progress no longer describes the
  // files, and is never saved again.
  m_finishing = true;
  AfterStream close("close");
  if (auto st = for_each_copy([&](core::Destination& d) { return d.finish(md5, sha1, inner_record); }); !st) {
    return fail(st.error());
  }
  m_result.stages.push_back(close.done());
  core::fault_point("finish:closed");
  // The files' own digests, so anyone can check them with sha256sum -c; taken before the rename
  // that makes them look finished.
  m_result.copies.resize(m_dests.size());
  AfterStream hashing("segment sha256");
  auto hashed = for_each_copy([&](core::Destination& d) -> Status {
    CopyResult& c = m_result.copies[static_cast<size_t>(&d - m_dests.data())];
    EXHIBIT_TRY(c.segments, d.hash_segments(m_opt.threads, hashing.load));
    return Ok{};
  });
  if (!hashed) return fail(hashed.error());
  m_result.stages.push_back(hashing.done());
  core::fault_point("finish:hashed");

  // Each copy by name, and why those given up were given up.
  for (size_t i = 0; i < m_dests.size(); ++i) {
    CopyResult& c = m_result.copies[i];
    c.base = m_dests[i].out().base();
    if (!m_dests[i].alive()) c.error = m_dests[i].failure()->message();
  }
  adopt_first_finished();
  m_source->release();
  m_result.write_block = m_source->write_block();
  if (m_result.write_block.applicable) {
    m_log->line("write-block at the end");
    const auto& events = m_result.write_block.events;
    for (size_t i = m_plan.write_block_events_at_start; i < events.size(); ++i) m_log->field("event", events[i]);
    if (!m_result.write_block.set_read_only) m_log->field("event", "kernel read-only flag left as found (1)");
  }
  m_result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_plan.t0).count();
  return Ok{};
}

void AcquireJob::adopt_first_finished() {
  const auto c = std::find_if(m_result.copies.begin(), m_result.copies.end(),
                              [](const CopyResult& x) { return x.finished(); });
  if (c == m_result.copies.end()) return;
  m_result.segments = c->segments;
  m_result.segment_files.clear();
  for (const auto& f : c->segments) m_result.segment_files.push_back(f.path);
  m_result.record_file = c->record_file;
  m_result.checksums_file = c->checksums_file;
  m_result.report_file = c->report_file;
  m_result.dfxml_file = c->dfxml_file;
  m_result.case_file = c->case_file;
  m_result.signature_file = c->signature_file;
  m_result.timestamp_request_file = c->timestamp_request_file;
}

void AcquireJob::note_late_failures() {
  for (size_t i = 0; i < m_dests.size(); ++i) {
    if (!m_dests[i].alive() && m_result.copies[i].finished())
      m_result.copies[i].error = m_dests[i].failure()->message();
  }
}

void AcquireJob::log_result() {
  m_log->line("result");
  m_log->field("bytes read", std::to_string(m_result.bytes));
  m_log->field("time", util::format_duration(m_result.seconds));
  m_log->field("throughput", util::format_bytes(static_cast<uint64_t>(static_cast<double>(m_result.bytes) /
                                                                      std::max(m_result.seconds, 1e-6))) +
                                 "/s");
  if (!m_result.stages.empty()) m_log->field("stages", describe_stage_loads(m_result.stages));
  for (const auto& d : m_result.digests) m_log->field(d.algorithm, d.hex);
  if (m_result.padding > 0) {
    m_log->field("padding", std::to_string(m_result.padding) + " zero bytes after the source's " +
                                std::to_string(m_source->info().size) + " bytes; digests above include them");
    for (const auto& d : m_result.source_digests) m_log->field(d.algorithm + " of the source bytes alone", d.hex);
  }
  uint64_t bad = 0;
  for (const auto& r : m_result.unreadable) bad += r.count;
  m_log->field("unreadable sectors", std::to_string(bad) + " in " + std::to_string(m_result.unreadable.size()) +
                                         " ranges (zero-filled, listed in the E01 error list)");
  for (const auto& c : m_result.copies) {
    for (const auto& f : c.segments) {
      m_log->field("segment", f.path + " (" + std::to_string(f.size) + " bytes, sha256 " + f.sha256 + ")");
    }
    if (!c.finished()) m_log->field("copy given up", c.base + ": " + c.error);
  }
  if (!m_result.pieces.empty()) {
    m_log->field("pieces", std::to_string(m_result.pieces.size()) + " SHA-256 digests of " +
                               std::to_string(m_opt.piece_size) + "-byte windows of the source (in the record)");
  }
}

Status AcquireJob::publish_copies() {
  m_result.started = m_plan.started;
  m_result.finished = std::time(nullptr);
  // Everything beside the segments, under temporary names.
  core::FinishingState& finishing = m_finishing_state;
  if (auto st = for_each_copy([&](core::Destination& d) -> Status {
        EXHIBIT_TRY(core::FinishingCopy f,
                    publish(d, m_result.copies[static_cast<size_t>(&d - m_dests.data())], m_plan.started));
        finishing.copies.push_back(std::move(f));
        return Ok{};
      });
      !st) {
    return fail(st.error());
  }
  core::fault_point("finish:staged");
  note_late_failures();
  adopt_first_finished();
  m_log->field("map", m_result.map_file);
  return Ok{};
}

Status AcquireJob::name_files() {
  core::FinishingState& finishing = m_finishing_state;
  // What is left to do replaces the saved progress beside every copy: from now on --resume finishes.
  finishing.copies.erase(std::remove_if(finishing.copies.begin(), finishing.copies.end(),
                                        [&](const core::FinishingCopy& f) {
                                          return std::none_of(m_dests.begin(), m_dests.end(), [&](const auto& d) {
                                            return d.alive() && d.out().base() == f.base;
                                          });
                                        }),
                         finishing.copies.end());
  finishing.digests = m_result.digests;
  finishing.source_digests = m_result.source_digests;
  finishing.unreadable = m_result.unreadable;
  finishing.recovered = m_result.recovered;
  finishing.bytes = m_result.bytes;
  finishing.padding = m_result.padding;
  finishing.interruptions = m_state.interruptions;
  finishing.source = m_opt.source;
  const std::string finishing_text = core::render_finishing_state(finishing);
  if (auto st = for_each_copy([&](core::Destination& d) {
        return report::write_file_atomically(d.out().resume_path(), finishing_text, m_env);
      });
      !st) {
    return fail(st.error());
  }
  m_finishing_saved = true;
  core::fault_point("finish:state");
  if (auto st = for_each_copy([&](core::Destination& d) -> Status {
        for (const auto& f : finishing.copies) {
          if (f.base == d.out().base()) EXHIBIT_CHECK(core::complete_renames(f, core::SegmentCheck::Size, m_env));
        }
        d.set_committed();
        return Ok{};
      });
      !st) {
    return fail(st.error());
  }
  core::fault_point("finish:renamed");
  note_late_failures();
  adopt_first_finished();
  // Last: until every file has its name, the state says what is left to do.
  for (const auto& d : m_dests) {
    if (auto st = m_env.remove(d.out().resume_path()); !st && st.error().sys_errno() != ENOENT) {
      m_log->line("could not remove " + d.out().resume_path() + ": " + std::strerror(st.error().sys_errno()));
    }
  }
  core::fault_point("finish:state-removed");
  for (const auto& c : m_result.copies) {
    if (!c.finished()) m_log->line("COPY " + c.base + " NOT FINISHED: " + c.error);
  }
  m_log->line(m_result.complete() ? "ACQUISITION COMPLETE: every sector read"
                                  : "ACQUISITION COMPLETE WITH UNREADABLE SECTORS (see above)");
  m_log->sync();
  return Ok{};
}

Result<core::FinishingCopy> AcquireJob::publish(core::Destination& d, CopyResult& c, std::time_t started) {
  const core::OutputSet& out = d.out();
  const core::OutputSet staged = out.staged();
  core::FinishingCopy f;
  f.base = out.base();
  f.segments = c.segments;
  f.renames = out.segment_renames();
  // Written under its temporary name; its final name goes into the list of renames.
  auto stage = [&](const std::string& temporary, const std::string& final_name, const std::string& text) -> Status {
    EXHIBIT_CHECK(report::write_file_atomically(temporary, text, m_env));
    f.renames.emplace_back(temporary, final_name);
    return Ok{};
  };
  std::string sums;
  for (const auto& s : c.segments) sums += s.sha256 + "  " + util::file_name(s.path) + "\n";
  EXHIBIT_CHECK(stage(staged.checksums_path(), out.checksums_path(), sums));
  c.checksums_file = out.checksums_path();
  // The record of this copy: the shared result, with this copy's files.
  AcquireResult mine = result_of(d, c);
  report::RecordTimes times{util::iso8601_utc(started), util::iso8601_utc(std::time(nullptr))};
  c.record_file = out.record_path();
  f.record_file = c.record_file;
  const std::string record_text = report::render_record(m_opt, mine, times, host_os());
  EXHIBIT_CHECK(stage(staged.record_path(), out.record_path(), record_text));
  m_log->field("record", c.record_file);
  EXHIBIT_TRY(const auto sealed, seal_record(record_text, staged, m_signer ? &*m_signer : nullptr, m_env));
  if (!sealed.signature_file.empty()) {
    c.signature_file = m_signer->has_certificate() ? out.cms_signature_path() : out.plain_signature_path();
    f.renames.emplace_back(sealed.signature_file, c.signature_file);
  }
  c.timestamp_request_file = out.timestamp_request_path();
  f.renames.emplace_back(sealed.timestamp_request_file, c.timestamp_request_file);
  if (m_signer) {
    m_log->field("signature", c.signature_file + " (" + m_signer->key_type() + " key, public key SHA-256 " +
                                  m_signer->key_fingerprint() + ")");
    if (m_signer->has_certificate()) m_log->field("signer", m_signer->certificate_subject());
  }
  m_log->field("timestamp request", c.timestamp_request_file + " (RFC 3161, SHA-256 of the record)");
  // --report names the first copy's report; the others keep theirs beside them.
  const bool first = &d == &m_dests.front();
  mine.record_file = c.record_file;
  mine.checksums_file = c.checksums_file;
  mine.signature_file = c.signature_file;
  mine.timestamp_request_file = c.timestamp_request_file;
  const bool custom = first && !m_opt.report.empty();
  c.report_file = custom ? m_opt.report : out.report_path();
  mine.report_file = c.report_file;
  EXHIBIT_CHECK(stage(custom ? core::staged_report_path(m_opt.report) : staged.report_path(), c.report_file,
                      report::acquire_html(m_opt, mine)));
  m_log->field("report", c.report_file);
  // The same acquisition in DFXML and CASE/UCO, from the record just written (so all say the same).
  EXHIBIT_TRY(const report::Provenance provenance, report::provenance_from_record(record_text, c.record_file));
  const report::DocumentRun run{"acquire", m_opt.command_line, provenance.host_os, times.started, times.finished};
  c.dfxml_file = out.dfxml_path();
  EXHIBIT_CHECK(stage(staged.dfxml_path(), c.dfxml_file, report::render_dfxml(provenance, run, m_opt.source)));
  m_log->field("dfxml", c.dfxml_file);
  c.case_file = out.case_path();
  EXHIBIT_CHECK(stage(staged.case_path(), c.case_file, report::render_case_jsonld(provenance)));
  m_log->field("case", c.case_file);
  m_log->sync();
  f.checksums_file = c.checksums_file;
  f.signature_file = c.signature_file;
  f.timestamp_request_file = c.timestamp_request_file;
  f.report_file = c.report_file;
  f.dfxml_file = c.dfxml_file;
  f.case_file = c.case_file;
  return f;
}

}  // namespace exhibit::core

// The acquisition: the passes of the job (core/acquire_job.hpp) in order, and how a failure is
// reported once the log exists.
#include "exhibit/acquire.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/acquire_job.hpp"
#include "core/pool_size.hpp"
#include "core/record_seal.hpp"
#include "core/written_prefix.hpp"
#include "image/block_encoder.hpp"
#include "image/zst_image.hpp"
#include "io/sector_reader.hpp"
#include "report/html_report.hpp"
#include "report/record.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

// acquire_stream:
// The stream: source -> sector reader -> pipeline (digests, then the block encoder of the format on
// the workers) -> each copy's image writer, in order, with the bad sectors logged as they end and
// the main thread watching for a source that does not answer, or Ctrl-C.

namespace exhibit::core {

namespace {

constexpr size_t k_read_size = 4 << 20;  // bytes per source read (rounded down to whole chunks)

std::string range_text(const SectorRange& r, uint32_t sector_size) {
  return "sectors " + std::to_string(r.first) + "-" + std::to_string(r.last()) + " (" + std::to_string(r.count) +
         " sectors, bytes " + std::to_string(r.first * sector_size) + "-" +
         std::to_string((r.last() + 1) * sector_size - 1) + ")";
}

}  // namespace

// copy_media's pipeline: its settings, and its three stages over the state they share.
class AcquireJob::MediaCopy {
 public:
  MediaCopy(AcquireJob& job, io::BlockSource& source)
      : m_job(job),
        m_source(source),
        m_s(source.info()),
        m_sector(m_s.logical_sector_size),
        m_chunk(static_cast<size_t>(m_sector) * job.m_result.chunk_sectors),
        m_reader(source, job.m_opt.retries, job.m_hooks.cancel) {}
  // Sized for the format and the threads; after --resume, what was written is opened to be read back.
  Status open(const std::vector<std::string>& digests);
  Result<core::PipelineResult> run();

 private:
  // A block of what was written before the interruption, as stored.
  Status read_back(core::Block& b);
  Result<bool> produce(core::Block& b);
  Status transform(core::Block& b, unsigned worker) {
    if (b.stored) return m_written->decode(b);
    return m_encoders[worker]->encode(b.data.data(), b.size, b.encoded.data(), b.encoded.size(), b.chunks);
  }
  Status consume(core::Block& b);
  // A block read back: only the progress moves.
  void consume_stored(const core::Block& b);

  AcquireJob& m_job;
  io::BlockSource& m_source;
  const SourceInfo& m_s;
  const uint64_t m_sector;
  const size_t m_chunk;
  io::SectorReader m_reader;
  core::PipelineConfig m_config;
  uint64_t m_resume_at = 0;
  std::unique_ptr<core::WrittenPrefix> m_written;
  std::vector<std::unique_ptr<image::BlockEncoder>> m_encoders;
  uint64_t m_next_offset = 0;
  std::chrono::steady_clock::time_point m_last_check;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_report;
  uint64_t m_unreadable_sectors = 0;
};

Status AcquireJob::MediaCopy::open(const std::vector<std::string>& digests) {
  const AcquireOptions& opt = m_job.m_opt;
  core::PipelineConfig& config = m_config;
  // A zst frame is one block and stays 4 MiB; E01 and raw blocks shrink when many workers share the pool.
  const size_t most = std::max<size_t>(1, k_read_size / m_chunk);
  const image::FormatTraits& format = image::traits(opt.format);
  config.block_capacity = m_chunk *
                          (format.block_is_one_unit ? most : core::chunks_per_block(m_chunk, most, opt.threads));
  config.encoded_capacity = image::encoded_capacity(opt.format, config.block_capacity, m_chunk);
  const core::PoolSize pool = core::pool_size(config.block_capacity + config.encoded_capacity, opt.threads);
  config.pool_blocks = pool.blocks;
  config.workers = pool.workers;
  config.digests = digests;
  config.cancel = m_job.m_hooks.cancel;
  config.on_wait = [this] { return m_job.while_waiting(m_s); };
  config.piece_size = opt.piece_size;
  config.piece_limit = m_s.size;
  // After --resume the chunks already written are read back and decoded, so the digests must
  // wait for the workers.
  const uint64_t media_size = m_s.size + m_job.m_result.padding;
  m_resume_at = m_job.resumed_bytes(m_chunk, media_size);
  if (m_resume_at > 0) {
    EXHIBIT_TRY(m_written,
                core::WrittenPrefix::open(m_job.m_dests.front(), m_job.m_state.copies.front(), m_resume_at, m_chunk));
    config.digest_after_transform = true;
  }
  for (unsigned w = 0; w < config.workers; ++w) {
    m_encoders.push_back(image::make_block_encoder(opt.format, opt.compression, m_chunk));
  }
  m_last_check = std::chrono::steady_clock::now();
  return Ok{};
}

Result<core::PipelineResult> AcquireJob::MediaCopy::run() {
  m_start = std::chrono::steady_clock::now();
  m_last_report = m_start - std::chrono::seconds(1);
  core::Pipeline pipeline(m_config);
  EXHIBIT_TRY(core::PipelineResult result,
              pipeline.run([this](core::Block& b) { return produce(b); },
                           [this](core::Block& b, unsigned worker) { return transform(b, worker); },
                           [this](core::Block& b) { return consume(b); }));
  std::optional<SectorRange>& pending = m_job.m_pending_bad;
  if (pending) EXHIBIT_CHECK(m_job.record_unreadable(*pending, m_s.logical_sector_size));
  pending.reset();
  return result;
}

Status AcquireJob::MediaCopy::read_back(core::Block& b) {
  EXHIBIT_CHECK(m_written->read(b, m_next_offset, m_config.block_capacity));
  b.source_size = static_cast<size_t>(std::min<uint64_t>(m_next_offset + b.size, m_s.size) - m_next_offset);
  m_next_offset += b.size;
  m_job.m_result.reread_bytes += b.size;
  return Ok{};
}

Result<bool> AcquireJob::MediaCopy::produce(core::Block& b) {
  if (m_next_offset < m_resume_at) {
    EXHIBIT_CHECK(read_back(b));
    return true;
  }
  // Once a second: has the source changed size, or lost its read-only flag?
  if (const auto now = std::chrono::steady_clock::now(); now - m_last_check >= std::chrono::seconds(1)) {
    m_last_check = now;
    EXHIBIT_CHECK(m_source.check_unchanged());
  }
  if (m_next_offset >= m_s.size) {
    EXHIBIT_CHECK(m_source.check_unchanged());  // the last word, even on a short run
    return false;
  }
  const uint64_t remaining = (m_s.size - m_next_offset + m_sector - 1) / m_sector * m_sector;
  const auto request = static_cast<size_t>(std::min<uint64_t>(m_config.block_capacity, remaining));
  m_job.m_watch.begin(m_next_offset, request);
  auto read = m_reader.read(m_next_offset, b.data.data(), request);
  m_job.m_watch.end();
  EXHIBIT_TRY(io::RegionRead got, std::move(read));
  b.offset = m_next_offset;
  b.source_size = got.bytes;
  b.size = got.bytes;
  b.unreadable = std::move(got.unreadable);
  b.recovered = std::move(got.recovered);
  m_next_offset += got.bytes;
  if (m_next_offset == m_s.size && m_job.m_result.padding > 0) {
    std::memset(b.data.data() + b.size, 0, m_job.m_result.padding);
    b.size += m_job.m_result.padding;
  }
  return true;
}

void AcquireJob::MediaCopy::consume_stored(const core::Block& b) {
  m_job.m_result.bytes = b.offset + b.size;
  if (m_job.m_hooks.progress) {
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_report > std::chrono::milliseconds(250)) {
      m_last_report = now;
      m_job.m_hooks.progress({std::min<uint64_t>(m_job.m_result.bytes, m_s.size), m_s.size,
                              std::chrono::duration<double>(now - m_start).count(), 0});
    }
  }
}

Status AcquireJob::MediaCopy::consume(core::Block& b) {
  if (b.stored) {
    consume_stored(b);
    return Ok{};
  }
  AcquireJob& job = m_job;
  std::optional<SectorRange>& pending = job.m_pending_bad;
  job.note_answer(job.m_watch.pending());
  const size_t recorded_before = job.m_result.unreadable.size();
  // A bad range that runs on into the next block is recorded once, when it ends.
  for (const auto& r : b.unreadable) {
    if (pending && pending->first + pending->count == r.first) {
      pending->count += r.count;
    } else {
      if (pending) EXHIBIT_CHECK(job.record_unreadable(*pending, m_s.logical_sector_size));
      pending = r;
    }
    m_unreadable_sectors += r.count;
  }
  if (pending && (pending->first + pending->count) * m_sector < b.offset + b.source_size) {
    EXHIBIT_CHECK(job.record_unreadable(*pending, m_s.logical_sector_size));
    pending.reset();
  }
  for (const auto& r : b.recovered) {
    job.m_log->line("recovered on retry: " + range_text(r, m_s.logical_sector_size));
    append_range(job.m_result.recovered, r);
  }
  EXHIBIT_CHECK(job.write_block(b));
  const uint64_t done = b.offset + b.source_size;
  job.m_result.bytes = b.offset + b.size;
  if (b.size > b.source_size) {
    job.m_log->line("source ends inside a sector: " + std::to_string(job.m_result.padding) +
                    " zero bytes appended to complete the last sector");
  }
  job.m_map.done = done;
  EXHIBIT_CHECK(job.save_map(job.m_result.unreadable.size() != recorded_before));
  EXHIBIT_CHECK(job.save_state(false));
  auto now = std::chrono::steady_clock::now();
  if (job.m_hooks.progress && (now - m_last_report > std::chrono::milliseconds(250) || done == m_s.size)) {
    m_last_report = now;
    job.m_hooks.progress({done, m_s.size, std::chrono::duration<double>(now - m_start).count(), m_unreadable_sectors});
  }
  return Ok{};
}

Result<core::PipelineResult> AcquireJob::copy_media(io::BlockSource& source, const std::vector<std::string>& digests) {
  MediaCopy copy(*this, source);
  EXHIBIT_CHECK(copy.open(digests));
  return copy.run();
}

Status AcquireJob::stream() {
  const SourceInfo& s = m_source->info();
  auto copied = copy_media(*m_source, m_plan.digests);
  if (!copied) return fail(copied.error());
  m_map.done = s.size;
  m_map.finished = true;
  if (auto st = save_map(true); !st) return fail(st.error());
  for (const auto& d : copied->digests) m_result.digests.push_back({d.algorithm, d.hex});
  for (const auto& d : copied->source_digests) m_result.source_digests.push_back({d.algorithm, d.hex});
  for (size_t i = 0; i < copied->pieces.size(); ++i) {
    const uint64_t offset = i * m_opt.piece_size;
    m_result.pieces.push_back({offset, std::min(m_opt.piece_size, s.size - offset), copied->pieces[i]});
  }
  return Ok{};
}

Status AcquireJob::record_unreadable(const SectorRange& r, uint32_t sector_size) {
  m_log->line("UNREADABLE " + range_text(r, sector_size) + ": zero-filled");
  if (image::traits(m_opt.format).sector_numbers_32bit && r.first + r.count > UINT32_MAX) {
    m_log->line(
        "the E01 error list holds 32-bit sector numbers: this range is exact only in the log, the map and "
        "the record");
  }
  m_result.unreadable.push_back(r);
  for (auto& d : m_dests) d.add_error(r);
  return Ok{};
}

void AcquireJob::note_answer(const std::optional<core::ReadWatch::Pending>& pending) {
  if (m_stall_reported != 0 && (!pending || pending->since != m_stall_reported)) {
    m_log->line("the source answered the read at byte " + std::to_string(m_stall_offset) + " after waiting at least " +
                util::format_duration(m_stall_seconds));
    m_stall_reported = 0;
  }
}

Status AcquireJob::while_waiting(const SourceInfo& s) {
  const auto pending = m_watch.pending();
  auto read_text = [&](const core::ReadWatch::Pending& p) {
    return "a read of bytes " + std::to_string(p.offset) + "-" + std::to_string(p.offset + p.length - 1) + " of " +
           s.path;
  };
  note_answer(pending);
  if (m_hooks.cancel != nullptr && m_hooks.cancel->load()) {
    if (!m_interrupt_logged) {
      m_interrupt_logged = true;
      m_log->line("INTERRUPTED (Ctrl-C)" +
                  (pending ? ": " + read_text(*pending) + " has not returned for " +
                                 util::format_duration(pending->seconds) +
                                 "; the work written so far is saved now, and the run stops when the kernel gives the "
                                 "read back (Ctrl-C again stops without waiting for the job)"
                           : std::string()));
      // Only once a copy is being written: before, the state on disk is the one to keep as it is.
      const bool writing = std::any_of(m_dests.begin(), m_dests.end(),
                                       [](const auto& d) { return d.alive() && d.writing(); });
      if (writing && m_state_written && !m_finishing) (void)save_state(true);
      (void)save_map(true);
      m_log->sync();
    }
    return Error(ErrorCode::Cancelled, "interrupted");
  }
  if (pending && pending->seconds >= core::stall_threshold_seconds()) {
    if (pending->since != m_stall_reported) {
      m_stall_reported = pending->since;
      m_stall_offset = pending->offset;
      m_log->line("NO ANSWER from the source for " + util::format_duration(pending->seconds) + ": " +
                  read_text(*pending) + " has not returned; still waiting (Ctrl-C saves the work and stops)");
      m_log->sync();
    }
    m_stall_seconds = pending->seconds;
    if (m_hooks.progress) {
      Progress p;
      p.bytes_done = std::min(pending->offset, s.size);
      p.bytes_total = s.size;
      p.waiting_seconds = pending->seconds;
      m_hooks.progress(p);
    }
  }
  return Ok{};
}

}  // namespace exhibit::core

// acquire_publish:
// Publishing (core/finishing.hpp): the images closed and their segments hashed, each copy's
// checksums, record, signature and report written under temporary names, the finishing state
// saved, then every file given its final name.

namespace exhibit::core {

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
  if (auto st = for_each_copy([&](core::Destination& d) { return d.finish(md5, sha1, inner_record); }); !st) {
    return fail(st.error());
  }
  core::fault_point("finish:closed");
  // The files' own digests, so anyone can check them with sha256sum -c; taken before the rename
  // that makes them look finished.
  m_result.copies.resize(m_dests.size());
  auto hashed = for_each_copy([&](core::Destination& d) -> Status {
    CopyResult& c = m_result.copies[static_cast<size_t>(&d - m_dests.data())];
    EXHIBIT_TRY(c.segments, d.hash_segments(m_opt.threads));
    return Ok{};
  });
  if (!hashed) return fail(hashed.error());
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
          if (f.base == d.out().base()) EXHIBIT_CHECK(core::complete_renames(f, m_env));
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
  AcquireResult mine = m_result;
  mine.segments = c.segments;
  mine.segment_files.clear();
  for (const auto& s : c.segments) mine.segment_files.push_back(s.path);
  mine.log_file = out.log_path();
  mine.map_file = out.map_path();
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
  m_log->sync();
  f.checksums_file = c.checksums_file;
  f.signature_file = c.signature_file;
  f.timestamp_request_file = c.timestamp_request_file;
  f.report_file = c.report_file;
  return f;
}

}  // namespace exhibit::core

namespace exhibit {

namespace core {

Result<AcquireResult> AcquireJob::run() {
  if (m_opt.resume) EXHIBIT_CHECK(load_resume());
  EXHIBIT_CHECK(check_request());
  // Every path this run may write, checked before anything is opened or created.
  EXHIBIT_CHECK(check_outputs());
  if (m_finish_only) return finish_interrupted();
  EXHIBIT_CHECK(open_source());
  EXHIBIT_CHECK(open_log());
  EXHIBIT_CHECK(start_map());
  log_start();
  // The first read of the source: only now that the folder and the log exist.
  EXHIBIT_CHECK(check_source());
  EXHIBIT_TRY(const image::EwfWriteOptions w, writer_options());
  EXHIBIT_CHECK(m_opt.resume ? resume_copies(w) : create_copies(w));
  EXHIBIT_CHECK(stream());
  EXHIBIT_CHECK(close_copies());
  log_result();
  EXHIBIT_CHECK(publish_copies());
  EXHIBIT_CHECK(name_files());
  return m_result;
}

Error AcquireJob::fail(const Error& e) {
  // Copies whose writing failed were given up; the others are sound and save where they stand.
  // If none is, the last state saved stands.
  const bool committed = std::any_of(m_dests.begin(), m_dests.end(), [](const auto& d) { return d.committed(); });
  const auto writing = std::find_if(m_dests.begin(), m_dests.end(),
                                    [](const auto& d) { return d.alive() && d.writing(); });
  // A resumed run that found the written part damaged saves nothing: the state stays as it was.
  const bool damaged = m_opt.resume && e.code() == ErrorCode::Corruption;
  if (!m_finishing && !damaged && writing != m_dests.end() && m_state_written) (void)save_state(true);
  // The copy to name in the command: the first still written, else the first with a saved state.
  const core::Destination* named = nullptr;
  for (const auto& d : m_dests) {
    if (!named && (d.alive() || ::access(d.out().resume_path().c_str(), F_OK) == 0)) named = &d;
  }
  const bool resumable = !damaged && (m_finishing_saved || !committed) && m_state_written && named != nullptr &&
                         ::access(named->out().resume_path().c_str(), F_OK) == 0;
  std::string where;
  for (const auto& d : m_dests) {
    if (!where.empty()) where += "; ";
    where += m_finishing_saved ? "the image " + d.out().base() + " was being given its final names"
                               : "the unfinished image keeps the name " + d.out().partial_first_segment();
  }
  if (damaged) {
    where += "; what was written cannot be continued: start again with --force";
  } else if (resumable) {
    where += "; to continue " + std::string(m_dests.size() > 1 ? "every copy still written" : "it") +
             ": exhibit acquire " + util::shell_quote(m_opt.source) + " -o " + util::shell_quote(named->out().base()) +
             " --resume";
  }
  (void)save_map(true);
  m_log->line("ACQUISITION FAILED: " + e.message());
  m_log->line(where);
  m_log->sync();
  return Error(e.code(), e.message() + "; " + where + " (see " + m_log->path() + ")", e.sys_errno());
}

}  // namespace core

Result<AcquireResult> acquire(const AcquireOptions& options, const JobHooks& hooks) {
  core::AcquireJob job(options, hooks);
  return job.run();
}

}  // namespace exhibit

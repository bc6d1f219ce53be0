// The stream: source -> sector reader -> pipeline (digests, then the block encoder of the format on
// the workers) -> each copy's image writer, in order, with the bad sectors logged as they end and
// the main thread watching for a source that does not answer, or Ctrl-C.
#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/acquire_job.hpp"
#include "core/pool_size.hpp"
#include "core/written_prefix.hpp"
#include "image/block_encoder.hpp"
#include "io/sector_reader.hpp"
#include "util/units.hpp"

namespace exhibit::core {

namespace {

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
        m_readers(job.m_opt.queue_depth) {
    for (auto& r : m_readers) r = std::make_unique<io::SectorReader>(source, job.m_opt.retries, job.m_hooks.cancel);
  }
  // Sized for the format and the threads; after --resume, what was written is opened to be read back.
  Status open(const std::vector<std::string>& digests);
  Result<core::PipelineResult> run();

 private:
  // A block of what was written before the interruption, as stored.
  Status read_back(core::Block& b);
  // In order: the next block, claimed (its bytes read by fill) or read back.
  Result<bool> produce(core::Block& b);
  // On reader `reader`, several at once: the claimed block's bytes, read from the source.
  Status fill(core::Block& b, unsigned reader);
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
  std::vector<std::unique_ptr<io::SectorReader>> m_readers;  // one per read in flight
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
  const uint64_t read_size = opt.read_size != 0 && !image::traits(opt.format).block_is_one_unit ? opt.read_size
                                                                                                : k_read_size;
  const size_t most = std::max<size_t>(1, static_cast<size_t>(read_size / m_chunk));
  const image::FormatTraits& format = image::traits(opt.format);
  config.block_capacity = m_chunk *
                          (format.block_is_one_unit ? most : core::chunks_per_block(m_chunk, most, opt.threads));
  config.encoded_capacity = image::encoded_capacity(opt.format, config.block_capacity, m_chunk);
  const core::PoolSize pool = core::pool_size(config.block_capacity + config.encoded_capacity, opt.threads,
                                              static_cast<unsigned>(m_readers.size()));
  config.pool_blocks = pool.blocks;
  config.workers = pool.workers;
  config.readers = static_cast<unsigned>(m_readers.size());
  config.digests = digests;
  config.cancel = m_job.m_hooks.cancel;
  config.on_wait = [this] { return m_job.while_waiting(m_s); };
  config.piece_size = opt.piece_size;
  config.piece_limit = m_s.size;
  config.transform_stage = image::encode_stage_name(opt.format, opt.compression);
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
                           [this](core::Block& b, unsigned reader) { return fill(b, reader); },
                           [this](core::Block& b, unsigned worker) { return transform(b, worker); },
                           [this](core::Block& b) { return consume(b); }));
  std::optional<SectorRange>& pending = m_job.m_pending_bad;
  if (pending) EXHIBIT_CHECK(m_job.record_unreadable(*pending, m_s.logical_sector_size));
  pending.reset();
  m_job.m_result.stages = result.stages;
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
  b.offset = m_next_offset;
  b.size = request;  // claimed: fill reads it
  m_next_offset += request;
  return true;
}

Status AcquireJob::MediaCopy::fill(core::Block& b, unsigned reader) {
  if (b.stored) return Ok{};
  const size_t request = b.size;
  m_job.m_watch.begin(reader, b.offset, request);
  auto read = m_readers[reader]->read(b.offset, b.data.data(), request);
  m_job.m_watch.end(reader);
  EXHIBIT_TRY(io::RegionRead got, std::move(read));
  const uint64_t end = b.offset + got.bytes;
  // Only the last block may come back short (a source that ends inside a sector); anything else
  // means the source shrank under us, and the next block would not follow this one.
  if (got.bytes < request && end != m_s.size) {
    return Error(ErrorCode::SourceGone, m_s.path + " returned " + std::to_string(got.bytes) + " of " +
                                            std::to_string(request) + " bytes at byte " + std::to_string(b.offset) +
                                            ": it ends before its size (" + std::to_string(m_s.size) + " bytes) says");
  }
  b.source_size = got.bytes;
  b.size = got.bytes;
  b.unreadable = std::move(got.unreadable);
  b.recovered = std::move(got.recovered);
  if (end == m_s.size && m_job.m_result.padding > 0) {
    std::memset(b.data.data() + b.size, 0, m_job.m_result.padding);
    b.size += m_job.m_result.padding;
  }
  return Ok{};
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
      // Only once a copy is being written: before, the state on disk is the one to keep as it is.
      const bool writing = std::any_of(m_dests.begin(), m_dests.end(),
                                       [](const auto& d) { return d.alive() && d.writing(); });
      const bool saving = writing && m_state_written && !m_finishing;
      m_log->line(
          "INTERRUPTED (Ctrl-C)" +
          (pending ? ": " + read_text(*pending) + " has not returned for " + util::format_duration(pending->seconds) +
                         (saving ? "; the work written so far is saved now, and" : "; nothing was written yet;") +
                         " the run stops when the kernel gives the read back (Ctrl-C again stops without "
                         "waiting for the job)"
                   : std::string()));
      if (saving) (void)save_state(true);
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

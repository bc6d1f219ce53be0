// --resume: the interrupted run's saved state taken over (or, stopped while finishing, its renames
// completed), and the source compared with the one it read. A new run identifies its source here.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>

#include "core/acquire_job.hpp"
#include "core/test_points.hpp"
#include "exhibit/setting.hpp"
#include "hash/digest.hpp"
#include "io/sector_reader.hpp"
#include "util/aligned_buffer.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::core {

std::string remote_identity(const SourceInfo& s) {
  if (!s.is_remote()) return "";
  const RemoteSource& r = s.remote;
  if (!r.described_by_exhibit) return "undescribed export " + r.uri;
  return "host " + r.host + ", device " + r.device;
}

Status AcquireJob::load_resume() {
  // Stopped while its files were given their names: what is left is in a finishing state.
  if (auto text = util::read_small_file(m_out().resume_path(), "resume state");
      text && core::is_finishing_state(*text)) {
    EXHIBIT_TRY(core::FinishingState f, core::parse_finishing_state(*text));
    m_finish_only.emplace(std::move(f));
    return Ok{};
  }
  auto loaded = core::load_resume_state(m_out().resume_path());
  if (const std::string finished = m_out().finished_first_file_any_format();
      !loaded && loaded.error().code() == ErrorCode::NotFound && !finished.empty() &&
      m_out().partial_segments().empty()) {
    return Error(ErrorCode::AlreadyExists, "the image " + finished + " is already finished (there is no " +
                                               m_out().resume_path() + " beside it); check it with exhibit verify");
  }
  if (!loaded && loaded.error().code() == ErrorCode::NotFound && ::access(m_out().log_path().c_str(), F_OK) == 0) {
    return Error(ErrorCode::NotFound, "no saved progress for " + m_out().base() + " (" + m_out().resume_path() +
                                          " does not exist: the run was stopped before its first saved state); "
                                          "start it again with " +
                                          setting_text(Setting::Force));
  }
  if (!loaded) return loaded.error();
  m_state = std::move(*loaded);
  m_opt.format = m_state.format;
  m_opt.one_file = m_state.one_file;
  // Every copy of the interrupted run, in its format; the one named by -o first (it is read back).
  auto named = std::find_if(m_state.copies.begin(), m_state.copies.end(),
                            [&](const core::CopyProgress& c) { return c.base == m_opt.output_base; });
  if (named == m_state.copies.end()) {
    return Error(ErrorCode::Corruption,
                 m_out().resume_path() + " does not list " + m_opt.output_base + " among its copies");
  }
  if (named->given_up) {
    return Error(ErrorCode::InvalidArgument,
                 m_opt.output_base + " was given up before the interruption; resume another copy");
  }
  std::rotate(m_state.copies.begin(), named, named + 1);
  m_dests.clear();
  for (const auto& c : m_state.copies) {
    m_dests.emplace_back(c.base, m_opt, m_env);
    if (c.given_up) m_dests.back().give_up(Error(ErrorCode::Destination, "given up before the interruption"));
  }
  if (m_out().partial_segments().empty()) {
    if (::access(m_out().first_segment().c_str(), F_OK) == 0) {
      return Error(ErrorCode::AlreadyExists,
                   "the image " + m_out().first_segment() +
                       " is already finished (the run stopped while writing the files beside it; "
                       "check them with exhibit verify)");
    }
    return Error(ErrorCode::NotFound,
                 "no unfinished image " + m_out().partial_first_segment() + " beside " + m_out().resume_path());
  }
  m_state_written = true;
  m_opt.metadata = m_state.metadata;
  m_opt.chunk_sectors = m_state.chunk_sectors;
  m_opt.segment_size = m_state.segment_size;
  m_opt.compression = m_state.compression;
  m_opt.digests = m_state.digests;
  m_opt.piece_size = m_state.piece_size;
  m_opt.source_date_epoch = m_state.source_date_epoch;
  m_opt.file_sector_size = m_state.file_sector_size;
  return Ok{};
}

Result<AcquireResult> AcquireJob::finish_interrupted() {
  const core::FinishingState& f = *m_finish_only;
  auto mine = std::find_if(f.copies.begin(), f.copies.end(),
                           [&](const auto& c) { return c.base == m_opt.output_base; });
  if (mine == f.copies.end()) {
    return Error(ErrorCode::InvalidArgument, m_out().resume_path() + " does not list " + m_opt.output_base +
                                                 " among the copies being finished; resume another copy");
  }
  EXHIBIT_TRY(core::AcquisitionLog log, core::AcquisitionLog::append(core::OutputSet(mine->base).log_path(), m_env));
  m_log.emplace(std::move(log));
  for (const auto& c : f.copies) {
    if (c.base != mine->base) EXHIBIT_CHECK(m_log->add_copy(core::OutputSet(c.base).log_path(), false, true));
  }
  m_result.resumed = f.interruptions + 1;
  m_log->line(std::string("exhibit ") + EXHIBIT_VERSION + " acquisition RESUMED (after interruption " +
              std::to_string(m_result.resumed) + ") in its finishing phase on " + host_os() +
              ": every segment is checked against the SHA-256 taken when it was written, then named");
  for (const auto& c : f.copies) {
    if (auto st = core::complete_renames(c, core::SegmentCheck::Sha256, m_env); !st) {
      m_log->line("ACQUISITION FAILED: " + st.error().message());
      m_log->sync();
      return st.error();
    }
    core::fault_point("finish:renamed");
    const std::string state = core::OutputSet(c.base).resume_path();
    if (auto st = m_env.remove(state); !st && st.error().sys_errno() != ENOENT) {
      m_log->line("could not remove " + state + ": " + std::strerror(st.error().sys_errno()));
    }
    CopyResult r;
    r.base = c.base;
    r.segments = c.segments;
    r.record_file = c.record_file;
    r.checksums_file = c.checksums_file;
    r.signature_file = c.signature_file;
    r.timestamp_request_file = c.timestamp_request_file;
    r.report_file = c.report_file;
    r.dfxml_file = c.dfxml_file;
    r.case_file = c.case_file;
    m_result.copies.push_back(std::move(r));
  }
  std::rotate(m_result.copies.begin(), m_result.copies.begin() + (mine - f.copies.begin()),
              m_result.copies.begin() + (mine - f.copies.begin()) + 1);
  const CopyResult& first = m_result.copies.front();
  m_result.segments = first.segments;
  for (const auto& s : first.segments) m_result.segment_files.push_back(s.path);
  m_result.record_file = first.record_file;
  m_result.checksums_file = first.checksums_file;
  m_result.signature_file = first.signature_file;
  m_result.timestamp_request_file = first.timestamp_request_file;
  m_result.report_file = first.report_file;
  m_result.dfxml_file = first.dfxml_file;
  m_result.case_file = first.case_file;
  m_result.log_file = m_out().log_path();
  m_result.map_file = m_out().map_path();
  m_result.source.path = m_opt.source;
  m_result.digests = f.digests;
  m_result.source_digests = f.source_digests;
  m_result.unreadable = f.unreadable;
  m_result.recovered = f.recovered;
  m_result.bytes = f.bytes;
  m_result.padding = f.padding;
  m_log->line(m_result.complete() ? "ACQUISITION COMPLETE: every sector read"
                                  : "ACQUISITION COMPLETE WITH UNREADABLE SECTORS (see above)");
  m_log->sync();
  return m_result;
}

Result<core::SourceIdentity> AcquireJob::identify(io::BlockSource& source) {
  const SourceInfo& s = source.info();
  core::SourceIdentity id{s.path, s.size, s.logical_sector_size, s.model, s.serial, 0, "", remote_identity(s)};
  // The first MiB (or the whole of a smaller source), as read now.
  const uint64_t sector = s.logical_sector_size;
  id.head_bytes = std::min<uint64_t>((uint64_t{1} << 20) / sector * sector, (s.size + sector - 1) / sector * sector);
  util::AlignedBuffer head(id.head_bytes);
  io::SectorReader reader(source, m_opt.retries, m_hooks.cancel);
  // On a thread of its own, so that a source that does not answer is noticed (while_waiting).
  auto read = std::async(std::launch::async, [&]() -> Result<io::RegionRead> {
    m_watch.begin(0, 0, id.head_bytes);
    auto r = reader.read(0, head.data(), id.head_bytes);
    m_watch.end(0);
    return r;
  });
  std::optional<Error> stopped;
  while (read.wait_for(std::chrono::milliseconds(250)) != std::future_status::ready) {
    if (stopped) continue;  // the kernel still holds the read: it must return before its buffer goes
    if (auto st = while_waiting(s); !st) stopped = st.error();
  }
  if (stopped) return *stopped;
  EXHIBIT_TRY(io::RegionRead got, read.get());
  EXHIBIT_TRY(auto sha, hash::DigestSet::create({"sha256"}));
  sha.update(head.data(), got.bytes);
  id.head_bytes = got.bytes;
  id.head_sha256 = sha.finish().front().hex;
  return id;
}

Status AcquireJob::check_same_source(io::BlockSource& source) {
  EXHIBIT_TRY(const core::SourceIdentity now, identify(source));
  const core::SourceIdentity& then = m_state.source;
  auto differs = [&](const std::string& what, const std::string& a, const std::string& b) {
    return Error(ErrorCode::InvalidArgument, "not the source of the interrupted acquisition: its " + what + " was " +
                                                 a + ", now " + b + " (the image was not touched)");
  };
  if (now.size != then.size) return differs("size", std::to_string(then.size), std::to_string(now.size));
  if (now.sector_size != then.sector_size) {
    return differs("sector size", std::to_string(then.sector_size), std::to_string(now.sector_size));
  }
  if (core::as_stored(now.serial) != then.serial) {
    return differs("serial number", "'" + then.serial + "'", "'" + util::sanitize_for_terminal(now.serial) + "'");
  }
  if (core::as_stored(now.model) != then.model) {
    return differs("model", "'" + then.model + "'", "'" + util::sanitize_for_terminal(now.model) + "'");
  }
  if (core::as_stored(now.remote) != then.remote) {
    return differs("server's description of itself", "'" + then.remote + "'",
                   "'" + util::sanitize_for_terminal(now.remote) + "'");
  }
  if (now.head_bytes != then.head_bytes || now.head_sha256 != then.head_sha256) {
    return differs("first " + std::to_string(then.head_bytes) + " bytes' SHA-256", then.head_sha256, now.head_sha256);
  }
  return Ok{};
}

Status AcquireJob::check_source() {
  if (!m_opt.resume) {
    auto id = identify(*m_source);
    if (!id) return fail(id.error());
    m_state.source = std::move(*id);
    return Ok{};
  }
  if (auto st = check_same_source(*m_source); !st) {
    if (st.error().code() == ErrorCode::Cancelled) return fail(st.error());  // the saved state stands
    m_log->line("RESUME REFUSED: " + st.error().message());
    m_log->sync();
    return st.error();
  }
  m_log->field("same source", std::string("size, sector size, model, serial number, ") +
                                  (m_source->info().is_remote() ? "the serving host and device, " : "") +
                                  "and the SHA-256 of the first " + std::to_string(m_state.source.head_bytes) +
                                  " bytes (" + m_state.source.head_sha256 + ") match the interrupted acquisition");
  return Ok{};
}

}  // namespace exhibit::core

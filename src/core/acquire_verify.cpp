// acquire --verify: once every copy is closed and hashed, and before its record is written, each
// copy's files are read again and checked as `exhibit verify` checks them (core/verify_opened):
// every chunk, the digests the image stores, the record's digests and pieces, each segment file's
// SHA-256, and with --verify=source the source read again and compared with the first copy. The
// files still have their temporary names; the renames that follow change no byte.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "core/acquire_job.hpp"
#include "core/test_points.hpp"
#include "core/verify_opened.hpp"
#include "image/unit_reader.hpp"
#include "report/record.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::core {

namespace {

// `text` with the temporary base of `out` replaced by its final one.
std::string final_name(const core::OutputSet& out, const std::string& text) {
  const std::string partial = out.partial_base();
  return text.compare(0, partial.size(), partial) == 0 ? out.base() + text.substr(partial.size()) : text;
}

// Asks the kernel to drop `path`'s cached pages (written and synced when the copy closed), so that
// the re-read comes from the destination, not from memory. A hint: where it is not honoured, the
// check still compares every byte, as read back through the cache.
void drop_cached(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fdatasync(fd);
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

AcquireResult AcquireJob::result_of(const core::Destination& d, const CopyResult& c) const {
  AcquireResult mine = m_result;
  mine.segments = c.segments;
  mine.segment_files.clear();
  for (const auto& s : c.segments) mine.segment_files.push_back(s.path);
  mine.log_file = d.out().log_path();
  mine.map_file = d.out().map_path();
  return mine;
}

Result<VerifyReport> AcquireJob::verify_copy(const core::Destination& d, const CopyResult& c, bool with_source) {
  const core::OutputSet& out = d.out();
  // What is compared is what the record will say: the record of this copy, parsed back.
  const std::string record_text = report::render_record(
      m_opt, result_of(d, c), {util::iso8601_utc(m_plan.started), util::iso8601_utc(std::time(nullptr))}, host_os());
  EXHIBIT_TRY(report::RecordedImage record, report::parse_record(record_text, out.record_path()));
  EXHIBIT_TRY(auto reader, image::open_image(out.partial_first_segment(), image::Unfinished::Accept));
  VerifyReport report;
  report.info = reader->info();
  report.record_file = out.record_path();
  report.checksums_file = out.checksums_path();
  std::vector<std::string> paths;  // where each segment is now
  const auto renames = out.segment_renames();
  for (const auto& s : c.segments) {
    std::string path = s.path;
    for (const auto& [from, to] : renames) {
      if (to == s.path) path = from;
    }
    paths.push_back(path);
    drop_cached(path);
  }
  VerifyOptions options;
  if (with_source) {
    options.source = m_opt.source;
    options.allow_mounted = m_opt.allow_mounted;
  }
  EXHIBIT_TRY(report, core::verify_opened(*reader, std::move(report), record, paths, m_hooks, m_opt.threads, options));
  // Named as they are once the acquisition has finished, which is how anyone will check them.
  for (auto& f : report.info.segment_files) f = final_name(out, f);
  for (auto& f : report.segment_checks) f.file = final_name(out, f.file);
  return report;
}

Status AcquireJob::verify_copies() {
  if (m_opt.verify == VerifyAfter::None) return Ok{};
  core::pause_point("acquire:verify");
  const bool source = m_opt.verify == VerifyAfter::Source;
  // Closed, so that the re-read can open it as verify --source does (a block device exclusively).
  if (source) m_source.reset();
  AcquireVerification v;
  v.what = m_opt.verify;
  const std::time_t started = std::time(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  m_log->line(std::string("verification: every copy read again and checked") +
              (source ? "; the source read again and compared with the first copy" : ""));
  bool source_done = false;
  for (size_t i = 0; i < m_dests.size(); ++i) {
    const core::Destination& d = m_dests[i];
    if (!d.alive()) continue;
    auto checked = verify_copy(d, m_result.copies[i], source && !source_done);
    source_done = true;
    if (!checked && checked.error().code() == ErrorCode::Cancelled) return fail(checked.error());
    CopyVerification c{d.out().base(), {}, {}};
    if (checked) {
      c.report = std::move(*checked);
    } else {
      // Not a pass: the verification could not be completed, and says why.
      c.incomplete = checked.error().message();
      c.report.info.segment_files = {d.out().first_segment()};
      c.report.problems.push_back("the verification could not be completed: " + c.incomplete);
    }
    for (const auto& line : verify_lines(c.report)) m_log->field("verification", line.label + ": " + line.text);
    if (c.report.source) {
      for (const auto& e : c.report.source->write_block.events) m_log->field("re-read write-block", e);
    }
    m_log->field("verification of " + c.base, c.verdict());
    v.copies.push_back(std::move(c));
  }
  v.started = util::iso8601_utc(started);
  v.finished = util::iso8601_utc(std::time(nullptr));
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m_log->field("verification",
               std::string(v.passed() ? "VERIFIED" : "FAILED") + " in " + util::format_duration(v.seconds));
  m_log->sync();
  m_result.verification = std::move(v);
  return Ok{};
}

}  // namespace exhibit::core

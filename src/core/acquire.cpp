// The acquisition: the passes of the job (core/acquire_job.hpp) in order, and how a failure is
// reported once the log exists.
#include "exhibit/acquire.hpp"

#include <unistd.h>

#include <algorithm>

#include "core/acquire_job.hpp"
#include "exhibit/setting.hpp"
#include "util/text.hpp"

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
  EXHIBIT_CHECK(verify_copies());
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
    where += "; what was written cannot be continued: start again with " + setting_text(Setting::Force);
  } else if (resumable) {
    where += "; to continue " + std::string(m_dests.size() > 1 ? "every copy still written" : "it") +
             ": exhibit acquire " + source_arguments() + " -o " + util::shell_quote(named->out().base()) + " --resume";
  }
  (void)save_map(true);
  m_log->line("ACQUISITION FAILED: " + e.message());
  m_log->line(where);
  m_log->sync();
  return Error(e.code(), e.message() + "; " + where + " (see " + m_log->path() + ")", e.sys_errno());
}

std::string AcquireJob::source_arguments() const {
  std::string out = util::shell_quote(m_opt.source);
  const RemoteAccess& r = m_opt.remote;
  if (!r.tls_psk_file.empty()) out += " --tls-psk " + util::shell_quote(r.tls_psk_file);
  if (!r.tls_certificates.empty()) out += " --tls-cert " + util::shell_quote(r.tls_certificates);
  if (r.insecure) out += " --insecure";
  return out;
}

}  // namespace core

Result<AcquireResult> acquire(const AcquireOptions& options, const JobHooks& hooks) {
  core::AcquireJob job(options, hooks);
  return job.run();
}

}  // namespace exhibit

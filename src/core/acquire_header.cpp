// What describes the acquisition: the log opened and headed (source, case, options), and the
// values the image's header holds (case metadata, drive, system, set identifier).
#include <sys/utsname.h>

#include "core/acquire_job.hpp"
#include "core/header_notes.hpp"
#include "exhibit/version.hpp"
#include "hash/digest.hpp"
#include "image/e01_writer.hpp"
#include "image/ewf_sections.hpp"

namespace exhibit::core {

std::string host_os() {
  struct utsname u {};
  if (uname(&u) != 0) return "Linux";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

Status AcquireJob::open_log() {
  if (!m_opt.resume) {
    for (const auto& d : m_dests) EXHIBIT_CHECK(d.out().prepare(m_opt.force, m_env));
  }
  EXHIBIT_TRY(core::AcquisitionLog log, m_opt.resume
                                            ? core::AcquisitionLog::append(m_out().log_path(), m_env)
                                            : core::AcquisitionLog::create(m_out().log_path(), m_opt.force, m_env));
  m_log.emplace(std::move(log));
  m_result.log_file = m_out().log_path();
  for (size_t i = 1; i < m_dests.size(); ++i) {
    if (m_dests[i].alive()) EXHIBIT_CHECK(m_log->add_copy(m_dests[i].out().log_path(), m_opt.force, m_opt.resume));
  }
  m_plan.write_block_events_at_start = m_source->write_block().events.size();
  return Ok{};
}

void AcquireJob::log_start() {
  if (m_opt.resume) {
    m_result.resumed = ++m_state.interruptions;
    m_log->line(std::string("exhibit ") + EXHIBIT_VERSION + " acquisition RESUMED (after interruption " +
                std::to_string(m_result.resumed) + ") on " + host_os());
    m_log->field("already written",
                 std::to_string(m_map.done) + " source bytes (" + format_label(m_opt.format) +
                     "), read back from the image to rebuild the digests; the rest is read from the source");
  } else {
    m_log->line(std::string("exhibit ") + EXHIBIT_VERSION + " acquisition started on " + host_os());
  }
  // A resumed run may be another build: each run says which.
  m_log->line("exhibit " + build_info().version + " built from commit " + build_info().commit + ", with " +
              libraries_text());
  m_log->source_section(m_source->info());
  m_log->write_block_section(m_source->write_block(), m_source->info().is_remote());
  m_log->line("case");
  m_log->field("case number", m_opt.metadata.case_number);
  m_log->field("evidence number", m_opt.metadata.evidence_number);
  m_log->field("examiner", m_opt.metadata.examiner);
  m_log->field("description", m_opt.metadata.description);
  m_log->field("notes", m_opt.metadata.notes);
  m_log->line("options");
  m_log->field("image", m_out().first_segment() + " (" + format_label(m_opt.format) + ")");
  auto because = [](const std::string& reason) { return reason.empty() ? "" : " (" + reason + ")"; };
  m_log->field("segment size", std::to_string(m_result.segment_size) + " bytes" + because(m_plan.segment_reason));
  m_log->field("chunk", std::to_string(m_result.chunk_sectors) + " sectors" + because(m_plan.chunk_reason));
  m_log->field("piece size", m_opt.piece_size == 0
                                 ? std::string("none")
                                 : std::to_string(m_opt.piece_size) + " bytes" + because(m_plan.piece_reason));
  m_log->field("compression", std::string(compression_name(m_opt.compression)));
  m_log->field("retries per sector", std::to_string(m_opt.retries));
  m_log->field("address layout", m_opt.fixed_address_layout
                                     ? "fixed (ASLR off for this process, so ISA-L's output repeats exactly)"
                                     : "randomised (the image may differ from a repeat run in rare chunks)");
  m_log->sync();
}

Result<image::EwfWriteOptions> AcquireJob::writer_options() {
  const SourceInfo& s = m_source->info();
  const std::time_t started = m_plan.started;
  image::EwfWriteOptions w;
  w.base = m_out().partial_base();
  w.media_size = s.size + m_result.padding;
  w.bytes_per_sector = s.logical_sector_size;
  w.sectors_per_chunk = m_result.chunk_sectors;
  w.segment_size = m_result.segment_size;
  w.compression = m_opt.compression;
  w.removable = s.removable;
  w.physical = s.is_block_device || s.remote.described_by_exhibit;
  w.header_values = {{"case_number", m_opt.metadata.case_number},
                     {"evidence_number", m_opt.metadata.evidence_number},
                     {"examiner_name", m_opt.metadata.examiner},
                     {"description", m_opt.metadata.description},
                     {"notes",
                      core::notes_with_warnings(m_opt.metadata.notes, s.drive.hpa_sectors, s.drive.dco_sectors,
                                                core::remote_note(s.remote.uri, s.remote.host, s.remote.device))},
                     {"model", s.model},
                     {"serial_number", s.serial},
                     {"acquiry_operating_system", host_os()},
                     {"acquiry_software", "exhibit"},
                     {"acquiry_software_version", EXHIBIT_VERSION}};
  w.acquisition_time = started;  // the header's and header2's dates, as ewfacquire writes them
  if (m_opt.resume) {
    w.header_values = m_state.header_values;
    w.set_identifier = m_state.set_identifier;
    w.removable = m_state.removable;
    w.physical = m_state.physical;
  } else if (m_opt.source_date_epoch) {
    // Derived, not random: the same source, size and epoch give the same set identifier.
    auto id = hash::DigestSet::create({"sha256"});
    if (!id) return fail(id.error());
    const std::string seed = "exhibit set identifier " + std::to_string(started) + " " + s.path + " " +
                             std::to_string(s.size);
    id->update(seed.data(), seed.size());
    // The first 16 bytes of the SHA-256.
    w.set_identifier = image::ewf::bytes_from_hex<16>(id->finish().front().hex.substr(0, 32));
    m_log->line("SOURCE_DATE_EPOCH=" + std::to_string(*m_opt.source_date_epoch) +
                " is set: dates fixed to it and the set identifier derived from it");
  } else {
    auto guid = image::random_set_identifier();
    if (!guid) return fail(guid.error());
    w.set_identifier = *guid;
  }
  return w;
}

}  // namespace exhibit::core

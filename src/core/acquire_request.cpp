// The request checked before anything is read or written: options, metadata text, the signing
// key, every output path (one output guard); then the source opened and the image's geometry chosen.
#include <algorithm>

#include "core/acquire_job.hpp"
#include "core/output_guard.hpp"
#include "core/piece_size.hpp"
#include "exhibit/setting.hpp"
#include "hash/digest.hpp"
#include "image/block_encoder.hpp"
#include "image/ewf_geometry.hpp"
#include "util/text.hpp"

namespace exhibit::core {

Status AcquireJob::check_request() {
  if (m_opt.chunk_sectors > 65536 || (m_opt.chunk_sectors & (m_opt.chunk_sectors - 1))) {
    return Error(ErrorCode::InvalidArgument,
                 setting_text(Setting::ChunkSectors) + " must be a power of two from 1 to 65536");
  }
  // MD5 always: every E01 stores it (and SHA-1 when it was asked for).
  std::vector<std::string>& digests = m_plan.digests;
  digests = {"md5"};
  for (const auto& name : m_opt.digests) {
    EXHIBIT_TRY(std::string canonical, hash::canonical_algorithm(name));
    if (std::find(digests.begin(), digests.end(), canonical) == digests.end()) digests.push_back(canonical);
  }
  if (m_opt.threads == 0)
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::Threads) + " must be at least 1");
  if (m_opt.queue_depth == 0 || m_opt.queue_depth > core::ReadWatch::k_slots) {
    return Error(ErrorCode::InvalidArgument,
                 setting_text(Setting::QueueDepth) + " must be 1 to " + std::to_string(core::ReadWatch::k_slots));
  }
  if (m_opt.read_size != 0) {
    if (image::traits(m_opt.format).block_is_one_unit) {
      return Error(ErrorCode::InvalidArgument, setting_text(Setting::ReadSize) + " does not apply to " +
                                                   std::string(format_name(m_opt.format)) +
                                                   " images (a frame is one 4 MiB read)");
    }
    if (m_opt.read_size < k_min_read_size || m_opt.read_size > k_max_read_size) {
      return Error(ErrorCode::InvalidArgument, setting_text(Setting::ReadSize) + " must be 4 KiB to 16 MiB");
    }
  }
  // E01 headers hold text as UTF-8/UTF-16: text in another encoding would be refused by libewf
  // half-way, or stored as something the examiner did not type.
  const CaseMetadata& md = m_opt.metadata;
  for (const auto& [option, value] : {std::pair{Setting::CaseNumber, &md.case_number},
                                      {Setting::EvidenceNumber, &md.evidence_number},
                                      {Setting::Examiner, &md.examiner},
                                      {Setting::Description, &md.description},
                                      {Setting::Notes, &md.notes}}) {
    if (auto at = util::first_invalid_utf8(*value)) {
      return Error(ErrorCode::InvalidArgument, setting_text(option) + " is not valid UTF-8 (byte " +
                                                   std::to_string(*at) + "); give the text in UTF-8");
    }
  }
  return check_signing();
}

Status AcquireJob::check_signing() {
  if (!m_opt.sign_cert.empty() && m_opt.sign_key.empty()) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::SignCert) + " needs " +
                                                 setting_text(Setting::SignKey) + " (the certificate's private key)");
  }
  if (!m_opt.sign_key.empty()) {
    // Checked before anything is read, so a bad key fails now, not after hours of imaging.
    EXHIBIT_TRY(report::Signer signer, report::Signer::load(m_opt.sign_key, m_opt.sign_cert));
    m_signer.emplace(std::move(signer));
  }
  if (m_opt.resume && !m_finish_only) {
    // The record is signed as the interrupted run would have signed it, or not at all.
    const std::string given = m_signer ? m_signer->key_fingerprint() : "";
    if (given != m_state.sign_key_fingerprint || (m_signer && m_signer->has_certificate() != m_state.sign_cms)) {
      return Error(ErrorCode::InvalidArgument,
                   m_state.sign_key_fingerprint.empty()
                       ? "the interrupted acquisition did not sign its record: resume it without " +
                             setting_text(Setting::SignKey)
                       : "the interrupted acquisition signs its record with the key whose public key SHA-256 is " +
                             m_state.sign_key_fingerprint + (m_state.sign_cms ? " and its certificate" : "") +
                             ": give " + setting_text(Setting::SignKey) +
                             (m_state.sign_cms ? " and " + setting_text(Setting::SignCert) : "") + " again");
    }
    if (!m_opt.report.empty() && m_opt.report != m_state.report) {
      return Error(ErrorCode::InvalidArgument,
                   "the interrupted acquisition writes its report to " +
                       (m_state.report.empty() ? std::string("BASE.report.html") : m_state.report) +
                       ": resume it without " + setting_text(Setting::Report));
    }
    m_opt.report = m_state.report;
  }
  return Ok{};
}

Status AcquireJob::check_outputs() const {
  core::OutputGuard guard;
  EXHIBIT_CHECK(guard.protect_source(m_opt.source));
  for (const auto& d : m_dests) {
    for (const auto& p : d.out().all_paths()) guard.add_output(p, m_opt.resume, /*folder_made=*/true);
  }
  if (!m_opt.report.empty()) {
    guard.add_output(m_opt.report);
    guard.add_output(core::staged_report_path(m_opt.report), m_opt.resume);
  }
  return guard.check(m_opt.force);
}

Status AcquireJob::open_source() {
  io::OpenOptions open_options;
  open_options.allow_mounted = m_opt.allow_mounted;
  open_options.sector_size = m_opt.file_sector_size;
  open_options.remote = m_opt.remote;
  EXHIBIT_TRY(m_source, io::open_source(m_opt.source, open_options));
  const SourceInfo& s = m_source->info();
  m_result.source = s;
  if (s.size == 0) return Error(ErrorCode::InvalidArgument, "source " + s.path + " is empty (0 bytes)");
  EXHIBIT_TRY(const image::EwfGeometry geometry,
              image::choose_geometry(s.size, s.logical_sector_size, m_opt.chunk_sectors, m_opt.segment_size,
                                     !image::traits(m_opt.format).chunked));
  m_result.chunk_sectors = geometry.chunk_sectors;
  m_result.segment_size = geometry.segment_size;
  m_plan.segment_reason = geometry.segment_reason;
  m_plan.chunk_reason = geometry.chunk_reason;
  if (!m_opt.resume) {
    EXHIBIT_TRY(const core::PieceSize pieces,
                core::choose_piece_size(s.size, m_opt.piece_size, m_opt.piece_size_given));
    m_opt.piece_size = pieces.size;
    m_plan.piece_reason = pieces.reason;
  }
  return Ok{};
}

}  // namespace exhibit::core

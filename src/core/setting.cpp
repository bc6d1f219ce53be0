#include "exhibit/setting.hpp"

#include <atomic>

namespace exhibit {
namespace {
std::atomic<SettingWording> g_wording{nullptr};
}  // namespace

const char* setting_field(Setting s) {
  switch (s) {
    case Setting::Force: return "force";
    case Setting::Resume: return "resume";
    case Setting::AllowMounted: return "allow_mounted";
    case Setting::SectorSize: return "file_sector_size";
    case Setting::ChunkSectors: return "chunk_sectors";
    case Setting::SegmentSize: return "segment_size";
    case Setting::PieceSize: return "piece_size";
    case Setting::Threads: return "threads";
    case Setting::QueueDepth: return "queue_depth";
    case Setting::ReadSize: return "read_size";
    case Setting::CaseNumber: return "metadata.case_number";
    case Setting::EvidenceNumber: return "metadata.evidence_number";
    case Setting::Examiner: return "metadata.examiner";
    case Setting::Description: return "metadata.description";
    case Setting::Notes: return "metadata.notes";
    case Setting::SignKey: return "sign_key";
    case Setting::SignCert: return "sign_cert";
    case Setting::Report: return "report";
    case Setting::Trust: return "trust_pem";
    case Setting::PublicKey: return "pubkey_pem";
    case Setting::RequireSignature: return "require_signature";
    case Setting::Offset: return "offset";
    case Setting::Length: return "length";
  }
  return "?";
}

void set_setting_wording(SettingWording wording) { g_wording.store(wording, std::memory_order_release); }

std::string setting_text(Setting s) {
  if (const SettingWording w = g_wording.load(std::memory_order_acquire)) return w(s);
  return std::string("`") + setting_field(s) + "`";
}

}  // namespace exhibit

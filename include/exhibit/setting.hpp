// Settings of a job's options, as messages name them. The library never spells a command-line
// flag: a message that names what was refused or what would remedy it ("use ... to replace it")
// names a Setting, and the caller decides the words. The exhibit CLI installs its flags once at
// start; any other program gets the options' field names, or installs its own wording.
#pragma once

#include <string>

namespace exhibit {

enum class Setting {
  Force,             // AcquireOptions/VerifyOptions/ExportOptions::force
  Resume,            // AcquireOptions::resume
  AllowMounted,      // AcquireOptions/VerifyOptions::allow_mounted
  SectorSize,        // AcquireOptions::file_sector_size
  ChunkSectors,      // AcquireOptions::chunk_sectors
  SegmentSize,       // AcquireOptions::segment_size
  PieceSize,         // AcquireOptions::piece_size
  Threads,           // AcquireOptions::threads
  QueueDepth,        // AcquireOptions::queue_depth
  ReadSize,          // AcquireOptions::read_size
  CaseNumber,        // AcquireOptions::metadata.case_number
  EvidenceNumber,    // AcquireOptions::metadata.evidence_number
  Examiner,          // AcquireOptions::metadata.examiner
  Description,       // AcquireOptions::metadata.description
  Notes,             // AcquireOptions::metadata.notes
  SignKey,           // AcquireOptions::sign_key
  SignCert,          // AcquireOptions::sign_cert
  Report,            // AcquireOptions/VerifyOptions::report
  Trust,             // VerifyOptions::trust_pem
  PublicKey,         // VerifyOptions::pubkey_pem
  RequireSignature,  // VerifyOptions::require_signature
  Offset,            // ExportOptions::offset
  Length,            // ExportOptions::length
};

// The options field that holds a setting: "chunk_sectors", "metadata.examiner", "trust_pem".
const char* setting_field(Setting s);

// How messages name settings from now on. Install it once, before the first job starts (it is
// read, never locked, by every message the library builds). nullptr restores the default, the
// field name in backquotes ("`force`").
using SettingWording = std::string (*)(Setting);
void set_setting_wording(SettingWording wording);

// A setting as messages name it under the installed wording.
std::string setting_text(Setting s);

}  // namespace exhibit

// After the record is written: its signature (when a key was given) and an RFC 3161 timestamp
// request, each saved atomically beside it; and verify's check of them.
#pragma once

#include <string>

#include "core/output_set.hpp"
#include "exhibit/error.hpp"
#include "report/signing.hpp"

namespace exhibit::core {

struct SealedRecord {
  std::string signature_file;  // "" when unsigned
  std::string timestamp_request_file;
};

// `record_text` is the record's exact bytes; `signer` may be null. The files are written through `env`.
Result<SealedRecord> seal_record(const std::string& record_text, const OutputSet& out, const report::Signer* signer,
                                 io::Env& env = io::posix_env());

// Verify's side: checks every signature and timestamp response lying beside the record of the
// image BASE (report.record_file) with `keys`, into report.signatures, problems and notes.
void check_seal(const std::string& base, const VerifyOptions& keys, VerifyReport& report);

}  // namespace exhibit::core

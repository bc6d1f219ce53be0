#include "core/record_seal.hpp"

#include <unistd.h>

#include <algorithm>

#include "report/record.hpp"
#include "util/bounded_input.hpp"

namespace exhibit::core {

Result<SealedRecord> seal_record(const std::string& record_text, const OutputSet& out, const report::Signer* signer) {
  SealedRecord sealed;
  if (signer != nullptr) {
    const bool cms = signer->has_certificate();
    EXHIBIT_TRY(std::string signature, cms ? signer->sign_cms(record_text) : signer->sign_plain(record_text));
    sealed.signature_file = cms ? out.cms_signature_path() : out.plain_signature_path();
    EXHIBIT_CHECK(report::write_file_atomically(sealed.signature_file, signature));
  }
  EXHIBIT_TRY(std::string request, report::timestamp_request(record_text));
  sealed.timestamp_request_file = out.timestamp_request_path();
  EXHIBIT_CHECK(report::write_file_atomically(sealed.timestamp_request_file, request));
  return sealed;
}

void check_seal(const std::string& base, const VerifyOptions& keys, VerifyReport& report) {
  const OutputSet out(base);
  auto exists = [](const std::string& p) { return ::access(p.c_str(), F_OK) == 0; };
  if (report.record_file.empty()) {
    if (!keys.trust_pem.empty() || !keys.pubkey_pem.empty()) {
      report.problems.push_back("there is no record beside the image whose signature could be checked");
    }
    return;
  }
  auto text = util::read_small_file(report.record_file, "record");
  if (!text) {
    report.problems.push_back("cannot check the record's signatures: " + text.error().message());
    return;
  }
  const std::string& data = *text;
  const std::string p7s = out.cms_signature_path();
  const std::string sig = out.plain_signature_path();
  const std::string tsq = out.timestamp_request_path();
  const std::string tsr = base + ".manifest.tsr";
  if (exists(p7s)) report.signatures.push_back(report::verify_cms(report.record_file, data, p7s, keys.trust_pem));
  if (exists(sig)) {
    if (!keys.pubkey_pem.empty()) {
      report.signatures.push_back(report::verify_plain(report.record_file, data, sig, keys.pubkey_pem));
    } else {
      report.notes.push_back(sig + " was not checked: give --pubkey with the signer's public key");
    }
  } else if (!keys.pubkey_pem.empty()) {
    report.problems.push_back("--pubkey was given but there is no signature " + sig);
  }
  if (exists(tsr)) {
    if (exists(tsq)) {
      report.signatures.push_back(report::verify_timestamp(data, tsq, tsr, keys.trust_pem));
    } else {
      report.problems.push_back("the timestamp response " + tsr + " has no request " + tsq + " beside it");
    }
  }
  if (!keys.trust_pem.empty() && !exists(p7s) && !exists(tsr)) {
    report.problems.push_back("--trust was given but there is neither a CMS signature nor a timestamp response");
  }
  // A deleted signature must not pass as an unsigned record that happens to verify: whoever
  // expects a signed record says so, and then only a valid, checked signature passes.
  if (keys.require_signature) {
    const bool signed_ok = std::any_of(report.signatures.begin(), report.signatures.end(), [](const SignatureCheck& c) {
      return c.valid && c.what != "timestamp";
    });
    if (!signed_ok) report.problems.push_back("--require-signature: the record has no valid, checked signature");
  }
  if (!exists(p7s) && !exists(sig)) report.notes.push_back("the record is not signed");

}

}  // namespace exhibit::core

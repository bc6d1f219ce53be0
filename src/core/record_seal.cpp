#include "core/record_seal.hpp"

#include <unistd.h>

#include <algorithm>

#include "exhibit/setting.hpp"
#include "report/record.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::core {

Result<SealedRecord> seal_record(const std::string& record_text, const OutputSet& out, const report::Signer* signer,
                                 io::Env& env) {
  SealedRecord sealed;
  if (signer != nullptr) {
    const bool cms = signer->has_certificate();
    EXHIBIT_TRY(std::string signature, cms ? signer->sign_cms(record_text) : signer->sign_plain(record_text));
    sealed.signature_file = cms ? out.cms_signature_path() : out.plain_signature_path();
    EXHIBIT_CHECK(report::write_file_atomically(sealed.signature_file, signature, env));
  }
  EXHIBIT_TRY(std::string request, report::timestamp_request(record_text));
  sealed.timestamp_request_file = out.timestamp_request_path();
  EXHIBIT_CHECK(report::write_file_atomically(sealed.timestamp_request_file, request, env));
  return sealed;
}

namespace {

// "" when one signature of the record was checked and is valid: a CMS signature with its
// certificate chain checked against --trust, a plain one against --pubkey. Otherwise why not.
// Anyone can make a certificate, so a CMS signature that matches the record proves nothing
// until its chain leads to a certificate the examiner trusts.
std::string unchecked_signature_reason(const std::vector<SignatureCheck>& checks, const std::string& p7s,
                                       const std::string& sig) {
  std::vector<std::string> reasons;
  for (const auto& c : checks) {
    if (c.what == "timestamp") continue;
    if (c.valid && c.chain_checked) return "";
    const std::string name = util::file_name(c.file);
    if (!c.valid) {
      reasons.push_back(name + ": " + c.detail);
    } else {
      reasons.push_back(name + " matches the record, but its certificate was not checked: give " +
                        setting_text(Setting::Trust) + " CA.pem");
    }
  }
  if (!sig.empty() &&
      std::none_of(checks.begin(), checks.end(), [&](const SignatureCheck& c) { return c.file == sig; })) {
    reasons.push_back(util::file_name(sig) + " was not checked: give " + setting_text(Setting::PublicKey) + " KEY.pem");
  }
  if (p7s.empty() && sig.empty()) reasons.push_back("the record is not signed");
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

}  // namespace

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
      report.notes.push_back(sig + " was not checked: give " + setting_text(Setting::PublicKey) +
                             " with the signer's public key");
    }
  } else if (!keys.pubkey_pem.empty()) {
    report.problems.push_back(setting_text(Setting::PublicKey) + " was given but there is no signature " + sig);
  }
  if (exists(tsr)) {
    if (exists(tsq)) {
      report.signatures.push_back(report::verify_timestamp(data, tsq, tsr, keys.trust_pem));
    } else {
      report.problems.push_back("the timestamp response " + tsr + " has no request " + tsq + " beside it");
    }
  }
  if (!keys.trust_pem.empty() && !exists(p7s) && !exists(tsr)) {
    report.problems.push_back(setting_text(Setting::Trust) +
                              " was given but there is neither a CMS signature nor a timestamp response");
  }
  // A deleted signature must not pass as an unsigned record that happens to verify: whoever
  // expects a signed record says so, and then only a valid, checked signature passes.
  if (keys.require_signature) {
    const std::string why = unchecked_signature_reason(report.signatures, exists(p7s) ? p7s : "",
                                                       exists(sig) ? sig : "");
    if (!why.empty())
      report.problems.push_back(setting_text(Setting::RequireSignature) +
                                ": the record has no valid, checked signature: " + why);
  }
  if (!exists(p7s) && !exists(sig)) report.notes.push_back("the record is not signed");
}

}  // namespace exhibit::core

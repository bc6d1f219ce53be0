// Signing the record (OpenSSL): a detached CMS signature that `openssl cms -verify` checks, or
// without a certificate a plain signature that `openssl pkeyutl -verify` checks; and an RFC 3161
// timestamp request for any timestamp authority. Keys: RSA, ECDSA, Ed25519 (PEM, unencrypted).
#pragma once

#include <memory>
#include <string>

#include "exhibit/error.hpp"
#include "exhibit/verify.hpp"

namespace exhibit::report {

class Signer {
 public:
  // Loads and checks the key (and certificate, which must belong to the key) before any work
  // starts, so a bad key fails in a second, not after the acquisition. Usage errors are
  // InvalidArgument.
  static Result<Signer> load(const std::string& key_pem, const std::string& cert_pem);
  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;
  ~Signer();

  bool has_certificate() const;
  std::string key_type() const;         // "RSA 3072", "EC prime256v1", "ED25519"
  std::string key_fingerprint() const;  // SHA-256 of the public key (DER SubjectPublicKeyInfo), hex
  std::string certificate_subject() const;

  // Detached CMS SignedData over `data` (DER, signer certificate included).
  Result<std::string> sign_cms(const std::string& data) const;
  // The bare signature over `data`: SHA-256 with RSA PKCS#1 v1.5 or ECDSA, Ed25519 as is.
  Result<std::string> sign_plain(const std::string& data) const;

 private:
  struct Impl;
  explicit Signer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// An RFC 3161 TimeStampReq (DER) for the SHA-256 of `data`, asking for the TSA's certificate,
// with a random nonce.
Result<std::string> timestamp_request(const std::string& data);

// `data` is the bytes of the record at `record_path` (named in the repeat command).
// Checks BASE.manifest.json.p7s against the record bytes; with `trust_pem` ("" for none) the
// signer's certificate chain too.
SignatureCheck verify_cms(const std::string& record_path, const std::string& data, const std::string& p7s_path,
                          const std::string& trust_pem);
// Checks a plain signature with the public key in `pubkey_pem`.
SignatureCheck verify_plain(const std::string& record_path, const std::string& data, const std::string& sig_path,
                            const std::string& pubkey_pem);
// Checks an RFC 3161 response: granted, for these bytes, answering the request in `tsq_path`
// (nonce), and with `trust_pem` signed by a trusted TSA.
SignatureCheck verify_timestamp(const std::string& data, const std::string& tsq_path, const std::string& tsr_path,
                                const std::string& trust_pem);

}  // namespace exhibit::report

#include "report/signing.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "exhibit/setting.hpp"
#include "util/text.hpp"

namespace exhibit::report {

namespace {

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using BioPtr = std::unique_ptr<BIO, Free<BIO, BIO_free_all>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Free<X509, X509_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Free<CMS_ContentInfo, CMS_ContentInfo_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX, EVP_MD_CTX_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Free<X509_STORE, X509_STORE_free>>;
using TsReqPtr = std::unique_ptr<TS_REQ, Free<TS_REQ, TS_REQ_free>>;
using TsRespPtr = std::unique_ptr<TS_RESP, Free<TS_RESP, TS_RESP_free>>;
using TsCtxPtr = std::unique_ptr<TS_VERIFY_CTX, Free<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;

// The most recent OpenSSL error, as text, and the queue emptied.
std::string openssl_error() {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

int refuse_passphrase(char*, int, int, void*) { return -1; }  // encrypted keys are not prompted for

BioPtr memory_bio(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

Result<std::string> bio_contents(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  if (n < 0) return Error(ErrorCode::Io, "OpenSSL: " + openssl_error());
  return std::string(p, static_cast<size_t>(n));
}

// Ed25519 and Ed448 sign the message itself; the others a SHA-256 digest of it.
const EVP_MD* message_digest_for(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? nullptr : EVP_sha256();
}

std::string sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};  // never matches
  return std::string(reinterpret_cast<char*>(md), len);
}

StorePtr load_store(const std::string& trust_pem, std::string& why) {
  StorePtr store(X509_STORE_new());
  if (!store || X509_STORE_load_file(store.get(), trust_pem.c_str()) != 1) {
    why = "cannot read trusted certificates from " + trust_pem + ": " + openssl_error();
    return nullptr;
  }
  return store;
}

std::string subject_of(X509* cert) {
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof(buf));
  return util::sanitize_for_terminal(buf);
}

}  // namespace

struct Signer::Impl {
  KeyPtr key;
  CertPtr cert;
};

Signer::Signer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

Result<Signer> Signer::load(const std::string& key_pem, const std::string& cert_pem) {
  auto impl = std::make_unique<Impl>();
  BioPtr kb(BIO_new_file(key_pem.c_str(), "r"));
  if (!kb) return Error::from_errno(ErrorCode::InvalidArgument, "signing key " + key_pem, errno);
  impl->key.reset(PEM_read_bio_PrivateKey(kb.get(), nullptr, refuse_passphrase, nullptr));
  if (!impl->key) {
    ERR_clear_error();
    return Error(ErrorCode::InvalidArgument,
                 "signing key " + key_pem + ": not an unencrypted PEM private key (RSA, EC or Ed25519)");
  }
  const int id = EVP_PKEY_get_base_id(impl->key.get());
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC && id != EVP_PKEY_ED25519 && id != EVP_PKEY_ED448) {
    return Error(ErrorCode::InvalidArgument,
                 "signing key " + key_pem + ": only RSA, EC and Ed25519/Ed448 keys are supported");
  }
  if (!cert_pem.empty()) {
    BioPtr cb(BIO_new_file(cert_pem.c_str(), "r"));
    if (!cb) return Error::from_errno(ErrorCode::InvalidArgument, "signing certificate " + cert_pem, errno);
    impl->cert.reset(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    if (!impl->cert) {
      ERR_clear_error();
      return Error(ErrorCode::InvalidArgument, "signing certificate " + cert_pem + ": not a PEM certificate");
    }
    if (X509_check_private_key(impl->cert.get(), impl->key.get()) != 1) {
      ERR_clear_error();
      return Error(ErrorCode::InvalidArgument,
                   "signing certificate " + cert_pem + " does not belong to the key " + key_pem);
    }
  }
  // A trial signature now, so a key OpenSSL cannot use this way fails before the acquisition.
  Signer signer(std::move(impl));
  auto trial = signer.has_certificate() ? signer.sign_cms("exhibit key check") : signer.sign_plain("exhibit key check");
  if (!trial && signer.has_certificate() && message_digest_for(signer.m_impl->key.get()) == nullptr) {
    return Error(ErrorCode::InvalidArgument,
                 "signing key " + key_pem + ": this OpenSSL (" + OpenSSL_version(OPENSSL_VERSION) +
                     ") cannot make CMS signatures with Ed25519/Ed448 keys; leave out " +
                     setting_text(Setting::SignCert) + " for a plain signature, or use an RSA or EC key");
  }
  if (!trial) return Error(ErrorCode::InvalidArgument, "signing key " + key_pem + ": " + trial.error().message());
  return signer;
}

bool Signer::has_certificate() const { return m_impl->cert != nullptr; }

std::string Signer::key_type() const {
  EVP_PKEY* k = m_impl->key.get();
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: return "RSA " + std::to_string(EVP_PKEY_get_bits(k));
    case EVP_PKEY_EC: {
      char group[80] = "";
      size_t len = 0;
      EVP_PKEY_get_group_name(k, group, sizeof(group), &len);
      return std::string("EC ") + group;
    }
    case EVP_PKEY_ED25519: return "ED25519";
    default: return "ED448";
  }
}

std::string Signer::key_fingerprint() const {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(m_impl->key.get(), &der);
  if (n <= 0) return "";
  std::string digest = sha256(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  return util::to_hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

std::string Signer::certificate_subject() const { return m_impl->cert ? subject_of(m_impl->cert.get()) : ""; }

Result<std::string> Signer::sign_cms(const std::string& data) const {
  if (!m_impl->cert) return Error(ErrorCode::InvalidArgument, "a CMS signature needs a certificate");
  BioPtr in = memory_bio(data);
  // Ed25519 in CMS digests with SHA-512 (RFC 8419); RSA and ECDSA with SHA-256.
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL;
  const EVP_MD* md = message_digest_for(m_impl->key.get()) == nullptr ? EVP_sha512() : EVP_sha256();
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!cms || CMS_add1_signer(cms.get(), m_impl->cert.get(), m_impl->key.get(), md, flags) == nullptr ||
      CMS_final(cms.get(), in.get(), nullptr, flags) != 1) {
    return Error(ErrorCode::Io, "CMS signing failed: " + openssl_error());
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (i2d_CMS_bio(out.get(), cms.get()) != 1) return Error(ErrorCode::Io, "CMS encoding failed: " + openssl_error());
  return bio_contents(out.get());
}

Result<std::string> Signer::sign_plain(const std::string& data) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  const auto* msg = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, message_digest_for(m_impl->key.get()), nullptr, m_impl->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, msg, data.size()) != 1) {
    return Error(ErrorCode::Io, "signing failed: " + openssl_error());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg, data.size()) != 1) {
    return Error(ErrorCode::Io, "signing failed: " + openssl_error());
  }
  sig.resize(len);
  return sig;
}

Result<std::string> timestamp_request(const std::string& data) {
  TsReqPtr req(TS_REQ_new());
  std::unique_ptr<TS_MSG_IMPRINT, Free<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>> imprint(TS_MSG_IMPRINT_new());
  std::unique_ptr<X509_ALGOR, Free<X509_ALGOR, X509_ALGOR_free>> algorithm(X509_ALGOR_new());
  std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>> bn(BN_new());
  if (!req || !imprint || !algorithm || !bn) return Error(ErrorCode::Io, "out of memory");
  std::string digest = sha256(data);
  if (digest.size() != 32) return Error(ErrorCode::Io, "SHA-256 of the record failed: " + openssl_error());
  std::unique_ptr<ASN1_INTEGER, Free<ASN1_INTEGER, ASN1_INTEGER_free>> nonce;
  bool ok = TS_REQ_set_version(req.get(), 1) == 1 &&
            X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) == 1 &&
            TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) == 1 &&
            TS_MSG_IMPRINT_set_msg(imprint.get(), reinterpret_cast<unsigned char*>(digest.data()),
                                   static_cast<int>(digest.size())) == 1 &&
            TS_REQ_set_msg_imprint(req.get(), imprint.get()) == 1 &&
            BN_rand(bn.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1;
  if (ok) {
    nonce.reset(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    ok = nonce && TS_REQ_set_nonce(req.get(), nonce.get()) == 1 && TS_REQ_set_cert_req(req.get(), 1) == 1;
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!ok || !out || i2d_TS_REQ_bio(out.get(), req.get()) != 1) {
    return Error(ErrorCode::Io, "making the timestamp request failed: " + openssl_error());
  }
  return bio_contents(out.get());
}

SignatureCheck verify_cms(const std::string& record_path, const std::string& data, const std::string& p7s_path,
                          const std::string& trust_pem) {
  SignatureCheck c{"CMS signature", p7s_path, false, !trust_pem.empty(), "", ""};
  c.repeat = "openssl cms -verify -binary -inform DER -in " + util::shell_quote(p7s_path) + " -content " +
             util::shell_quote(record_path) + " -out /dev/null " +
             (trust_pem.empty() ? std::string("-noverify") : "-CAfile " + util::shell_quote(trust_pem));
  BioPtr in(BIO_new_file(p7s_path.c_str(), "rb"));
  CmsPtr cms(in ? d2i_CMS_bio(in.get(), nullptr) : nullptr);
  if (!cms) {
    c.detail = "not a readable DER CMS signature: " + openssl_error();
    return c;
  }
  StorePtr store;
  if (!trust_pem.empty() && !(store = load_store(trust_pem, c.detail))) return c;
  BioPtr content = memory_bio(data);
  const unsigned flags = CMS_BINARY | (store ? 0 : CMS_NO_SIGNER_CERT_VERIFY);
  if (CMS_verify(cms.get(), nullptr, store.get(), content.get(), nullptr, flags) != 1) {
    const std::string why = openssl_error();
    // A signature that matches the record but whose certificate is not trusted (anyone can make
    // one) is told apart from one that does not match.
    BioPtr again = memory_bio(data);
    const bool matches = store && CMS_verify(cms.get(), nullptr, nullptr, again.get(), nullptr,
                                             CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    ERR_clear_error();
    c.detail = matches ? "matches the record, but its certificate does not lead to one in " + trust_pem + ": " + why
                       : "does not match the record: " + why;
    return c;
  }
  c.valid = true;
  STACK_OF(X509)* signers = CMS_get0_signers(cms.get());
  if (signers != nullptr && sk_X509_num(signers) > 0) c.detail = "signed by " + subject_of(sk_X509_value(signers, 0));
  sk_X509_free(signers);
  // Without a trust anchor anyone could have made that certificate: say so with the name.
  if (trust_pem.empty())
    c.detail += std::string(c.detail.empty() ? "" : ", ") + "certificate NOT checked: give " +
                setting_text(Setting::Trust);
  return c;
}

SignatureCheck verify_plain(const std::string& record_path, const std::string& data, const std::string& sig_path,
                            const std::string& pubkey_pem) {
  SignatureCheck c{"signature", sig_path, false, true, "", ""};
  BioPtr kb(BIO_new_file(pubkey_pem.c_str(), "r"));
  KeyPtr key(kb ? PEM_read_bio_PUBKEY(kb.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    c.detail = "cannot read the public key " + pubkey_pem + ": " + openssl_error();
    return c;
  }
  BioPtr sb(BIO_new_file(sig_path.c_str(), "rb"));
  if (!sb) {
    c.detail = "cannot read " + sig_path + ": " + openssl_error();
    return c;
  }
  std::string sig;
  char buf[4096];
  for (int n; sb && (n = BIO_read(sb.get(), buf, sizeof(buf))) > 0;) sig.append(buf, static_cast<size_t>(n));
  c.repeat = "openssl pkeyutl -verify -pubin -inkey " + util::shell_quote(pubkey_pem) + " -rawin -in " +
             util::shell_quote(record_path) + " -sigfile " + util::shell_quote(sig_path) +
             (message_digest_for(key.get()) != nullptr ? " -digest sha256" : "");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, message_digest_for(key.get()), nullptr, key.get()) != 1) {
    c.detail = "cannot use the public key: " + openssl_error();
    return c;
  }
  c.valid = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();
  c.detail = c.valid ? "made with the private key of " + pubkey_pem : "does not match the record and that key";
  return c;
}

SignatureCheck verify_timestamp(const std::string& data, const std::string& tsq_path, const std::string& tsr_path,
                                const std::string& trust_pem) {
  SignatureCheck c{"timestamp", tsr_path, false, !trust_pem.empty(), "", ""};
  if (!trust_pem.empty()) {
    c.repeat = "openssl ts -verify -queryfile " + util::shell_quote(tsq_path) + " -in " + util::shell_quote(tsr_path) +
               " -CAfile " + util::shell_quote(trust_pem);
  }
  BioPtr qb(BIO_new_file(tsq_path.c_str(), "rb"));
  TsReqPtr req(qb ? d2i_TS_REQ_bio(qb.get(), nullptr) : nullptr);
  BioPtr rb(BIO_new_file(tsr_path.c_str(), "rb"));
  TsRespPtr resp(rb ? d2i_TS_RESP_bio(rb.get(), nullptr) : nullptr);
  if (!req || !resp) {
    c.detail = std::string("cannot read the ") + (!req ? "request " + tsq_path : "response " + tsr_path);
    ERR_clear_error();
    return c;
  }
  // The request must be for this record as it is now.
  ASN1_OCTET_STRING* asked = TS_MSG_IMPRINT_get_msg(TS_REQ_get_msg_imprint(req.get()));
  if (std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(asked)), ASN1_STRING_length(asked)) !=
      sha256(data)) {
    c.detail = "the request " + tsq_path + " is not for this record";
    return c;
  }
  TsCtxPtr ctx(TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  if (!ctx) {
    c.detail = openssl_error();
    return c;
  }
  if (!trust_pem.empty()) {
    StorePtr store = load_store(trust_pem, c.detail);
    if (!store) return c;
    TS_VERIFY_CTX_set_store(ctx.get(), store.release());  // the context owns it
    TS_VERIFY_CTX_add_flags(ctx.get(), TS_VFY_SIGNATURE);
  }
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    c.detail = "does not answer the request for this record: " + openssl_error();
    return c;
  }
  c.valid = true;
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  const ASN1_GENERALIZEDTIME* t = info ? TS_TST_INFO_get_time(info) : nullptr;
  if (t != nullptr) {
    // GeneralizedTime "YYYYMMDDhhmmss[.fff]Z" shown as ISO 8601.
    std::string g(reinterpret_cast<const char*>(ASN1_STRING_get0_data(t)), static_cast<size_t>(ASN1_STRING_length(t)));
    if (g.size() >= 15 && g.back() == 'Z') {
      g = g.substr(0, 4) + "-" + g.substr(4, 2) + "-" + g.substr(6, 2) + "T" + g.substr(8, 2) + ":" + g.substr(10, 2) +
          ":" + g.substr(12);
    }
    c.detail = "time " + util::sanitize_for_terminal(g);
  }
  if (trust_pem.empty()) {
    c.detail += std::string(c.detail.empty() ? "" : ", ") +
                "answers the request for this record, but the TSA's "
                "signature was NOT checked: give " +
                setting_text(Setting::Trust);
  }
  return c;
}

}  // namespace exhibit::report

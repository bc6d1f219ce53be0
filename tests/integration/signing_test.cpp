// Signing the record: CMS with a test CA's certificate (openssl cms -verify), a plain signature
// (openssl pkeyutl -verify) for RSA, ECDSA and Ed25519 keys, and an RFC 3161 timestamp from a
// test TSA made with openssl ts. Each is checked by verify and by the command verify prints, and
// both reject the record after one byte changes.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <sstream>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

// A test PKI in `dir`: ca.pem/ca.key, and for each key type KIND (rsa, ec, ed25519) KIND.key,
// KIND.pub and KIND.pem (a certificate from the CA); tsa.pem/tsa.key/tsa.cnf for openssl ts.
void make_pki(const std::string& dir) {
  const std::string d = sh_quote(dir);
  auto must = [](const std::string& cmd) {
    auto r = run(cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  };
  must("cd " + d +
       " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj '/CN=Test Lab CA'"
       " -days 30 -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign");
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"},
      {"ec", "-algorithm EC -pkeyopt ec_paramgen_curve:prime256v1"},
      {"ed25519", "-algorithm ED25519"}};
  for (const auto& [kind, args] : kinds) {
    must("cd " + d + " && openssl genpkey " + args + " -out " + kind + ".key && openssl pkey -in " + kind +
         ".key -pubout -out " + kind + ".pub && openssl req -new -key " + kind + ".key -subj '/CN=Examiner " + kind +
         "' -out " + kind + ".csr && openssl x509 -req -in " + kind +
         ".csr -CA ca.pem -CAkey ca.key -CAcreateserial"
         " -days 30 -out " +
         kind + ".pem");
  }
  write_file(dir + "/tsa.cnf", "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = " + dir +
                                   "/tsa.serial\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"
                                   "ess_cert_id_alg = sha256\n[ tsa_ext ]\nbasicConstraints = CA:false\n"
                                   "extendedKeyUsage = critical,timeStamping\n");
  write_file(dir + "/tsa.serial", "01\n");
  must("cd " + d +
       " && openssl req -newkey rsa:2048 -nodes -keyout tsa.key -subj '/CN=Test TSA' -out tsa.csr &&"
       " openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out tsa.pem"
       " -extfile tsa.cnf -extensions tsa_ext");
}

CommandResult run_exhibit(const std::string& args) { return run(sh_quote(exhibit_bin()) + " " + args); }

// The printed command that starts with `prefix`, run in `dir`.
CommandResult run_printed(const std::string& verify_out, const std::string& prefix, const std::string& dir) {
  for (const auto& c : repeat_commands(verify_out)) {
    if (c.rfind(prefix, 0) == 0) return run("cd " + sh_quote(dir) + " && " + c);
  }
  ADD_FAILURE() << "verify printed no '" << prefix << "' command:\n" << verify_out;
  return {};
}

// One byte of the record changed in place (the size stays the same): "exhibit-manifest" -> "Exhibit-manifest".
void flip_one_byte(const std::string& path) {
  std::string text = read_file(path);
  const auto at = text.find("\"exhibit-manifest\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 1] = 'E';
  write_file(path, text);
}

// Changes one byte of x.manifest.json in `dir`; then verify (with `keys`) must fail saying
// `verdict`, and the printed command starting with `printed` must fail too. Returns its result.
CommandResult expect_rejected_after_one_byte(const std::string& dir, const std::string& keys,
                                             const std::string& verdict, const std::string& printed) {
  flip_one_byte(dir + "/x.manifest.json");
  auto bad = run_exhibit("verify -q " + sh_quote(dir + "/x.E01") + keys);
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find(verdict), std::string::npos) << bad.out;
  auto rejected = run_printed(bad.out, printed, dir);
  EXPECT_NE(rejected.exit_code, 0) << rejected.out << rejected.err;
  return rejected;
}

class WithPki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_pki = new TempDir;
    make_pki(s_pki->path());
  }
  static void TearDownTestSuite() {
    delete s_pki;
    s_pki = nullptr;
  }
  static std::string pki(const std::string& name) { return (*s_pki) / name; }
  static TempDir* s_pki;
};
TempDir* WithPki::s_pki = nullptr;

class CmsSigning : public WithPki, public ::testing::WithParamInterface<std::string> {};
class PlainSigning : public WithPki, public ::testing::WithParamInterface<std::string> {};
class Timestamping : public WithPki {};
class RequireSignature : public WithPki {};

}  // namespace

TEST_P(CmsSigning, WithACertificateFromATestCa) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 31));
  const std::string kind = GetParam();
  auto a = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " --sign-key " +
                       sh_quote(pki(kind + ".key")) + " --sign-cert " + sh_quote(pki(kind + ".pem")));
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ASSERT_TRUE(fs::exists(tmp / "x.manifest.json.p7s"));
  EXPECT_NE(read_file(tmp / "x.log").find("signer: /CN=Examiner " + kind), std::string::npos);
  const std::string trust = " --trust " + sh_quote(pki("ca.pem"));
  auto v = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + trust);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("x.manifest.json.p7s: VALID (signed by /CN=Examiner " + kind + ")"), std::string::npos) << v.out;
  // The stock tool agrees, as printed, and with the test CA as the only trust anchor.
  auto ok = run_printed(v.out, "openssl cms -verify", tmp.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.err.find("Verification successful"), std::string::npos) << ok.err;
  // Another CA is not trusted.
  auto other = run("cd " + sh_quote(tmp.path()) +
                   " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
                   " -nodes -keyout o.key -out other.pem -subj '/CN=Other CA' -days 1");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto untrusted = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + " --trust " + sh_quote(tmp / "other.pem"));
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out;
  EXPECT_NE(untrusted.out.find("x.manifest.json.p7s: INVALID"), std::string::npos) << untrusted.out;

  const auto rejected = expect_rejected_after_one_byte(tmp.path(), trust,
                                                       "x.manifest.json.p7s: INVALID (does not match",
                                                       "openssl cms -verify");
  EXPECT_NE(rejected.err.find("Verification failure"), std::string::npos) << rejected.err;
}

TEST_P(PlainSigning, WithoutACertificate) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 32));
  const std::string kind = GetParam();
  auto a = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " --sign-key " +
                       sh_quote(pki(kind + ".key")));
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ASSERT_TRUE(fs::exists(tmp / "x.manifest.json.sig"));
  EXPECT_FALSE(fs::exists(tmp / "x.manifest.json.p7s"));
  // Without the public key the signature is not checked, and verify says so.
  auto unchecked = run_exhibit("verify -q " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(unchecked.exit_code, 0) << unchecked.out;
  EXPECT_NE(unchecked.out.find("x.manifest.json.sig was not checked: give --pubkey"), std::string::npos)
      << unchecked.out;
  const std::string pub = " --pubkey " + sh_quote(pki(kind + ".pub"));
  auto v = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + pub);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("x.manifest.json.sig: VALID"), std::string::npos) << v.out;
  EXPECT_EQ(run_exhibit("verify -q --require-signature " + sh_quote(tmp / "x.E01") + pub).exit_code, 0);
  // The signature deleted: an unsigned record verifies as such, but not when a signature is required.
  fs::rename(tmp / "x.manifest.json.sig", tmp / "sig.bak");
  auto unsigned_ok = run_exhibit("verify -q " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(unsigned_ok.exit_code, 0) << unsigned_ok.out;
  EXPECT_NE(unsigned_ok.out.find("the record is not signed"), std::string::npos) << unsigned_ok.out;
  auto required = run_exhibit("verify -q --require-signature " + sh_quote(tmp / "x.E01"));
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_NE(required.out.find("--require-signature: the record has no valid, checked signature"), std::string::npos);
  fs::rename(tmp / "sig.bak", tmp / "x.manifest.json.sig");
  auto ok = run_printed(v.out, "openssl pkeyutl -verify", tmp.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("Signature Verified Successfully"), std::string::npos) << ok.out << ok.err;
  // Another signer's public key does not verify it.
  auto wrong = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + " --pubkey " +
                           sh_quote(pki((kind == "rsa" ? "ec" : "rsa") + std::string(".pub"))));
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;

  expect_rejected_after_one_byte(tmp.path(), pub, "x.manifest.json.sig: INVALID", "openssl pkeyutl -verify");
}

// --require-signature passes only a signature that was checked: a CMS signature whose chain leads
// to --trust, a plain one made with the key of --pubkey. Anyone can rewrite the record and sign it
// with a certificate of their own making.
TEST_F(RequireSignature, OnlyACheckedSignaturePasses) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 36));
  auto a = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " --sign-key " +
                       sh_quote(pki("rsa.key")) + " --sign-cert " + sh_quote(pki("rsa.pem")));
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  const std::string image = " " + sh_quote(tmp / "x.E01");
  const std::string trust = " --trust " + sh_quote(pki("ca.pem"));
  EXPECT_EQ(run_exhibit("verify -q --require-signature" + image + trust).exit_code, 0);
  auto unchecked = run_exhibit("verify -q --require-signature" + image);
  EXPECT_EQ(unchecked.exit_code, 1) << unchecked.out;
  EXPECT_NE(unchecked.out.find("--require-signature: the record has no valid, checked signature: x.manifest.json.p7s "
                               "matches the record, but its certificate was not checked: give --trust CA.pem"),
            std::string::npos)
      << unchecked.out;

  // The attacker's record, signed with a self-made certificate in the examiner's name.
  const std::string d = sh_quote(tmp.path());
  std::string record = read_file(tmp / "x.manifest.json");
  const auto os = record.find("\"os\": \"");
  ASSERT_NE(os, std::string::npos);
  record.insert(os + 7, "forged ");
  write_file(tmp / "x.manifest.json", record);
  auto forged = run("cd " + d +
                    " && openssl req -x509 -newkey rsa:2048 -nodes -keyout evil.key -out evil.pem"
                    " -subj '/CN=Examiner rsa' -days 1 && openssl cms -sign -binary -outform DER -in x.manifest.json"
                    " -signer evil.pem -inkey evil.key -out x.manifest.json.p7s");
  ASSERT_EQ(forged.exit_code, 0) << forged.err;
  // Without --require-signature it is reported as it always was: matching, its certificate not checked.
  auto plain_verify = run_exhibit("verify -q" + image);
  EXPECT_EQ(plain_verify.exit_code, 0) << plain_verify.out;
  EXPECT_NE(plain_verify.out.find("certificate NOT checked: give --trust"), std::string::npos) << plain_verify.out;
  auto no_trust = run_exhibit("verify -q --require-signature" + image);
  EXPECT_EQ(no_trust.exit_code, 1) << no_trust.out;
  EXPECT_NE(no_trust.out.find("its certificate was not checked: give --trust CA.pem"), std::string::npos)
      << no_trust.out;
  auto wrong_chain = run_exhibit("verify -q --require-signature" + image + trust);
  EXPECT_EQ(wrong_chain.exit_code, 1) << wrong_chain.out;
  const std::string chain_fails =
      "x.manifest.json.p7s: matches the record, but its certificate does not lead to one "
      "in " +
      pki("ca.pem");
  EXPECT_NE(wrong_chain.out.find("problem              --require-signature: the record has no valid, checked "
                                 "signature: " +
                                 chain_fails),
            std::string::npos)
      << wrong_chain.out;
  EXPECT_NE(run("cd " + d +
                " && openssl cms -verify -binary -inform DER -in x.manifest.json.p7s -content "
                "x.manifest.json -out /dev/null -CAfile " +
                sh_quote(pki("ca.pem")))
                .exit_code,
            0)
      << "openssl agrees";

  // A plain signature: only with the signer's public key.
  auto p = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "y") + " --sign-key " +
                       sh_quote(pki("ec.key")));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const std::string y = " " + sh_quote(tmp / "y.E01");
  EXPECT_EQ(run_exhibit("verify -q --require-signature" + y + " --pubkey " + sh_quote(pki("ec.pub"))).exit_code, 0);
  auto no_key = run_exhibit("verify -q --require-signature" + y);
  EXPECT_EQ(no_key.exit_code, 1) << no_key.out;
  EXPECT_NE(no_key.out.find("y.manifest.json.sig was not checked: give --pubkey KEY.pem"), std::string::npos)
      << no_key.out;
  auto other_key = run_exhibit("verify -q --require-signature" + y + " --pubkey " + sh_quote(pki("rsa.pub")));
  EXPECT_EQ(other_key.exit_code, 1) << other_key.out;
  EXPECT_NE(other_key.out.find(
                "no valid, checked signature: y.manifest.json.sig: does not match the record and that key"),
            std::string::npos)
      << other_key.out;
}

INSTANTIATE_TEST_SUITE_P(Keys, CmsSigning, ::testing::Values("rsa", "ec"), [](const auto& p) { return p.param; });
INSTANTIATE_TEST_SUITE_P(Keys, PlainSigning, ::testing::Values("rsa", "ec", "ed25519"),
                         [](const auto& p) { return p.param; });

// OpenSSL 3.0 (Debian 12) cannot put an Ed25519 signature in CMS (its own `openssl cms -sign`
// fails the same way); exhibit says so before reading anything. A newer OpenSSL signs, and then
// the signature must verify.
TEST_F(Timestamping, Ed25519CmsIsRefusedUpFrontOrVerifies) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 35));
  auto a = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " --sign-key " +
                       sh_quote(pki("ed25519.key")) + " --sign-cert " + sh_quote(pki("ed25519.pem")));
  auto cli = run("cd " + sh_quote(tmp.path()) + " && openssl cms -sign -binary -outform DER -in src.bin -signer " +
                 sh_quote(pki("ed25519.pem")) + " -inkey " + sh_quote(pki("ed25519.key")) + " -out /dev/null");
  if (cli.exit_code != 0) {
    EXPECT_EQ(a.exit_code, 2) << a.out << a.err;
    EXPECT_EQ(line_count(a.err), 1u) << a.err;
    EXPECT_NE(a.err.find("cannot make CMS signatures with Ed25519/Ed448 keys"), std::string::npos) << a.err;
    EXPECT_FALSE(fs::exists(tmp / "x.log"));
  } else {
    ASSERT_EQ(a.exit_code, 0) << a.err;
    auto v = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + " --trust " + sh_quote(pki("ca.pem")));
    EXPECT_EQ(v.exit_code, 0) << v.out;
  }
}

TEST_F(Timestamping, ResponseFromATestTsa) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 33));
  auto a = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x"));
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  const std::string tsq = tmp / "x.manifest.tsq";
  ASSERT_TRUE(fs::exists(tsq));
  // The request is for the SHA-256 of the record, as openssl's ASN.1 parser reads it, and asks
  // for the TSA's certificate.
  auto parsed = run("openssl asn1parse -inform DER -in " + sh_quote(tsq));
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  std::string upper = digest_of("sha256sum", tmp / "x.manifest.json");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_NE(parsed.out.find("OCTET STRING      [HEX DUMP]:" + upper), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find(":sha256"), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find("BOOLEAN           :255"), std::string::npos) << parsed.out;

  auto reply = run("openssl ts -reply -config " + sh_quote(pki("tsa.cnf")) + " -queryfile " + sh_quote(tsq) +
                   " -inkey " + sh_quote(pki("tsa.key")) + " -signer " + sh_quote(pki("tsa.pem")) + " -out " +
                   sh_quote(tmp / "x.manifest.tsr"));
  ASSERT_EQ(reply.exit_code, 0) << reply.err;
  const std::string trust = " --trust " + sh_quote(pki("ca.pem"));
  auto v = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + trust);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("x.manifest.tsr: VALID (time 20"), std::string::npos) << v.out;
  auto ok = run_printed(v.out, "openssl ts -verify", tmp.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("Verification: OK"), std::string::npos) << ok.out;

  flip_one_byte(tmp / "x.manifest.json");
  auto bad = run_exhibit("verify -q " + sh_quote(tmp / "x.E01") + trust);
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("x.manifest.tsr: INVALID (the request"), std::string::npos) << bad.out;
  // openssl checks the response against the changed record itself and fails too.
  auto rejected = run("cd " + sh_quote(tmp.path()) +
                      " && openssl ts -verify -data x.manifest.json -in x.manifest.tsr"
                      " -CAfile " +
                      sh_quote(pki("ca.pem")));
  EXPECT_NE(rejected.exit_code, 0) << rejected.out;
}

TEST(SigningInput, BadKeysFailBeforeAnythingIsRead) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(1 << 20, 34));
  write_file(tmp / "not-a-key.pem", "hello\n");
  auto r = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") + " --sign-key " +
                       sh_quote(tmp / "not-a-key.pem"));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("not an unencrypted PEM private key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "x.log"));
  // A certificate that belongs to another key.
  ASSERT_EQ(run("cd " + sh_quote(tmp.path()) +
                " && openssl genpkey -algorithm ED25519 -out a.key && openssl genpkey"
                " -algorithm ED25519 -out b.key && openssl req -x509 -key b.key -subj /CN=b -days 1 -out b.pem")
                .exit_code,
            0);
  auto mismatch = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") +
                              " --sign-key " + sh_quote(tmp / "a.key") + " --sign-cert " + sh_quote(tmp / "b.pem"));
  EXPECT_EQ(mismatch.exit_code, 2) << mismatch.err;
  EXPECT_NE(mismatch.err.find("does not belong to the key"), std::string::npos) << mismatch.err;
  EXPECT_FALSE(fs::exists(tmp / "x.log"));
  auto cert_only = run_exhibit("acquire -q " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(tmp / "x") +
                               " --sign-cert " + sh_quote(tmp / "b.pem"));
  EXPECT_EQ(cert_only.exit_code, 2) << cert_only.err;
}

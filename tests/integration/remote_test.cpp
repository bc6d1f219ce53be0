// Acquisition over the network (issue 18), on loopback only: `exhibit serve` on a loop device and
// `exhibit acquire nbds://...` from it; refused connections; a server stopped mid-acquisition and
// --resume after it is started again; bad sectors served by nbdkit's ddrescue filter over TLS.
#include <gtest/gtest.h>

#include "oracles.hpp"
#include "remote_rig.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

namespace {

bool have_remote_rig() { return have_loop_devices() && have_tool("nbdkit") && have_tool("blockdev"); }

std::string getro(const std::string& device) {
  auto r = run("blockdev --getro " + sh_quote(device));
  return r.out.substr(0, r.out.find('\n'));
}

}  // namespace

TEST(RemoteAcquire, ServedLoopDeviceOverTlsEqualsTheDeviceAndIsGivenBack) {
  if (!have_remote_rig()) GTEST_SKIP() << "needs root, loop devices, nbdkit";
  TempDir tmp;
  const std::string file = tmp / "disk.img";
  write_file(file, random_bytes(20 << 20, 18));
  const std::string before = digest_of("sha256sum", file);
  LoopDevice loop(file, /*read_only=*/false);
  ASSERT_TRUE(loop.ok());
  ASSERT_EQ(getro(loop.path()), "0");
  const std::string base = tmp / "remote";
  {
    ServeRig serve(loop.path(), tmp.path());
    ASSERT_TRUE(serve.ready()) << read_file(serve.output_file());
    EXPECT_EQ(getro(loop.path()), "1") << "serving without the kernel's read-only flag";
    EXPECT_EQ(serve.uri().rfind("nbds://127.0.0.1:", 0), 0u) << serve.uri();

    // A wrong key: refused in one line, exit 2, nothing written.
    write_psk_file(tmp / "other-key.psk");
    auto wrong = run(sh_quote(exhibit_bin()) + " acquire " + serve.uri() + " --tls-psk " +
                     sh_quote(tmp / "other-key.psk") + " -o " + sh_quote(tmp / "wrong") + " -q");
    EXPECT_EQ(wrong.exit_code, 2) << wrong.out << wrong.err;
    EXPECT_NE(wrong.err.find("TLS handshake"), std::string::npos) << wrong.err;
    EXPECT_EQ(std::count(wrong.err.begin(), wrong.err.end(), '\n'), 1) << wrong.err;
    EXPECT_FALSE(run("ls " + sh_quote(tmp.path()) + " | grep -q '^wrong\\.'").exit_code == 0);

    auto r = run(sh_quote(exhibit_bin()) + " acquire " + serve.uri() + " --tls-psk " + sh_quote(serve.key_file()) +
                 " -o " + sh_quote(base) + " -e 'Remote Examiner'");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(field_after(r.out, "\nmd5 "), digest_of("md5sum", loop.path()));
    EXPECT_EQ(field_after(r.out, "\nsha1 "), digest_of("sha1sum", loop.path()));
    EXPECT_EQ(field_after(r.out, "\nsha256 "), digest_of("sha256sum", loop.path()));
    auto v = run("ewfverify -q " + sh_quote(base + ".E01") + " </dev/null");
    EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out << v.err;

    // The remote identity: in the log, the record and the E01 header.
    const std::string record = read_file(base + ".manifest.json");
    EXPECT_NE(record.find("\"kind\": \"remote\""), std::string::npos) << record;
    EXPECT_NE(record.find("\"device\": \"" + loop.path() + "\""), std::string::npos) << record;
    EXPECT_NE(record.find("\"described_by_exhibit\": true"), std::string::npos) << record;
    EXPECT_NE(record.find("TLS with a pre-shared key: identity 'exhibit'"), std::string::npos) << record;
    EXPECT_NE(record.find("kernel read-only flag checked with BLKROGET: 1"), std::string::npos) << record;
    const std::string log = read_file(base + ".log");
    EXPECT_NE(log.find("served device: " + loop.path()), std::string::npos) << log;
    auto header = run("ewfinfo " + sh_quote(base + ".E01") + " </dev/null");
    EXPECT_NE(header.out.find("read over the network from " + serve.uri() + " of " + loop.path()), std::string::npos)
        << header.out;

    // verify --source re-reads the remote original, and says how nbdcopy would.
    auto again = run(sh_quote(exhibit_bin()) + " verify " + sh_quote(base + ".E01") + " --source " + serve.uri() +
                     " --tls-psk " + sh_quote(serve.key_file()));
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("compared sector by sector, identical"), std::string::npos) << again.out;
    // ... and that command, run by bash, finds the image's media and the remote device equal.
    const size_t at = again.out.find("<(nbdcopy 'nbds://exhibit@127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << again.out;
    const size_t start = again.out.rfind('\n', at) + 1;
    std::string repeat = again.out.substr(start, again.out.find('\n', at) - start);
    repeat = repeat.substr(repeat.find_first_not_of(' '));
    write_file(tmp / "repeat.sh", repeat + "\n");
    auto cmp = run("cd " + sh_quote(tmp.path()) + " && bash repeat.sh </dev/null");
    EXPECT_EQ(cmp.exit_code, 0) << repeat << "\n" << cmp.out << cmp.err;

    const std::string said = serve.stop();
    EXPECT_NE(said.find("kernel read-only flag restored to 0"), std::string::npos) << said;
  }
  EXPECT_EQ(getro(loop.path()), "0") << "the read-only flag was not given back";
  EXPECT_EQ(digest_of("sha256sum", file), before) << "the source changed";
}

TEST(RemoteAcquire, UnreachableOrUnsafeAddressesAreRefusedInOneLine) {
  if (!have_tool("nbdkit")) GTEST_SKIP() << "needs nbdkit";
  TempDir tmp;
  write_psk_file(tmp / "key.psk");
  const std::string acquire = sh_quote(exhibit_bin()) + " acquire ";
  struct Case {
    std::string args;
    int exit_code;
    std::string says;
  };
  const int closed = free_tcp_port();
  const std::vector<Case> cases = {
      // Plaintext to another machine: refused before any packet (192.0.2.1 is TEST-NET-1).
      {"nbd://192.0.2.1/sdb", 2, "would carry the evidence unencrypted"},
      {"nbds://127.0.0.1:" + std::to_string(closed) + "/sdb --tls-psk " + sh_quote(tmp / "key.psk"), 3,
       "cannot connect to nbds://127.0.0.1:" + std::to_string(closed) + "/sdb"},
      {"nbds://127.0.0.1/sdb", 2, "needs --tls-psk"},
      {"nbds://user@127.0.0.1/sdb --tls-psk " + sh_quote(tmp / "key.psk"), 2, "a user name in the address"},
      {"nbd+unix:///sdb", 2, "only TCP is supported"},
  };
  for (const auto& c : cases) {
    auto r = run(acquire + c.args + " -o " + sh_quote(tmp / "x") + " -q");
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(run("test -e " + sh_quote(tmp / "x.E01")).exit_code, 0) << c.args;
  }
}

TEST(RemoteAcquire, ServerStoppedMidwayThenStartedAgainResumes) {
  if (!have_remote_rig()) GTEST_SKIP() << "needs root, loop devices, nbdkit";
  TempDir tmp;
  const std::string file = tmp / "disk.img";
  write_file(file, random_bytes(32 << 20, 19));
  const std::string before = digest_of("sha256sum", file);
  LoopDevice loop(file, /*read_only=*/true);
  ASSERT_TRUE(loop.ok());
  // The examiner keeps the key, so the server can be started again with it.
  const std::string key = tmp / "kept.psk";
  write_psk_file(key);
  const std::string base = tmp / "cut";
  int port = 0;
  std::string uri;
  {
    ServeRig serve(loop.path(), tmp.path(), "--tls-psk " + sh_quote(key));
    ASSERT_TRUE(serve.ready()) << read_file(serve.output_file());
    port = serve.port();
    uri = serve.uri();
    // Held after its first block is written; the server is stopped (Ctrl-C) and gone; then the
    // run goes on and finds no server: a pulled cable.
    const std::string server = std::to_string(serve.pid());
    auto r = run(pause_at("pipeline:first-block") + sh_quote(exhibit_bin()) + " acquire " + uri + " --tls-psk " +
                 sh_quote(key) + " -o " + sh_quote(base) + " -q --read-size 1MiB & pid=$!; " +
                 at_pause_point("kill -INT " + server + "; " + wait_until_ended(serve.pid()) + "true") + "wait $pid");
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("exhibit acquire " + uri + " --tls-psk " + key + " -o " + base + " --resume"),
              std::string::npos)
        << r.err;
    EXPECT_NE(run("test -e " + sh_quote(base + ".E01")).exit_code, 0) << "an unfinished image under its final name";
  }
  {
    ServeRig serve(loop.path(), tmp.path(), "--tls-psk " + sh_quote(key), port);
    ASSERT_TRUE(serve.ready()) << read_file(serve.output_file());
    ASSERT_EQ(serve.uri(), uri);
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + uri + " --tls-psk " + sh_quote(key) + " -o " + sh_quote(base) +
                 " -q --resume");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(field_after(r.out, "\nmd5 "), digest_of("md5sum", loop.path()));
    EXPECT_EQ(field_after(r.out, "\nsha256 "), digest_of("sha256sum", loop.path()));
    const std::string log = read_file(base + ".log");
    EXPECT_NE(log.find("the serving host and device"), std::string::npos) << log;
  }
  auto v = run("ewfverify -q " + sh_quote(base + ".E01") + " </dev/null");
  EXPECT_NE(v.out.find("ewfverify: SUCCESS"), std::string::npos) << v.out << v.err;
  EXPECT_EQ(digest_of("sha256sum", file), before) << "the source changed";
}

TEST(RemoteAcquire, BadSectorsServedOverTlsAreListedExactly) {
  if (!have_tool("nbdkit")) GTEST_SKIP() << "needs nbdkit";
  TempDir tmp;
  const uint64_t size = 12 << 20;
  const std::string source = tmp / "source.img";
  const std::string data = random_bytes(size, 20);
  write_file(source, data);
  const std::vector<SectorRange> bad = {{0, 1}, {2048 + 37, 1}, {4097, 6}, {8190, 9}, {size / 512 - 1, 1}};
  write_file(tmp / "served.map", ddrescue_map(size, bad));
  std::string expected = data;
  for (const auto& r : bad) expected.replace(r.first * 512, r.count * 512, std::string(r.count * 512, '\0'));
  write_file(tmp / "expected.img", expected);

  TlsNbdkit server(source, "--filter=ddrescue", "ddrescue-mapfile=" + sh_quote(tmp / "served.map"), tmp / "key.psk",
                   tmp.path());
  ASSERT_TRUE(server.ok());
  const std::string base = tmp / "bad";
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + server.uri() + " --tls-psk " + sh_quote(tmp / "key.psk") +
               " -o " + sh_quote(base) + " -q --retries 1");
  ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
  auto info = run("ewfinfo -e " + sh_quote(base + ".E01") + " </dev/null");
  EXPECT_EQ(ewfinfo_error_ranges(info.out), bad) << info.out;
  if (have_tool("ddrescuelog")) {
    auto listed = run("ddrescuelog -l- -b512 " + sh_quote(base + ".map"));
    std::string want;
    for (const auto& b : bad) {
      for (uint64_t k = 0; k < b.count; ++k) want += std::to_string(b.first + k) + "\n";
    }
    EXPECT_EQ(listed.out, want);
  }
  auto exported = run("ewfexport -q -u -t - " + sh_quote(base + ".E01") + " </dev/null 2>/dev/null | head -c " +
                      std::to_string(size) + " | sha256sum");
  EXPECT_EQ(exported.out.substr(0, 64), digest_of("sha256sum", tmp / "expected.img"));
  // Not exhibit serve: no identity, and the record says so.
  EXPECT_NE(read_file(base + ".log").find("none (not exhibit serve: no identity)"), std::string::npos);
}

TEST(RemoteAcquire, X509CertificatesInsteadOfAKey) {
  if (!have_remote_rig() || !have_tool("openssl")) GTEST_SKIP() << "needs root, loop devices, nbdkit, openssl";
  TempDir tmp;
  const std::string file = tmp / "disk.img";
  write_file(file, random_bytes(4 << 20, 21));
  LoopDevice loop(file, /*read_only=*/true);
  ASSERT_TRUE(loop.ok());
  // A CA, a server certificate for 127.0.0.1 signed by it, and another CA that signed nothing.
  const std::string server = tmp / "server", client = tmp / "client", stranger = tmp / "stranger";
  auto made =
      run("set -e; cd " + sh_quote(tmp.path()) + "; mkdir server client stranger; " +
          "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca-cert.pem -subj /CN=exhibit-test-ca "
          "-days 2 2>/dev/null; "
          "openssl req -newkey rsa:2048 -nodes -keyout server/server-key.pem -out server.csr -subj /CN=127.0.0.1 "
          "2>/dev/null; "
          "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > ext.cnf; "
          "openssl x509 -req -in server.csr -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial -days 2 "
          "-extfile ext.cnf -out server/server-cert.pem 2>/dev/null; "
          "cp ca-cert.pem server/; cp ca-cert.pem client/; "
          "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-key.pem -out stranger/ca-cert.pem "
          "-subj /CN=other-ca -days 2 2>/dev/null");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ServeRig serve(loop.path(), tmp.path(), "--tls-cert " + sh_quote(server));
  ASSERT_TRUE(serve.ready()) << read_file(serve.output_file());
  const std::string acquire = sh_quote(exhibit_bin()) + " acquire " + serve.uri() + " -q --tls-cert ";
  auto refused = run(acquire + sh_quote(stranger) + " -o " + sh_quote(tmp / "no"));
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("TLS handshake"), std::string::npos) << refused.err;
  auto r = run(acquire + sh_quote(client) + " -o " + sh_quote(tmp / "cert"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(read_file(tmp / "cert.manifest.json").find("TLS with X.509 certificates"), std::string::npos);
  auto exported = run("ewfexport -q -u -t - " + sh_quote(tmp / "cert.E01") + " </dev/null 2>/dev/null | head -c " +
                      std::to_string(4 << 20) + " | sha256sum");
  EXPECT_EQ(exported.out.substr(0, 64), digest_of("sha256sum", loop.path()));
}

// Our digests against the coreutils and openssl command-line tools over the same file.
#include <gtest/gtest.h>

#include "hash/digest.hpp"
#include "test_support.hpp"

using namespace exhibit;
using namespace exhibit::test;

TEST(DigestSet, AgreesWithCoreutilsAndOpenssl) {
  TempDir tmp;
  std::string data = random_bytes(3 * 1024 * 1024 + 17, 11);
  write_file(tmp / "d.bin", data);
  auto set = hash::DigestSet::create({"md5", "SHA-1", "sha256", "sha512"});
  ASSERT_TRUE(set) << set.error().message();
  // Fed in uneven pieces, as a pipeline would.
  size_t pos = 0;
  for (size_t step = 1; pos < data.size(); step = step * 3 + 1) {
    size_t n = std::min(step, data.size() - pos);
    set->update(data.data() + pos, n);
    pos += n;
  }
  auto values = set->finish();
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].algorithm, "md5");
  EXPECT_EQ(values[0].hex, digest_of("md5sum", tmp / "d.bin"));
  EXPECT_EQ(values[1].algorithm, "sha1");
  EXPECT_EQ(values[1].hex, digest_of("sha1sum", tmp / "d.bin"));
  EXPECT_EQ(values[2].hex, digest_of("sha256sum", tmp / "d.bin"));
  auto r = run("openssl dgst -sha512 -r " + sh_quote(tmp / "d.bin"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(values[3].hex, r.out.substr(0, r.out.find(' ')));
}

TEST(DigestSet, CloneIsIndependent) {
  TempDir tmp;
  auto set = hash::DigestSet::create({"sha256"});
  ASSERT_TRUE(set);
  set->update("abc", 3);
  auto copy = set->clone();
  set->update("def", 3);
  write_file(tmp / "abc", "abc");
  write_file(tmp / "abcdef", "abcdef");
  EXPECT_EQ(copy.finish()[0].hex, digest_of("sha256sum", tmp / "abc"));
  EXPECT_EQ(set->finish()[0].hex, digest_of("sha256sum", tmp / "abcdef"));
}

TEST(DigestSet, UnknownAlgorithmIsAnError) {
  auto set = hash::DigestSet::create({"md5", "nosuchhash"});
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(*hash::canonical_algorithm("SHA-256"), "sha256");
  EXPECT_EQ(*hash::canonical_algorithm("SHA3-256"), "sha3-256");
  EXPECT_EQ(*hash::canonical_algorithm("SHA1"), "sha1");
}

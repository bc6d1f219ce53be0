// Message digests (OpenSSL EVP underneath): the algorithms exhibit stores and checks, open to
// any program that hashes what it reads from an image.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit {

struct DigestResult {
  std::string algorithm;  // canonical lower-case name: "md5", "sha1", "sha256", ...
  std::string hex;        // lower case
};

// Canonical name for a user-supplied one ("SHA-256" -> "sha256"), or InvalidArgument
// ("unknown digest algorithm 'NAME'") if OpenSSL does not know it.
Result<std::string> canonical_digest_algorithm(const std::string& name);

// Several digests of one stream of bytes, fed in order.
class DigestSet {
 public:
  // Algorithms by any name canonical_digest_algorithm accepts; duplicates are ignored.
  static Result<DigestSet> create(const std::vector<std::string>& algorithms);

  DigestSet(DigestSet&&) noexcept;
  DigestSet& operator=(DigestSet&&) noexcept;
  ~DigestSet();

  void update(const void* data, size_t size);
  // An independent copy of the current state of every digest.
  DigestSet clone() const;
  // Finishes every digest, in the order they were requested.
  std::vector<DigestResult> finish();

 private:
  struct Impl;
  explicit DigestSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace exhibit

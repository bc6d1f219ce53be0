// Message digests over OpenSSL EVP, fed in stream order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exhibit/error.hpp"

namespace exhibit::hash {

struct DigestValue {
  std::string algorithm;  // canonical lower-case name: "md5", "sha1", "sha256", ...
  std::string hex;
};

// Canonical name for a user-supplied one ("SHA-256" -> "sha256"), or an error if OpenSSL
// does not know it.
Result<std::string> canonical_algorithm(const std::string& name);

class DigestSet {
 public:
  // Algorithms by canonical name; duplicates are ignored.
  static Result<DigestSet> create(const std::vector<std::string>& algorithms);

  DigestSet(DigestSet&&) noexcept;
  DigestSet& operator=(DigestSet&&) noexcept;
  ~DigestSet();

  void update(const void* data, size_t size);
  // An independent copy of the current state of every digest.
  DigestSet clone() const;
  // Finishes every digest, in the order they were requested.
  std::vector<DigestValue> finish();

 private:
  struct Impl;
  explicit DigestSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace exhibit::hash

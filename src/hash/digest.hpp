// Message digests over OpenSSL EVP, fed in stream order. Public (exhibit/digest.hpp); the
// library's own code names them hash::.
#pragma once

#include <string>

#include "exhibit/digest.hpp"

namespace exhibit::hash {

using DigestValue = exhibit::DigestResult;
using exhibit::DigestSet;

// Canonical name for a user-supplied one ("SHA-256" -> "sha256"), or an error if OpenSSL
// does not know it.
inline Result<std::string> canonical_algorithm(const std::string& name) { return canonical_digest_algorithm(name); }

}  // namespace exhibit::hash

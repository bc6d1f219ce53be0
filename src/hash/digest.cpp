#include "hash/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "util/text.hpp"

namespace exhibit {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct MdDeleter {
  void operator()(EVP_MD* m) const { EVP_MD_free(m); }
};

// "SHA-256" -> "sha256", "SHA1" -> "sha1"; names with an inner dash ("sha3-256") keep it.
std::string normalize(const std::string& name) {
  std::string out;
  for (char c : name) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((out.rfind("sha-", 0) == 0 || out.rfind("sha_", 0) == 0) && out.size() > 4 &&
      out.find_first_not_of("0123456789", 4) == std::string::npos) {
    out.erase(3, 1);
  }
  return out;
}

}  // namespace

Result<std::string> canonical_digest_algorithm(const std::string& name) {
  std::string canonical = normalize(name);
  std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, canonical.c_str(), nullptr));
  if (!md || canonical.empty() || EVP_MD_get_size(md.get()) <= 0) {
    return Error(ErrorCode::InvalidArgument, "unknown digest algorithm '" + name + "'");
  }
  return canonical;
}

struct DigestSet::Impl {
  struct Entry {
    std::string name;
    std::unique_ptr<EVP_MD, MdDeleter> md;
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx;
  };
  std::vector<Entry> entries;
};

DigestSet::DigestSet(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
DigestSet::DigestSet(DigestSet&&) noexcept = default;
DigestSet& DigestSet::operator=(DigestSet&&) noexcept = default;
DigestSet::~DigestSet() = default;

Result<DigestSet> DigestSet::create(const std::vector<std::string>& algorithms) {
  auto impl = std::make_unique<Impl>();
  for (const auto& requested : algorithms) {
    EXHIBIT_TRY(std::string name, canonical_digest_algorithm(requested));
    bool seen = std::any_of(impl->entries.begin(), impl->entries.end(),
                            [&](const Impl::Entry& e) { return e.name == name; });
    if (seen) continue;
    Impl::Entry e;
    e.name = name;
    e.md.reset(EVP_MD_fetch(nullptr, name.c_str(), nullptr));
    e.ctx.reset(EVP_MD_CTX_new());
    if (!e.md || !e.ctx || EVP_DigestInit_ex2(e.ctx.get(), e.md.get(), nullptr) != 1) {
      return Error(ErrorCode::Unsupported, "cannot initialise digest " + name);
    }
    impl->entries.push_back(std::move(e));
  }
  return DigestSet(std::move(impl));
}

void DigestSet::update(const void* data, size_t size) {
  for (auto& e : m_impl->entries) EVP_DigestUpdate(e.ctx.get(), data, size);
}

DigestSet DigestSet::clone() const {
  auto impl = std::make_unique<Impl>();
  for (const auto& e : m_impl->entries) {
    Impl::Entry copy;
    copy.name = e.name;
    EVP_MD_up_ref(e.md.get());
    copy.md.reset(e.md.get());
    copy.ctx.reset(EVP_MD_CTX_new());
    EVP_MD_CTX_copy_ex(copy.ctx.get(), e.ctx.get());
    impl->entries.push_back(std::move(copy));
  }
  return DigestSet(std::move(impl));
}

std::vector<DigestResult> DigestSet::finish() {
  std::vector<DigestResult> out;
  for (auto& e : m_impl->entries) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(e.ctx.get(), md, &len);
    out.push_back({e.name, util::to_hex(md, len)});
  }
  return out;
}

}  // namespace exhibit

// core/crypto/hash.cc — EVP_MD digests.
#include "core/crypto/hash.h"

#include <array>

#include "core/crypto/ossl_error.h"

namespace core::crypto {
namespace {

struct HashInfo {
  std::string_view name;
  const char* ossl_name;
  std::size_t size;
  std::uint16_t rfc7427;
};

constexpr std::array<HashInfo, 5> kHashes{{
    {"md5", "MD5", 16, 0},
    {"sha1", "SHA1", 20, 1},
    {"sha256", "SHA2-256", 32, 2},
    {"sha384", "SHA2-384", 48, 3},
    {"sha512", "SHA2-512", 64, 4},
}};

const HashInfo& info(HashAlg alg) { return kHashes[static_cast<std::size_t>(alg)]; }

}  // namespace

std::string_view hash_name(HashAlg alg) { return info(alg).name; }
std::size_t hash_size(HashAlg alg) { return info(alg).size; }

const EVP_MD* hash_md(HashAlg alg) {
  // Fetched once (fetching takes a lock and a lookup) and deliberately never
  // freed: freeing from a static destructor could race OpenSSL's atexit.
  static const std::array<EVP_MD*, kHashes.size()> mds = [] {
    std::array<EVP_MD*, kHashes.size()> out{};
    for (std::size_t i = 0; i < kHashes.size(); ++i)
      out[i] = EVP_MD_fetch(nullptr, kHashes[i].ossl_name, nullptr);
    return out;
  }();
  return mds[static_cast<std::size_t>(alg)];
}

std::optional<HashAlg> hash_from_rfc7427(std::uint16_t id) {
  switch (id) {
    case 1: return HashAlg::Sha1;
    case 2: return HashAlg::Sha256;
    case 3: return HashAlg::Sha384;
    case 4: return HashAlg::Sha512;
    default: return std::nullopt;
  }
}

std::uint16_t hash_to_rfc7427(HashAlg alg) { return info(alg).rfc7427; }

Result<std::vector<std::uint8_t>> hash(HashAlg alg, std::span<const std::uint8_t> data) {
  const EVP_MD* md = hash_md(alg);
  if (md == nullptr) return fail(ErrorCode::Unsupported, "digest {} not available", hash_name(alg));
  std::vector<std::uint8_t> out(hash_size(alg));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1)
    return openssl_fail("EVP_Digest");
  out.resize(len);
  return out;
}

Result<Hasher> Hasher::create(HashAlg alg) {
  const EVP_MD* md = hash_md(alg);
  if (md == nullptr) return fail(ErrorCode::Unsupported, "digest {} not available", hash_name(alg));
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
    return openssl_fail("EVP_DigestInit_ex");
  return Hasher(alg, std::move(ctx));
}

Status Hasher::update(std::span<const std::uint8_t> data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1)
    return openssl_fail("EVP_DigestUpdate");
  return ok();
}

Result<std::vector<std::uint8_t>> Hasher::finish() {
  std::vector<std::uint8_t> out(hash_size(alg_));
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1)
    return openssl_fail("EVP_DigestFinal_ex");
  out.resize(len);
  if (EVP_DigestInit_ex(ctx_.get(), nullptr, nullptr) != 1)
    return openssl_fail("EVP_DigestInit_ex");
  return out;
}

}  // namespace core::crypto

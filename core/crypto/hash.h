// core/crypto/hash.h — message digests: SHA-1, SHA-2 (256/384/512) and MD5
// (legacy: HMAC-MD5 transforms and KINK interop only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "core/crypto/openssl_ptr.h"
#include "core/result.h"

namespace core::crypto {

// HashAlg names a digest algorithm.
enum class HashAlg : std::uint8_t { Md5, Sha1, Sha256, Sha384, Sha512 };

// hash_name returns a stable display name ("sha256").
std::string_view hash_name(HashAlg alg);
// hash_size returns the digest length in bytes.
std::size_t hash_size(HashAlg alg);
// hash_md returns the fetched OpenSSL digest, shared for the life of the
// process (never free it), or nullptr when the provider lacks it.
const EVP_MD* hash_md(HashAlg alg);

// hash_from_rfc7427 maps an RFC 7427 §7 / IANA "IKEv2 Hash Algorithms" value
// (SHA1=1, SHA2_256=2, SHA2_384=3, SHA2_512=4) to a HashAlg; other values
// (Identity=5, unassigned) give nullopt.
std::optional<HashAlg> hash_from_rfc7427(std::uint16_t id);
// hash_to_rfc7427 is the inverse; MD5 has no value and gives 0.
std::uint16_t hash_to_rfc7427(HashAlg alg);

// hash computes the digest of data in one call.
Result<std::vector<std::uint8_t>> hash(HashAlg alg, std::span<const std::uint8_t> data);

// Hasher computes a digest over data given in pieces; finish() returns the
// digest and makes the Hasher ready for a new message. Not thread-safe.
class Hasher {
 public:
  static Result<Hasher> create(HashAlg alg);

  HashAlg alg() const { return alg_; }
  Status update(std::span<const std::uint8_t> data);
  Result<std::vector<std::uint8_t>> finish();

 private:
  Hasher(HashAlg alg, EvpMdCtxPtr ctx) : alg_(alg), ctx_(std::move(ctx)) {}
  HashAlg alg_;
  EvpMdCtxPtr ctx_;
};

}  // namespace core::crypto

// daemon/config/algorithms.h — racoon2 algorithm names mapped to IKEv2
// transform IDs (RFC 7296 §3.3.2; IANA "IKEv2 Parameters", Transform Types
// 1-4), in one table (algorithms.cc).
//
// The same name can mean different transforms: `hmac_sha1` is PRF 2 in
// kmp_prf_alg and integrity 2 (AUTH_HMAC_SHA1_96) in kmp_hash_alg, so a
// lookup names the transform type and where the list is used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "daemon/config/types.h"

namespace kagid::config {

// AlgorithmUse says which protocol an algorithm list is for; null_enc and
// non_auth are ESP-only, AEAD ciphers are not for AH.
enum class AlgorithmUse : std::uint8_t { Ike, Esp, Ah };

// AlgorithmLookup is a found algorithm and an optional warning (weak
// algorithms such as MODP-768 or HMAC-MD5 are accepted with one, RFC 8247).
struct AlgorithmLookup {
  Algorithm alg;
  std::string warning;
};

// lookup_algorithm maps a name (or, for Dh, a group number) and an optional
// key length in bits to an Algorithm. Fails with a message naming the reason:
// unknown name, wrong list, refused algorithm, bad key length.
core::Result<AlgorithmLookup> lookup_algorithm(TransformType type, AlgorithmUse use, std::string_view name,
                                               std::optional<std::uint32_t> key_bits);

// transform_type_name: "encryption", "PRF", "integrity", "DH group".
std::string_view transform_type_name(TransformType t);

}  // namespace kagid::config

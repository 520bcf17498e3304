// daemon/config/algorithms.cc — the algorithm table.
//
// Sources: racoon2 lib/cftoken.l (names), RFC 7296 §3.3.2 and the IANA
// "Internet Key Exchange Version 2 (IKEv2) Parameters" registry (IDs),
// RFC 8221 / RFC 8247 (what is refused or warned about).
#include "daemon/config/algorithms.h"

#include <array>

#include "core/crypto/transform_ids.h"
#include "daemon/config/values.h"

namespace kagid::config {
namespace {

using core::ErrorCode;
using core::fail;
using core::crypto::DhGroup;
using core::crypto::EncrId;
using core::crypto::IntegId;
using core::crypto::PrfId;
using T = TransformType;

// Row flags.
constexpr std::uint8_t kVariableKey = 1;  // Key Length 128/192/256 (AES)
constexpr std::uint8_t kAead = 2;
constexpr std::uint8_t kEspOnly = 4;      // null_enc, non_auth
constexpr std::uint8_t kNotAh = 8;

struct Row {
  std::string_view name;
  TransformType type;
  std::uint16_t id;
  std::uint16_t key_bits;      // default Key Length attribute, 0 = none
  std::uint8_t flags;
  std::string_view refusal;    // non-empty: recognised but refused, and why
  std::string_view warning;    // non-empty: accepted with this warning
};

constexpr std::string_view kObsolete = "obsolete cipher, not in RFC 8221";
constexpr std::string_view kV1Hash = "an IKEv1 hash; IKEv2 lists take hmac_* names";

constexpr std::array<Row, 62> kRows = {{
    // Transform Type 1: encryption (kmp_enc_alg, esp_enc_alg).
    {"3des_cbc", T::Encr, EncrId::Des3, 0, 0, {}, "3des_cbc is legacy (RFC 8221 SHOULD NOT)"},
    {"null_enc", T::Encr, EncrId::Null, 0, kEspOnly, {}, {}},
    {"aes128_cbc", T::Encr, EncrId::AesCbc, 128, 0, {}, {}},
    {"aes192_cbc", T::Encr, EncrId::AesCbc, 192, 0, {}, {}},
    {"aes256_cbc", T::Encr, EncrId::AesCbc, 256, 0, {}, {}},
    {"rijndael_cbc", T::Encr, EncrId::AesCbc, 128, kVariableKey, {}, {}},
    {"aes_ctr", T::Encr, EncrId::AesCtr, 128, kVariableKey, {}, {}},
    {"aes_gcm_8", T::Encr, EncrId::AesGcm8, 128, kVariableKey | kAead | kNotAh, {}, {}},
    {"aes_gcm_12", T::Encr, EncrId::AesGcm12, 128, kVariableKey | kAead | kNotAh, {}, {}},
    {"aes_gcm_16", T::Encr, EncrId::AesGcm16, 128, kVariableKey | kAead | kNotAh, {}, {}},
    {"aes128_gcm_16", T::Encr, EncrId::AesGcm16, 128, kAead | kNotAh, {}, {}},
    {"aes192_gcm_16", T::Encr, EncrId::AesGcm16, 192, kAead | kNotAh, {}, {}},
    {"aes256_gcm_16", T::Encr, EncrId::AesGcm16, 256, kAead | kNotAh, {}, {}},
    {"aes128_gcm", T::Encr, EncrId::AesGcm16, 128, kAead | kNotAh, {}, {}},
    {"aes256_gcm", T::Encr, EncrId::AesGcm16, 256, kAead | kNotAh, {}, {}},
    {"chacha20_poly1305", T::Encr, EncrId::ChaCha20Poly1305, 0, kAead | kNotAh, {}, {}},
    {"des_cbc_iv64", T::Encr, 1, 0, 0, "single DES is broken (RFC 8221 MUST NOT)", {}},
    {"des_cbc", T::Encr, 2, 0, 0, "single DES is broken (RFC 8221 MUST NOT)", {}},
    {"des_cbc_iv32", T::Encr, 9, 0, 0, "single DES is broken (RFC 8221 MUST NOT)", {}},
    {"rc5_cbc", T::Encr, 4, 0, 0, kObsolete, {}},
    {"idea_cbc", T::Encr, 5, 0, 0, kObsolete, {}},
    {"cast128_cbc", T::Encr, 6, 0, 0, kObsolete, {}},
    {"blowfish_cbc", T::Encr, 7, 0, 0, kObsolete, {}},
    {"3idea_cbc", T::Encr, 8, 0, 0, kObsolete, {}},
    {"rc4_cbc", T::Encr, 0, 0, 0, kObsolete, {}},
    {"twofish_cbc", T::Encr, 0, 0, 0, "not an IKEv2/ESP transform", {}},
    // Transform Type 2: PRF (kmp_prf_alg).
    {"hmac_md5", T::Prf, PrfId::HmacMd5, 0, 0, {}, "hmac_md5 is weak (RFC 8247 MUST NOT as PRF)"},
    {"hmac_sha1", T::Prf, PrfId::HmacSha1, 0, 0, {}, {}},
    {"aes_xcbc", T::Prf, PrfId::Aes128Xcbc, 0, 0, {}, {}},
    {"hmac_sha2_256", T::Prf, PrfId::HmacSha2_256, 0, 0, {}, {}},
    {"hmac_sha2_384", T::Prf, PrfId::HmacSha2_384, 0, 0, {}, {}},
    {"hmac_sha2_512", T::Prf, PrfId::HmacSha2_512, 0, 0, {}, {}},
    {"aes_cmac", T::Prf, PrfId::Aes128Cmac, 0, 0, {}, {}},
    // Transform Type 3: integrity (kmp_hash_alg, esp_auth_alg, ah_auth_alg).
    {"non_auth", T::Integ, IntegId::None, 0, kEspOnly, {}, {}},
    {"hmac_md5", T::Integ, IntegId::HmacMd5_96, 0, 0, {}, "hmac_md5 is weak (RFC 8247 MUST NOT)"},
    {"hmac_sha1", T::Integ, IntegId::HmacSha1_96, 0, 0, {}, {}},
    {"aes_xcbc", T::Integ, IntegId::AesXcbc96, 0, 0, {}, {}},
    {"aes_cmac", T::Integ, IntegId::AesCmac96, 0, 0, {}, {}},
    {"hmac_sha2_256", T::Integ, IntegId::HmacSha2_256_128, 0, 0, {}, {}},
    {"hmac_sha2_384", T::Integ, IntegId::HmacSha2_384_192, 0, 0, {}, {}},
    {"hmac_sha2_512", T::Integ, IntegId::HmacSha2_512_256, 0, 0, {}, {}},
    {"des_mac", T::Integ, 3, 0, 0, "DES-MAC is broken (RFC 8221 MUST NOT)", {}},
    {"kpdk_md5", T::Integ, 4, 0, 0, "KPDK-MD5 is obsolete (RFC 8221 MUST NOT)", {}},
    {"md5", T::Integ, 0, 0, 0, kV1Hash, {}},
    {"sha1", T::Integ, 0, 0, 0, kV1Hash, {}},
    {"tiger", T::Integ, 0, 0, 0, kV1Hash, {}},
    {"sha2_256", T::Integ, 0, 0, 0, kV1Hash, {}},
    {"sha2_384", T::Integ, 0, 0, 0, kV1Hash, {}},
    {"sha2_512", T::Integ, 0, 0, 0, kV1Hash, {}},
    // Transform Type 4: key exchange (kmp_dh_group); numbers work too.
    {"modp768", T::Dh, DhGroup::Modp768, 0, 0, {}, "modp768 is weak (RFC 8247 MUST NOT)"},
    {"modp1024", T::Dh, DhGroup::Modp1024, 0, 0, {}, "modp1024 is weak (RFC 8247 SHOULD NOT)"},
    {"modp1536", T::Dh, DhGroup::Modp1536, 0, 0, {}, {}},
    {"modp2048", T::Dh, DhGroup::Modp2048, 0, 0, {}, {}},
    {"modp3072", T::Dh, DhGroup::Modp3072, 0, 0, {}, {}},
    {"modp4096", T::Dh, DhGroup::Modp4096, 0, 0, {}, {}},
    {"modp6144", T::Dh, DhGroup::Modp6144, 0, 0, {}, {}},
    {"modp8192", T::Dh, DhGroup::Modp8192, 0, 0, {}, {}},
    {"ecp256", T::Dh, DhGroup::Ecp256, 0, 0, {}, {}},
    {"ecp384", T::Dh, DhGroup::Ecp384, 0, 0, {}, {}},
    {"ecp521", T::Dh, DhGroup::Ecp521, 0, 0, {}, {}},
    {"curve25519", T::Dh, DhGroup::Curve25519, 0, 0, {}, {}},
    {"curve448", T::Dh, DhGroup::Curve448, 0, 0, {}, {}},
}};

// Aliases and refused DH names kept apart so kRows reads as the IANA table.
struct Alias {
  std::string_view alias;
  std::string_view name;
};
constexpr std::array<Alias, 2> kAliases = {{{"x25519", "curve25519"}, {"x448", "curve448"}}};
constexpr std::array<std::string_view, 2> kEc2n = {"ec2n155", "ec2n185"};

const Row* find(TransformType type, std::string_view name) {
  for (const auto& a : kAliases)
    if (a.alias == name) name = a.name;
  for (const auto& r : kRows)
    if (r.type == type && r.name == name) return &r;
  return nullptr;
}

const Row* find_any(std::string_view name) {
  for (const auto& r : kRows)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace

std::string_view transform_type_name(TransformType t) {
  switch (t) {
    case T::Encr: return "encryption";
    case T::Prf: return "PRF";
    case T::Integ: return "integrity";
    case T::Dh: return "DH group";
  }
  return "?";
}

core::Result<AlgorithmLookup> lookup_algorithm(TransformType type, AlgorithmUse use, std::string_view name,
                                               std::optional<std::uint32_t> key_bits) {
  const Row* row = find(type, name);
  if (row == nullptr && type == T::Dh) {
    for (auto e : kEc2n)
      if (e == name) return fail(ErrorCode::Config, "'{}' is not supported: EC2N groups are deprecated (RFC 8247)", name);
    if (auto n = parse_number(name, 0xffff)) {
      if (*n == 3 || *n == 4)
        return fail(ErrorCode::Config, "DH group {} is not supported: EC2N groups are deprecated (RFC 8247)", *n);
      for (const auto& r : kRows)
        if (r.type == T::Dh && r.id == *n) row = &r;
      if (row == nullptr) return fail(ErrorCode::Config, "unknown DH group number {}", *n);
    }
  }
  if (row == nullptr) {
    if (const Row* other = find_any(name)) {
      if (!other->refusal.empty()) return fail(ErrorCode::Config, "'{}' is not supported: {}", name, other->refusal);
      return fail(ErrorCode::Config, "'{}' is a{} {} algorithm, not a{} {} one", name,
                  other->type == T::Encr ? "n" : "", transform_type_name(other->type),
                  type == T::Encr ? "n" : "", transform_type_name(type));
    }
    return fail(ErrorCode::Config, "unknown {} algorithm '{}'", transform_type_name(type), name);
  }
  if (!row->refusal.empty()) return fail(ErrorCode::Config, "'{}' is not supported: {}", name, row->refusal);
  if ((row->flags & kEspOnly) && use != AlgorithmUse::Esp)
    return fail(ErrorCode::Config, "'{}' is allowed only in esp_enc_alg / esp_auth_alg", name);
  if ((row->flags & kNotAh) && use == AlgorithmUse::Ah)
    return fail(ErrorCode::Config, "'{}' cannot be used with AH", name);
  AlgorithmLookup out;
  out.alg.name = std::string(row->name);
  out.alg.type = row->type;
  out.alg.id = row->id;
  out.alg.key_bits = row->key_bits;
  out.alg.aead = (row->flags & kAead) != 0;
  out.warning = std::string(row->warning);
  if (key_bits) {
    if (row->flags & kVariableKey) {
      if (*key_bits != 128 && *key_bits != 192 && *key_bits != 256)
        return fail(ErrorCode::Config, "key length {} is not valid for {} (128, 192 or 256 bits)", *key_bits, name);
      out.alg.key_bits = static_cast<std::uint16_t>(*key_bits);
    } else if (row->key_bits == 0 || *key_bits != row->key_bits) {
      return fail(ErrorCode::Config, "{} takes no key length{}", name,
                  row->key_bits ? fmt::format(" other than {}", row->key_bits) : std::string());
    }
  }
  return out;
}

}  // namespace kagid::config

#include "kernel/pfkey/algorithms.h"

#include <array>

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;

namespace {

// IKEv2 transform IDs (RFC 7296 §3.3.2; IANA registry).
namespace encr {
constexpr std::uint16_t kDes = 2, k3Des = 3, kCast = 6, kBlowfish = 7, kNull = 11, kAesCbc = 12, kAesCtr = 13;
constexpr std::uint16_t kAesCcm8 = 14, kAesCcm12 = 15, kAesCcm16 = 16;                 // RFC 5282
constexpr std::uint16_t kAesGcm8 = 18, kAesGcm12 = 19, kAesGcm16 = 20;                 // RFC 5282
constexpr std::uint16_t kNullAuthAesGmac = 21, kCamelliaCbc = 23, kChaCha20Poly1305 = 28;
}  // namespace encr
namespace integ {
constexpr std::uint16_t kNone = 0, kHmacMd5_96 = 1, kHmacSha1_96 = 2, kAesXcbc96 = 5;
constexpr std::uint16_t kAes128Gmac = 9, kAes192Gmac = 10, kAes256Gmac = 11;           // RFC 4543
constexpr std::uint16_t kHmacSha2_256_128 = 12, kHmacSha2_384_192 = 13, kHmacSha2_512_256 = 14;  // RFC 4868
}  // namespace integ

// Which flavors carry a number: both, or one of them.
enum class Where : std::uint8_t { Both, LinuxOnly, KameOnly };

struct Pair {
  std::uint16_t ikev2;
  std::uint8_t pfkey;
  Where where;
};

bool carried(Where w, Flavor f) {
  return w == Where::Both || (w == Where::LinuxOnly) == (f == Flavor::Linux);
}

// PF_KEY encryption numbers: <linux/pfkeyv2.h> SADB_EALG_DESCBC 2,
// SADB_EALG_3DESCBC 3, SADB_X_EALG_CASTCBC 6, SADB_X_EALG_BLOWFISHCBC 7,
// SADB_EALG_NULL 11, SADB_X_EALG_AESCBC 12, SADB_X_EALG_AESCTR 13,
// SADB_X_EALG_AES_CCM_ICV8/12/16 14-16, SADB_X_EALG_AES_GCM_ICV8/12/16
// 18-20, SADB_X_EALG_CAMELLIACBC 22, SADB_X_EALG_NULL_AES_GMAC 23.
// NetBSD pfkeyv2.h has the same values (SADB_X_EALG_AES 12, AESGCM8..16,
// CAMELLIACBC 22, AESGMAC 23) but no CCM.
constexpr std::array<Pair, 15> kEncr{{
    {encr::kDes, 2, Where::Both},
    {encr::k3Des, 3, Where::Both},
    {encr::kCast, 6, Where::Both},
    {encr::kBlowfish, 7, Where::Both},
    {encr::kNull, 11, Where::Both},
    {encr::kAesCbc, 12, Where::Both},
    {encr::kAesCtr, 13, Where::Both},
    {encr::kAesCcm8, 14, Where::LinuxOnly},
    {encr::kAesCcm12, 15, Where::LinuxOnly},
    {encr::kAesCcm16, 16, Where::LinuxOnly},
    {encr::kAesGcm8, 18, Where::Both},
    {encr::kAesGcm12, 19, Where::Both},
    {encr::kAesGcm16, 20, Where::Both},
    {encr::kCamelliaCbc, 22, Where::Both},
    {encr::kNullAuthAesGmac, 23, Where::Both},
}};

// PF_KEY integrity numbers: SADB_AALG_NONE 0, SADB_AALG_MD5HMAC 2,
// SADB_AALG_SHA1HMAC 3, SADB_X_AALG_SHA2_256HMAC 5 / _384 6 / _512 7,
// SADB_X_AALG_AES_XCBC_MAC 9 (Linux and NetBSD alike); NetBSD alone has
// SADB_X_AALG_AES128GMAC 11, AES192GMAC 12, AES256GMAC 13.
// Linux af_key installs SADB_X_AALG_SHA2_256HMAC as hmac(sha256) with
// icv_truncbits = 96 (net/xfrm/xfrm_algo.c, the pre-RFC 4868 draft), which
// is not AUTH_HMAC_SHA2_256_128: on Linux that number maps to nothing.
constexpr std::array<Pair, 10> kInteg{{
    {integ::kNone, 0, Where::Both},
    {integ::kHmacMd5_96, 2, Where::Both},
    {integ::kHmacSha1_96, 3, Where::Both},
    {integ::kHmacSha2_256_128, 5, Where::KameOnly},
    {integ::kHmacSha2_384_192, 6, Where::Both},
    {integ::kHmacSha2_512_256, 7, Where::Both},
    {integ::kAesXcbc96, 9, Where::Both},
    {integ::kAes128Gmac, 11, Where::KameOnly},
    {integ::kAes192Gmac, 12, Where::KameOnly},
    {integ::kAes256Gmac, 13, Where::KameOnly},
}};

template <std::size_t N>
std::optional<std::uint8_t> to_pfkey(const std::array<Pair, N>& table, std::uint16_t id, Flavor f) {
  for (const auto& p : table)
    if (p.ikev2 == id && carried(p.where, f)) return p.pfkey;
  return std::nullopt;
}

template <std::size_t N>
std::optional<std::uint16_t> to_ikev2(const std::array<Pair, N>& table, std::uint8_t n, Flavor f) {
  for (const auto& p : table)
    if (p.pfkey == n && carried(p.where, f)) return p.ikev2;
  return std::nullopt;
}

std::string_view flavor_name(Flavor f) { return f == Flavor::Linux ? "Linux" : "KAME"; }

}  // namespace

core::Result<std::uint8_t> pfkey_ealg(std::uint16_t id, Flavor f) {
  if (auto n = to_pfkey(kEncr, id, f)) return *n;
  if (id == encr::kChaCha20Poly1305)
    return fail(ErrorCode::Unsupported, "ENCR_CHACHA20_POLY1305 has no PF_KEY number; use the xfrm backend");
  return fail(ErrorCode::Unsupported, "IKEv2 encryption {} has no {} PF_KEY number", id, flavor_name(f));
}

std::optional<std::uint16_t> ikev2_encr(std::uint8_t ealg, Flavor f) { return to_ikev2(kEncr, ealg, f); }

core::Result<std::uint8_t> pfkey_aalg(std::uint16_t id, Flavor f) {
  if (auto n = to_pfkey(kInteg, id, f)) return *n;
  if (id == integ::kHmacSha2_256_128 && f == Flavor::Linux)
    return fail(ErrorCode::Unsupported,
                "Linux af_key truncates HMAC-SHA2-256 to 96 bits, not RFC 4868's 128; use the xfrm backend");
  return fail(ErrorCode::Unsupported, "IKEv2 integrity {} has no {} PF_KEY number", id, flavor_name(f));
}

std::optional<std::uint16_t> ikev2_integ(std::uint8_t aalg, Flavor f) { return to_ikev2(kInteg, aalg, f); }

std::size_t encr_salt_bytes(std::uint16_t id) {
  switch (id) {
    case encr::kAesCtr:
    case encr::kAesGcm8:
    case encr::kAesGcm12:
    case encr::kAesGcm16:
    case encr::kNullAuthAesGmac:
    case encr::kChaCha20Poly1305:
      return 4;
    case encr::kAesCcm8:
    case encr::kAesCcm12:
    case encr::kAesCcm16:
      return 3;
    default:
      return 0;
  }
}

std::uint16_t encr_key_length_attribute(std::uint16_t id, std::size_t key_bytes) {
  switch (id) {
    case encr::kAesCbc:
    case encr::kAesCtr:
    case encr::kAesCcm8:
    case encr::kAesCcm12:
    case encr::kAesCcm16:
    case encr::kAesGcm8:
    case encr::kAesGcm12:
    case encr::kAesGcm16:
    case encr::kNullAuthAesGmac:
    case encr::kCamelliaCbc:
    case encr::kBlowfish: {
      const std::size_t salt = encr_salt_bytes(id);
      return key_bytes > salt ? static_cast<std::uint16_t>((key_bytes - salt) * 8) : 0;
    }
    default:
      return 0;
  }
}

}  // namespace kernel::pfkey

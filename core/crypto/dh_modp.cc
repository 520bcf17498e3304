// core/crypto/dh_modp.cc — MODP Diffie-Hellman: groups 1 and 2 (RFC 2409
// §6.1, §6.2) and 5, 14-18 (RFC 3526), generator 2.
//
// Groups 5 and 14-18 are OpenSSL's named groups "modp_1536".."modp_8192"
// (the RFC 3526 primes); groups 1 and 2 are built from OpenSSL's copies of
// the RFC 2409 primes (BN_get_rfc2409_prime_768/1024), as OpenSSL names no
// group for them.
#include <openssl/core_names.h>

#include "core/crypto/dh_internal.h"
#include "core/crypto/ossl_error.h"

namespace core::crypto::detail {

namespace {

// The private exponent length for groups 1 and 2, which have no named-group
// default: 256 bits is far beyond what these legacy primes can protect.
constexpr int kLegacyPrivBits = 256;

BignumPtr prime(const DhGroupInfo& g) {
  switch (g.id) {
    case DhGroup::Modp768: return BignumPtr(BN_get_rfc2409_prime_768(nullptr));
    case DhGroup::Modp1024: return BignumPtr(BN_get_rfc2409_prime_1024(nullptr));
    case DhGroup::Modp1536: return BignumPtr(BN_get_rfc3526_prime_1536(nullptr));
    case DhGroup::Modp2048: return BignumPtr(BN_get_rfc3526_prime_2048(nullptr));
    case DhGroup::Modp3072: return BignumPtr(BN_get_rfc3526_prime_3072(nullptr));
    case DhGroup::Modp4096: return BignumPtr(BN_get_rfc3526_prime_4096(nullptr));
    case DhGroup::Modp6144: return BignumPtr(BN_get_rfc3526_prime_6144(nullptr));
    case DhGroup::Modp8192: return BignumPtr(BN_get_rfc3526_prime_8192(nullptr));
    default: return nullptr;
  }
}

// fromdata builds a "DH" EVP_PKEY of the group with optional pub / priv.
Result<EvpPkeyPtr> fromdata(const DhGroupInfo& g, int selection, const BIGNUM* pub,
                            const BIGNUM* priv) {
  OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  BignumPtr p = prime(g);
  BignumPtr gen(BN_new());
  if (!bld || !p || !gen || BN_set_word(gen.get(), 2) != 1)
    return openssl_fail(fmt::format("{}: group parameters", g.name));
  bool okay = true;
  if (g.ossl_name != nullptr) {
    okay = OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, g.ossl_name, 0);
  } else {
    okay = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_P, p.get()) &&
           OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_G, gen.get()) &&
           OSSL_PARAM_BLD_push_int(bld.get(), OSSL_PKEY_PARAM_DH_PRIV_LEN, kLegacyPrivBits);
  }
  if (okay && pub != nullptr) okay = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub);
  if (okay && priv != nullptr)
    okay = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OsslParamPtr params(okay ? OSSL_PARAM_BLD_to_param(bld.get()) : nullptr);
  if (!params) return openssl_fail(fmt::format("{}: OSSL_PARAM_BLD", g.name));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1)
    return openssl_fail(fmt::format("{}: EVP_PKEY_fromdata", g.name));
  return EvpPkeyPtr(raw);
}

}  // namespace

Result<EvpPkeyPtr> modp_generate(const DhGroupInfo& g) {
  auto domain = fromdata(g, EVP_PKEY_KEY_PARAMETERS, nullptr, nullptr);
  if (!domain) return domain;
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, domain->get(), nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1)
    return openssl_fail(fmt::format("{}: key generation", g.name));
  return EvpPkeyPtr(raw);
}

Result<EvpPkeyPtr> modp_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv) {
  BignumPtr p = prime(g);
  // A secure BIGNUM makes OSSL_PARAM_BLD put the copy in memory it wipes.
  BignumPtr x(BN_secure_new());
  BignumPtr gen(BN_new());
  BignumPtr y(BN_new());
  BnCtxPtr bn_ctx(BN_CTX_new());
  if (!p || !x || !gen || !y || !bn_ctx || BN_set_word(gen.get(), 2) != 1 ||
      BN_bin2bn(priv.data(), static_cast<int>(priv.size()), x.get()) == nullptr)
    return openssl_fail(fmt::format("{}: private value", g.name));
  if (BN_is_zero(x.get()) || BN_cmp(x.get(), p.get()) >= 0)
    return fail(ErrorCode::InvalidSyntax, "{}: private value out of range", g.name);
  BN_set_flags(x.get(), BN_FLG_CONSTTIME);
  if (BN_mod_exp(y.get(), gen.get(), x.get(), p.get(), bn_ctx.get()) != 1)
    return openssl_fail(fmt::format("{}: g^x mod p", g.name));
  return fromdata(g, EVP_PKEY_KEYPAIR, y.get(), x.get());
}

Result<std::vector<std::uint8_t>> modp_public(const DhGroupInfo& g, EVP_PKEY* key) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &raw) != 1)
    return openssl_fail(fmt::format("{}: get public value", g.name));
  BignumPtr y(raw);
  std::vector<std::uint8_t> out(g.public_size);
  if (BN_bn2binpad(y.get(), out.data(), static_cast<int>(out.size())) < 0)
    return openssl_fail(fmt::format("{}: encode public value", g.name));
  return out;
}

Result<EvpPkeyPtr> modp_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer) {
  BignumPtr p = prime(g);
  BignumPtr y(BN_bin2bn(peer.data(), static_cast<int>(peer.size()), nullptr));
  BignumPtr p_minus_1(BN_new());
  if (!p || !y || !p_minus_1 || BN_sub(p_minus_1.get(), p.get(), BN_value_one()) != 1)
    return openssl_fail(fmt::format("{}: peer value", g.name));
  // RFC 6989 §2.1: 1 < y < p-1. These primes are safe primes, so this range
  // check excludes every element of a small subgroup.
  if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), p_minus_1.get()) >= 0)
    return fail(ErrorCode::InvalidSyntax, "{}: peer public value out of range", g.name);
  return fromdata(g, EVP_PKEY_PUBLIC_KEY, y.get(), nullptr);
}

}  // namespace core::crypto::detail

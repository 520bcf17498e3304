// core/crypto/dh_ec.cc — elliptic curve key exchange: ECP groups 19-21
// (RFC 5903) and Curve25519 / Curve448 (RFC 8031).
//
// RFC 5903 §7: the KE data is x | y, each the field size long, without the
// SEC1 0x04 prefix OpenSSL uses; §9: the shared secret is x alone, which is
// what OpenSSL's ECDH derive returns. RFC 8031 §2: the KE data is the raw
// 32- or 56-byte u-coordinate.
#include <array>

#include <openssl/core_names.h>

#include "core/crypto/dh_internal.h"
#include "core/crypto/fetch.h"
#include "core/crypto/ossl_error.h"

namespace core::crypto::detail {

namespace {

constexpr std::uint8_t kUncompressed = 0x04;  // SEC1 §2.3.3 point prefix
constexpr std::size_t kMaxPoint = 1 + 132;    // P-521

Result<EvpPkeyPtr> ec_fromdata(const DhGroupInfo& g, int selection,
                               std::span<const std::uint8_t> point, const BIGNUM* priv) {
  OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  bool okay = bld &&
              OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, g.ossl_name, 0) &&
              OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                               point.size());
  if (okay && priv != nullptr)
    okay = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OsslParamPtr params(okay ? OSSL_PARAM_BLD_to_param(bld.get()) : nullptr);
  if (!params) return openssl_fail(fmt::format("{}: OSSL_PARAM_BLD", g.name));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1)
    return openssl_fail(fmt::format("{}: EVP_PKEY_fromdata", g.name));
  return EvpPkeyPtr(raw);
}

Result<EvpPkeyPtr> keygen(const DhGroupInfo& g, const char* type, const char* group_name) {
  EVP_PKEY_CTX* ctx = keygen_ctx(type, group_name);
  if (ctx == nullptr) return openssl_fail(fmt::format("{}: keygen init", g.name));
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx, &raw) != 1)
    return openssl_fail(fmt::format("{}: key generation", g.name));
  return EvpPkeyPtr(raw);
}

}  // namespace

Result<EvpPkeyPtr> ec_generate(const DhGroupInfo& g) { return keygen(g, "EC", g.ossl_name); }

Result<EvpPkeyPtr> ec_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(EC_curve_nist2nid(g.ossl_name)));
  BignumPtr d(BN_secure_new());
  BnCtxPtr bn_ctx(BN_CTX_new());
  if (!group || !d || !bn_ctx ||
      BN_bin2bn(priv.data(), static_cast<int>(priv.size()), d.get()) == nullptr)
    return openssl_fail(fmt::format("{}: private value", g.name));
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
    return fail(ErrorCode::InvalidSyntax, "{}: private value out of range", g.name);
  EcPointPtr q(EC_POINT_new(group.get()));
  std::array<std::uint8_t, kMaxPoint> point;
  std::size_t len = 0;
  if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      (len = EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(),
                                point.size(), bn_ctx.get())) == 0)
    return openssl_fail(fmt::format("{}: public point", g.name));
  return ec_fromdata(g, EVP_PKEY_KEYPAIR, std::span(point).first(len), d.get());
}

Result<std::vector<std::uint8_t>> ec_public(const DhGroupInfo& g, EVP_PKEY* key) {
  std::array<std::uint8_t, kMaxPoint> point;
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                      point.size(), &len) != 1)
    return openssl_fail(fmt::format("{}: get public point", g.name));
  if (len != 1 + g.public_size || point[0] != kUncompressed)
    return fail(ErrorCode::Internal, "{}: public point not uncompressed", g.name);
  return std::vector<std::uint8_t>(point.begin() + 1, point.begin() + static_cast<long>(len));
}

Result<EvpPkeyPtr> ec_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer) {
  std::array<std::uint8_t, kMaxPoint> point;
  point[0] = kUncompressed;
  std::copy(peer.begin(), peer.end(), point.begin() + 1);
  // Decoding the point checks that x, y < p and that it lies on the curve.
  auto key = ec_fromdata(g, EVP_PKEY_PUBLIC_KEY, std::span(point).first(1 + peer.size()), nullptr);
  if (!key) {
    Error e = key.error();
    e.code = ErrorCode::InvalidSyntax;
    e.detail = fmt::format("{}: peer public value is not a point on the curve ({})", g.name, e.detail);
    return fail(std::move(e));
  }
  return key;
}

Result<EvpPkeyPtr> x_generate(const DhGroupInfo& g) { return keygen(g, g.ossl_name, nullptr); }

Result<EvpPkeyPtr> x_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv) {
  if (priv.size() != g.secret_size)
    return fail(ErrorCode::InvalidSyntax, "{}: private value is {} bytes, needs {}", g.name,
                priv.size(), g.secret_size);
  EvpPkeyPtr key(
      EVP_PKEY_new_raw_private_key_ex(nullptr, g.ossl_name, nullptr, priv.data(), priv.size()));
  if (!key) return openssl_fail(fmt::format("{}: private key", g.name));
  return key;
}

Result<std::vector<std::uint8_t>> x_public(const DhGroupInfo& g, EVP_PKEY* key) {
  std::vector<std::uint8_t> out(g.public_size);
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != out.size())
    return openssl_fail(fmt::format("{}: get public value", g.name));
  return out;
}

Result<EvpPkeyPtr> x_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer) {
  EvpPkeyPtr key(
      EVP_PKEY_new_raw_public_key_ex(nullptr, g.ossl_name, nullptr, peer.data(), peer.size()));
  if (!key) return openssl_fail(fmt::format("{}: peer public value", g.name));
  return key;
}

}  // namespace core::crypto::detail

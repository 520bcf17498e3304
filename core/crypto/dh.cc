// core/crypto/dh.cc — the key exchange group table, key creation and
// derivation common to all families.
#include "core/crypto/dh.h"

#include <array>

#include <openssl/dh.h>
#include <openssl/err.h>

#include "core/crypto/dh_internal.h"
#include "core/crypto/ossl_error.h"

namespace core::crypto {

namespace {

using K = DhGroupInfo::Kind;

// Public sizes: the prime's length for MODP (RFC 7296 §3.4), 2 x field size
// for ECP (RFC 5903 §7), the u-coordinate for Curve25519/448 (RFC 8031 §2).
constexpr std::array<DhGroupInfo, 13> kGroups{{
    {DhGroup::Modp768, "MODP_768", K::Modp, nullptr, 96, 96},
    {DhGroup::Modp1024, "MODP_1024", K::Modp, nullptr, 128, 128},
    {DhGroup::Modp1536, "MODP_1536", K::Modp, "modp_1536", 192, 192},
    {DhGroup::Modp2048, "MODP_2048", K::Modp, "modp_2048", 256, 256},
    {DhGroup::Modp3072, "MODP_3072", K::Modp, "modp_3072", 384, 384},
    {DhGroup::Modp4096, "MODP_4096", K::Modp, "modp_4096", 512, 512},
    {DhGroup::Modp6144, "MODP_6144", K::Modp, "modp_6144", 768, 768},
    {DhGroup::Modp8192, "MODP_8192", K::Modp, "modp_8192", 1024, 1024},
    {DhGroup::Ecp256, "ECP_256", K::Ecp, "P-256", 64, 32},
    {DhGroup::Ecp384, "ECP_384", K::Ecp, "P-384", 96, 48},
    {DhGroup::Ecp521, "ECP_521", K::Ecp, "P-521", 132, 66},
    {DhGroup::Curve25519, "Curve25519", K::Montgomery, "X25519", 32, 32},
    {DhGroup::Curve448, "Curve448", K::Montgomery, "X448", 56, 56},
}};

Result<std::unique_ptr<DhKey>> finish(const DhGroupInfo& g, Result<EvpPkeyPtr> key) {
  if (!key) return tl::unexpected(key.error());
  Result<std::vector<std::uint8_t>> pub = g.kind == K::Modp  ? detail::modp_public(g, key->get())
                                          : g.kind == K::Ecp ? detail::ec_public(g, key->get())
                                                             : detail::x_public(g, key->get());
  if (!pub) return tl::unexpected(pub.error());
  if (pub->size() != g.public_size)
    return fail(ErrorCode::Internal, "{}: public value of {} bytes", g.name, pub->size());
  return std::make_unique<DhKey>(&g, std::move(*key), std::move(*pub));
}

}  // namespace

const DhGroupInfo* dh_group_info(std::uint16_t group) {
  for (const auto& g : kGroups)
    if (g.id == group) return &g;
  return nullptr;
}

std::size_t dh_public_size(std::uint16_t group) {
  const DhGroupInfo* g = dh_group_info(group);
  return g == nullptr ? 0 : g->public_size;
}

Result<std::unique_ptr<DhKey>> generate_dh(std::uint16_t group) {
  const DhGroupInfo* g = dh_group_info(group);
  if (g == nullptr) return fail(ErrorCode::Unsupported, "key exchange group {} not supported", group);
  switch (g->kind) {
    case K::Modp: return finish(*g, detail::modp_generate(*g));
    case K::Ecp: return finish(*g, detail::ec_generate(*g));
    case K::Montgomery: return finish(*g, detail::x_generate(*g));
  }
  return fail(ErrorCode::Internal, "group kind");
}

Result<std::unique_ptr<DhKey>> dh_from_private(std::uint16_t group,
                                               std::span<const std::uint8_t> priv) {
  const DhGroupInfo* g = dh_group_info(group);
  if (g == nullptr) return fail(ErrorCode::Unsupported, "key exchange group {} not supported", group);
  switch (g->kind) {
    case K::Modp: return finish(*g, detail::modp_from_private(*g, priv));
    case K::Ecp: return finish(*g, detail::ec_from_private(*g, priv));
    case K::Montgomery: return finish(*g, detail::x_from_private(*g, priv));
  }
  return fail(ErrorCode::Internal, "group kind");
}

Result<SecureBytes> DhKey::derive(std::span<const std::uint8_t> peer) const {
  const DhGroupInfo& g = *info_;
  if (peer.size() != g.public_size)
    return fail(ErrorCode::InvalidSyntax, "{}: peer KE data is {} bytes, needs {}", g.name,
                peer.size(), g.public_size);
  Result<EvpPkeyPtr> peer_key = g.kind == K::Modp  ? detail::modp_peer(g, peer)
                                : g.kind == K::Ecp ? detail::ec_peer(g, peer)
                                                   : detail::x_peer(g, peer);
  if (!peer_key) return tl::unexpected(peer_key.error());

  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1)
    return openssl_fail(fmt::format("{}: EVP_PKEY_derive_init", g.name));
  // RFC 7296 §2.14: g^ir is padded with zeros to the length of the modulus.
  if (g.kind == K::Modp && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) != 1)
    return openssl_fail(fmt::format("{}: set DH padding", g.name));
  // validate_peer=1 makes OpenSSL run its public key check as well.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer_key->get(), 1) != 1) {
    Error e = openssl_error(fmt::format("{}: peer public value rejected", g.name));
    e.code = ErrorCode::InvalidSyntax;
    return fail(std::move(e));
  }
  std::size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1)
    return openssl_fail(fmt::format("{}: EVP_PKEY_derive size", g.name));
  SecureBytes secret(len);
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1) {
    // X25519/X448 refuse an all-zero result (a small-order peer point).
    Error e = openssl_error(fmt::format("{}: derive", g.name));
    if (g.kind == K::Montgomery) e.code = ErrorCode::InvalidSyntax;
    return fail(std::move(e));
  }
  secret.resize(len);
  if (secret.size() != g.secret_size)
    return fail(ErrorCode::Internal, "{}: shared secret of {} bytes", g.name, secret.size());
  if (g.kind == K::Montgomery) {
    // RFC 8031 §2.3: an all-zero secret MUST be rejected (checked again here
    // rather than trusting every OpenSSL version to do it).
    std::uint8_t acc = 0;
    for (auto b : secret) acc |= b;
    if (acc == 0) return fail(ErrorCode::InvalidSyntax, "{}: all-zero shared secret", g.name);
  }
  return secret;
}

}  // namespace core::crypto

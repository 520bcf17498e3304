// core/crypto/dh_internal.h — per-family pieces of dh.cc; private to
// core/crypto (MODP in dh_modp.cc, ECP and X25519/X448 in dh_ec.cc).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/crypto/dh.h"
#include "core/crypto/openssl_ptr.h"
#include "core/result.h"

namespace core::crypto::detail {

// Each family can generate a key, rebuild one from a private value, encode
// its public value for the KE payload, and turn validated peer KE data into
// an EVP_PKEY for EVP_PKEY_derive.
Result<EvpPkeyPtr> modp_generate(const DhGroupInfo& g);
Result<EvpPkeyPtr> modp_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv);
Result<std::vector<std::uint8_t>> modp_public(const DhGroupInfo& g, EVP_PKEY* key);
Result<EvpPkeyPtr> modp_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer);

Result<EvpPkeyPtr> ec_generate(const DhGroupInfo& g);
Result<EvpPkeyPtr> ec_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv);
Result<std::vector<std::uint8_t>> ec_public(const DhGroupInfo& g, EVP_PKEY* key);
Result<EvpPkeyPtr> ec_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer);

Result<EvpPkeyPtr> x_generate(const DhGroupInfo& g);
Result<EvpPkeyPtr> x_from_private(const DhGroupInfo& g, std::span<const std::uint8_t> priv);
Result<std::vector<std::uint8_t>> x_public(const DhGroupInfo& g, EVP_PKEY* key);
Result<EvpPkeyPtr> x_peer(const DhGroupInfo& g, std::span<const std::uint8_t> peer);

}  // namespace core::crypto::detail

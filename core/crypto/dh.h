// core/crypto/dh.h — IKEv2 key exchange (RFC 7296 §3.3.2 Transform Type 4):
// MODP groups 1, 2 (RFC 2409 §6) and 5, 14-18 (RFC 3526), ECP groups
// 19-21 (RFC 5903), Curve25519 and Curve448 (RFC 8031).
//
//   auto mine = generate_dh(DhGroup::Ecp256).value();
//   ke.data = mine->public_value();                // KE payload body
//   SecureBytes g_ir = mine->derive(peer_ke).value();
// Public values use the KE payload encoding (RFC 7296 §3.4): MODP y
// big-endian, left-padded to the prime's length; ECP x | y without the 0x04
// prefix (RFC 5903 §7); X25519/X448 the raw u-coordinate (RFC 8031 §2).
// Shared secrets: MODP g^ir padded to the prime's length (RFC 7296 §2.14),
// ECP the x coordinate only (RFC 5903 §9), X25519/X448 the raw output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/crypto/openssl_ptr.h"
#include "core/crypto/secure_buffer.h"
#include "core/crypto/transform_ids.h"
#include "core/result.h"

namespace core::crypto {

// DhGroupInfo describes one key exchange group.
struct DhGroupInfo {
  enum class Kind : std::uint8_t { Modp, Ecp, Montgomery };
  std::uint16_t id;
  std::string_view name;     // "MODP_2048", "ECP_256", "Curve25519"
  Kind kind;
  const char* ossl_name;     // OpenSSL group / key type name; nullptr for MODP 1, 2
  std::size_t public_size;   // bytes of the KE payload's key exchange data
  std::size_t secret_size;   // bytes of the shared secret
};

// dh_group_info describes a Transform Type 4 ID, or returns nullptr when
// kagi does not implement it.
const DhGroupInfo* dh_group_info(std::uint16_t group);

// dh_public_size is the KE data length of a group, 0 when unsupported.
std::size_t dh_public_size(std::uint16_t group);

// DhKey is one ephemeral key pair. Immutable after creation, so derive() may
// be called from any thread.
class DhKey {
 public:
  DhKey(const DhGroupInfo* info, EvpPkeyPtr pkey, std::vector<std::uint8_t> pub)
      : info_(info), pkey_(std::move(pkey)), public_(std::move(pub)) {}

  std::uint16_t group() const { return info_->id; }
  const DhGroupInfo& info() const { return *info_; }
  // public_value is the KE payload data for this key.
  std::span<const std::uint8_t> public_value() const { return public_; }

  // derive validates the peer's KE data and returns the shared secret.
  // Peer values fail with InvalidSyntax when their length is wrong (RFC 7296
  // §3.4 INVALID_SYNTAX), and with InvalidSyntax when they are out of range
  // (MODP: not 1 < y < p-1), not on the curve (ECP, RFC 5903 §9 / RFC 6989
  // §2.3), or give an all-zero X25519/X448 secret (RFC 8031 §2.3).
  Result<SecureBytes> derive(std::span<const std::uint8_t> peer) const;

 private:
  const DhGroupInfo* info_;
  EvpPkeyPtr pkey_;
  std::vector<std::uint8_t> public_;
};

// generate_dh creates a fresh key pair from OpenSSL's CSPRNG.
Result<std::unique_ptr<DhKey>> generate_dh(std::uint16_t group);

// dh_from_private rebuilds a key pair from a known private value (big-endian
// exponent or scalar; raw 32/56 bytes for X25519/X448): for known-answer
// tests and interop captures, never for live exchanges.
Result<std::unique_ptr<DhKey>> dh_from_private(std::uint16_t group,
                                               std::span<const std::uint8_t> priv);

}  // namespace core::crypto

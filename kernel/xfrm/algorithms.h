// kernel/xfrm/algorithms.h — IKEv2 transform IDs <-> Linux crypto API names.
//
// SAs arrive named by IKEv2 transform IDs (RFC 7296 §3.3.2, IANA "IKEv2
// Transform Attribute" registry); the kernel wants crypto API names and, for
// integrity and AEAD, the ICV length in bits. Keys of AES-CTR, CCM, GCM,
// GMAC and ChaCha20-Poly1305 carry their salt/nonce at the end (RFC 3686
// §5.1, RFC 4309 §7.1, RFC 4106 §8.1, RFC 4543 §5, RFC 7634 §2), exactly as
// the kernel's rfc3686/rfc4309/rfc4106/rfc4543/rfc7539esp templates expect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kernel::xfrm {

// AlgKind is the XFRMA attribute an algorithm travels in.
enum class AlgKind : std::uint8_t {
  Crypt,      // XFRMA_ALG_CRYPT, struct xfrm_algo
  AuthTrunc,  // XFRMA_ALG_AUTH_TRUNC, struct xfrm_algo_auth
  Aead,       // XFRMA_ALG_AEAD, struct xfrm_algo_aead
  Comp,       // XFRMA_ALG_COMP, struct xfrm_algo
};

// KernelAlg is one row of the mapping table.
struct KernelAlg {
  std::uint16_t ike_id;      // ENCR_*, AUTH_* or IPCOMP_* transform ID
  AlgKind kind;
  std::string_view name;     // crypto API name, as the kernel reports it back
  std::uint16_t icv_bits;    // truncation (AuthTrunc) or ICV length (Aead)
  std::uint8_t salt_bytes;   // salt/nonce bytes at the end of the key
  bool key_length_attr;      // the transform carries an IKEv2 Key Length
};

// IKEv2 transform IDs not named in core/crypto/transform_ids.h (IANA).
inline constexpr std::uint16_t kEncrAesCcm8 = 14;        // RFC 4309
inline constexpr std::uint16_t kEncrAesCcm12 = 15;
inline constexpr std::uint16_t kEncrAesCcm16 = 16;
inline constexpr std::uint16_t kEncrNullAuthAesGmac = 21;  // RFC 4543
inline constexpr std::uint16_t kIpcompDeflate = 2;       // RFC 7296 §3.3.2
inline constexpr std::uint16_t kIpcompLzs = 3;
inline constexpr std::uint16_t kIpcompLzjh = 4;

// encr_alg maps an ENCR_* ID to a Crypt or Aead row; nullopt if unknown.
std::optional<KernelAlg> encr_alg(std::uint16_t ike_id);
// integ_alg maps an AUTH_* ID to an AuthTrunc row; nullopt if unknown.
std::optional<KernelAlg> integ_alg(std::uint16_t ike_id);
// comp_alg maps an IPCOMP_* ID to a Comp row; nullopt if unknown.
std::optional<KernelAlg> comp_alg(std::uint16_t ike_id);

// find_kernel_alg maps a kernel name back to a row of the given kind. For
// AuthTrunc and Aead, icv_bits must match too; icv_bits == 0 takes the
// row's default (an SA that carries only the legacy XFRMA_ALG_AUTH).
std::optional<KernelAlg> find_kernel_alg(AlgKind kind, std::string_view name,
                                         std::uint32_t icv_bits);

// ike_key_bits is the IKEv2 Key Length attribute for a kernel key of
// key_bytes bytes (salt removed), 0 for transforms without the attribute.
std::uint16_t ike_key_bits(const KernelAlg& alg, std::size_t key_bytes);

}  // namespace kernel::xfrm

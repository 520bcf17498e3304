#include "kernel/xfrm/algorithms.h"

#include <array>

#include "core/crypto/transform_ids.h"

namespace kernel::xfrm {

namespace {

using core::crypto::EncrId;
using core::crypto::IntegId;

// kTable: IKEv2 transform ID -> crypto API name, as strongSwan's
// kernel_netlink and iproute2's ip-xfrm(8) name them.
constexpr std::array<KernelAlg, 22> kTable{{
    // Transform Type 1 (encryption), RFC 7296 §3.3.2.
    {EncrId::Des3, AlgKind::Crypt, "cbc(des3_ede)", 0, 0, false},
    {EncrId::Null, AlgKind::Crypt, "ecb(cipher_null)", 0, 0, false},
    {EncrId::AesCbc, AlgKind::Crypt, "cbc(aes)", 0, 0, true},
    {EncrId::AesCtr, AlgKind::Crypt, "rfc3686(ctr(aes))", 0, 4, true},
    {kEncrAesCcm8, AlgKind::Aead, "rfc4309(ccm(aes))", 64, 3, true},
    {kEncrAesCcm12, AlgKind::Aead, "rfc4309(ccm(aes))", 96, 3, true},
    {kEncrAesCcm16, AlgKind::Aead, "rfc4309(ccm(aes))", 128, 3, true},
    {EncrId::AesGcm8, AlgKind::Aead, "rfc4106(gcm(aes))", 64, 4, true},
    {EncrId::AesGcm12, AlgKind::Aead, "rfc4106(gcm(aes))", 96, 4, true},
    {EncrId::AesGcm16, AlgKind::Aead, "rfc4106(gcm(aes))", 128, 4, true},
    {kEncrNullAuthAesGmac, AlgKind::Aead, "rfc4543(gcm(aes))", 128, 4, true},
    {EncrId::ChaCha20Poly1305, AlgKind::Aead, "rfc7539esp(chacha20,poly1305)", 128, 4, false},
    // Transform Type 3 (integrity): truncation lengths of RFC 2403, 2404,
    // 3566, 4494 and RFC 4868 §2.3.
    {IntegId::HmacMd5_96, AlgKind::AuthTrunc, "hmac(md5)", 96, 0, false},
    {IntegId::HmacSha1_96, AlgKind::AuthTrunc, "hmac(sha1)", 96, 0, false},
    {IntegId::AesXcbc96, AlgKind::AuthTrunc, "xcbc(aes)", 96, 0, false},
    {IntegId::AesCmac96, AlgKind::AuthTrunc, "cmac(aes)", 96, 0, false},
    {IntegId::HmacSha2_256_128, AlgKind::AuthTrunc, "hmac(sha256)", 128, 0, false},
    {IntegId::HmacSha2_384_192, AlgKind::AuthTrunc, "hmac(sha384)", 192, 0, false},
    {IntegId::HmacSha2_512_256, AlgKind::AuthTrunc, "hmac(sha512)", 256, 0, false},
    // IPCOMP transform IDs (RFC 7296 §3.3.2, RFC 3173).
    {kIpcompDeflate, AlgKind::Comp, "deflate", 0, 0, false},
    {kIpcompLzs, AlgKind::Comp, "lzs", 0, 0, false},
    {kIpcompLzjh, AlgKind::Comp, "lzjh", 0, 0, false},
}};

std::optional<KernelAlg> find(std::uint16_t id, bool (*kind_ok)(AlgKind)) {
  for (const auto& row : kTable)
    if (row.ike_id == id && kind_ok(row.kind)) return row;
  return std::nullopt;
}

}  // namespace

std::optional<KernelAlg> encr_alg(std::uint16_t ike_id) {
  return find(ike_id, [](AlgKind k) { return k == AlgKind::Crypt || k == AlgKind::Aead; });
}

std::optional<KernelAlg> integ_alg(std::uint16_t ike_id) {
  return find(ike_id, [](AlgKind k) { return k == AlgKind::AuthTrunc; });
}

std::optional<KernelAlg> comp_alg(std::uint16_t ike_id) {
  return find(ike_id, [](AlgKind k) { return k == AlgKind::Comp; });
}

std::optional<KernelAlg> find_kernel_alg(AlgKind kind, std::string_view name,
                                         std::uint32_t icv_bits) {
  for (const auto& row : kTable) {
    if (row.kind != kind || row.name != name) continue;
    bool sized = kind == AlgKind::AuthTrunc || kind == AlgKind::Aead;
    if (!sized || icv_bits == 0 || row.icv_bits == icv_bits) return row;
  }
  return std::nullopt;
}

std::uint16_t ike_key_bits(const KernelAlg& alg, std::size_t key_bytes) {
  if (!alg.key_length_attr || key_bytes < alg.salt_bytes) return 0;
  return static_cast<std::uint16_t>((key_bytes - alg.salt_bytes) * 8);
}

}  // namespace kernel::xfrm

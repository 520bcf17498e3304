// ikev2/wire/ke.cc — the Key Exchange payload codec (RFC 7296 §3.4).
#include "ikev2/wire/ke.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

std::optional<std::size_t> ke_public_value_size(std::uint16_t group) {
  switch (group) {
    case 1: return 96;     // 768-bit MODP (RFC 7296 App. B.1)
    case 2: return 128;    // 1024-bit MODP (RFC 7296 App. B.2)
    case 5: return 192;    // 1536-bit MODP (RFC 3526)
    case 14: return 256;   // 2048-bit MODP
    case 15: return 384;   // 3072-bit MODP
    case 16: return 512;   // 4096-bit MODP
    case 17: return 768;   // 6144-bit MODP
    case 18: return 1024;  // 8192-bit MODP
    case 19: return 64;    // ECP P-256 (RFC 5903)
    case 20: return 96;    // ECP P-384
    case 21: return 132;   // ECP P-521
    case 22: return 128;   // 1024-bit MODP, 160-bit subgroup (RFC 5114)
    case 23: return 256;   // 2048-bit MODP, 224-bit subgroup
    case 24: return 256;   // 2048-bit MODP, 256-bit subgroup
    case 25: return 48;    // ECP P-192 (RFC 5114)
    case 26: return 56;    // ECP P-224
    case 27: return 56;    // brainpoolP224r1 (RFC 6954)
    case 28: return 64;    // brainpoolP256r1
    case 29: return 96;    // brainpoolP384r1
    case 30: return 128;   // brainpoolP512r1
    case 31: return 32;    // Curve25519 (RFC 8031)
    case 32: return 56;    // Curve448 (RFC 8031)
    default: return std::nullopt;
  }
}

core::Result<KePayload> decode_ke(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  KePayload ke;
  if (!r.u16(ke.group) || !r.skip(2)) {
    return core::fail(core::ErrorCode::Malformed, "KE body {} octets < 4", body.size());
  }
  auto rest = r.rest();
  ke.data.assign(rest.begin(), rest.end());
  return ke;
}

core::Status verify(const KePayload& ke, const VerifyContext&) {
  if (ke.group == 0) return core::fail(core::ErrorCode::InvalidSyntax, "KE group 0");
  if (ke.data.empty()) return core::fail(core::ErrorCode::InvalidSyntax, "KE without data");
  if (auto want = ke_public_value_size(ke.group); want && *want != ke.data.size()) {
    return core::fail(core::ErrorCode::InvalidSyntax, "KE data for {} is {} octets, want {}",
                      transform_id_name(TransformType::Ke, ke.group), ke.data.size(), *want);
  }
  return core::ok();
}

void encode(const KePayload& ke, core::wire::Writer& w) {
  w.u16(ke.group);
  w.u16(0);
  w.bytes(ke.data);
}

}  // namespace ikev2::wire

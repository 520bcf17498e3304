// kink/wire/isakmp_nonce_ke.cc — ISAKMP Nonce and KE codecs (RFC 2408 §3.7, §3.13).
#include "kink/wire/isakmp_nonce_ke.h"

#include "kink/wire/codec_util.h"

namespace kink::wire::isakmp {

core::Result<NoncePayload> decode_nonce(std::span<const std::uint8_t> body) {
  return NoncePayload{detail::to_vec(body)};
}

core::Result<KePayload> decode_ke(std::span<const std::uint8_t> body) {
  return KePayload{detail::to_vec(body)};
}

core::Status verify(const NoncePayload& nonce) {
  if (nonce.data.size() < kMinNonceSize || nonce.data.size() > kMaxNonceSize) {
    return core::fail(core::ErrorCode::InvalidSyntax, "Nonce of {} octets outside {}..{}",
                      nonce.data.size(), kMinNonceSize, kMaxNonceSize);
  }
  return core::ok();
}

core::Status verify(const KePayload& ke) {
  if (ke.data.empty()) return core::fail(core::ErrorCode::InvalidSyntax, "KE without Key Exchange Data");
  return core::ok();
}

void encode(const NoncePayload& nonce, core::wire::Writer& w) { w.bytes(nonce.data); }

void encode(const KePayload& ke, core::wire::Writer& w) { w.bytes(ke.data); }

}  // namespace kink::wire::isakmp

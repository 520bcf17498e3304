// ikev2/wire/nonce.cc — the Nonce payload codec (RFC 7296 §3.9).
#include "ikev2/wire/nonce.h"

namespace ikev2::wire {

core::Result<NoncePayload> decode_nonce(std::span<const std::uint8_t> body) {
  return NoncePayload{{body.begin(), body.end()}};
}

core::Status verify(const NoncePayload& nonce, const VerifyContext&) {
  if (nonce.data.size() < kMinNonceSize || nonce.data.size() > kMaxNonceSize) {
    return core::fail(core::ErrorCode::InvalidSyntax, "Nonce of {} octets outside {}..{}",
                      nonce.data.size(), kMinNonceSize, kMaxNonceSize);
  }
  return core::ok();
}

void encode(const NoncePayload& nonce, core::wire::Writer& w) { w.bytes(nonce.data); }

}  // namespace ikev2::wire

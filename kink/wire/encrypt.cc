// kink/wire/encrypt.cc — the KINK_ENCRYPT payload codec (RFC 4430 §4.2.7).
#include "kink/wire/encrypt.h"

#include "kink/wire/codec_util.h"

namespace kink::wire {

core::Result<EncryptPayload> decode_encrypt(std::span<const std::uint8_t> body) {
  return EncryptPayload{detail::to_vec(body)};
}

core::Status verify(const EncryptPayload& p) {
  if (p.ciphertext.empty()) return core::fail(core::ErrorCode::InvalidSyntax, "KINK_ENCRYPT is empty");
  return core::ok();
}

void encode(const EncryptPayload& p, core::wire::Writer& w) { w.bytes(p.ciphertext); }

}  // namespace kink::wire

// ikev2/wire/eap.cc — the EAP payload codec (RFC 7296 §3.16).
#include "ikev2/wire/eap.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<EapPayload> decode_eap(std::span<const std::uint8_t> body) {
  return EapPayload{{body.begin(), body.end()}};
}

core::Status verify(const EapPayload& eap, const VerifyContext&) {
  core::wire::Reader r(eap.message);
  std::uint8_t code = 0, identifier = 0;
  std::uint16_t length = 0;
  if (!r.u8(code) || !r.u8(identifier) || !r.u16(length)) {
    return core::fail(core::ErrorCode::InvalidSyntax, "EAP message of {} octets < 4",
                      eap.message.size());
  }
  if (code < 1 || code > 4) {
    return core::fail(core::ErrorCode::InvalidSyntax, "EAP Code {}", code);
  }
  if (length != eap.message.size()) {
    return core::fail(core::ErrorCode::InvalidSyntax, "EAP Length {} but {} octets in the payload",
                      length, eap.message.size());
  }
  return core::ok();
}

void encode(const EapPayload& eap, core::wire::Writer& w) { w.bytes(eap.message); }

}  // namespace ikev2::wire

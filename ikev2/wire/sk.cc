// ikev2/wire/sk.cc — the SK payload framing (RFC 7296 §3.14).
#include "ikev2/wire/sk.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<SkParts> decode_sk(std::span<const std::uint8_t> body, std::size_t iv_len,
                                std::size_t icv_len) {
  // At least one ciphertext octet: the Pad Length field is always present.
  if (body.size() < iv_len + icv_len + 1) {
    return core::fail(core::ErrorCode::Malformed,
                      "SK body of {} octets cannot hold IV {} + Pad Length + ICV {}", body.size(),
                      iv_len, icv_len);
  }
  core::wire::Reader r(body);
  SkParts parts;
  r.bytes(iv_len, parts.iv);
  r.bytes(body.size() - iv_len - icv_len, parts.ciphertext);
  parts.icv = r.rest();
  return parts;
}

core::Status verify(const SkPayload&, const VerifyContext&) { return core::ok(); }

void encode(const SkPayload& sk, core::wire::Writer& w) { w.bytes(sk.body); }

}  // namespace ikev2::wire

// ikev2/wire/skf.cc — the Encrypted Fragment payload codec (RFC 7383 §2.5).
#include "ikev2/wire/skf.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

core::Result<SkfPayload> decode_skf(std::span<const std::uint8_t> body, PayloadType first_inner) {
  core::wire::Reader r(body);
  SkfPayload f;
  f.first_inner = first_inner;
  if (!r.u16(f.fragment_number) || !r.u16(f.total_fragments)) {
    return core::fail(core::ErrorCode::Malformed, "SKF body {} octets < 4", body.size());
  }
  auto rest = r.rest();
  f.body.assign(rest.begin(), rest.end());
  return f;
}

core::Status verify(const SkfPayload& skf, const VerifyContext&) {
  if (skf.fragment_number == 0 || skf.total_fragments == 0 ||
      skf.fragment_number > skf.total_fragments) {
    return core::fail(core::ErrorCode::InvalidSyntax, "SKF fragment {} of {}", skf.fragment_number,
                      skf.total_fragments);
  }
  if (skf.fragment_number != 1 && skf.first_inner != PayloadType::None) {
    return core::fail(core::ErrorCode::InvalidSyntax, "SKF fragment {} has Next Payload {}",
                      skf.fragment_number, payload_type_name(skf.first_inner));
  }
  return core::ok();
}

void encode(const SkfPayload& skf, core::wire::Writer& w) {
  w.u16(skf.fragment_number);
  w.u16(skf.total_fragments);
  w.bytes(skf.body);
}

}  // namespace ikev2::wire

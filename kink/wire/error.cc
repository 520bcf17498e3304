// kink/wire/error.cc — the KINK_ERROR payload codec (RFC 4430 §4.2.8).
#include "kink/wire/error.h"

#include "core/wire/reader.h"

namespace kink::wire {

core::Result<ErrorPayload> decode_error(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint32_t code = 0;
  if (body.size() != kErrorBodySize || !r.u32(code)) {
    return core::fail(core::ErrorCode::Malformed, "KINK_ERROR body {} octets (want {})", body.size(),
                      kErrorBodySize);
  }
  return ErrorPayload{static_cast<KinkErrorCode>(code)};
}

core::Status verify(const ErrorPayload& p) {
  auto v = static_cast<std::uint32_t>(p.code);
  if (v > kErrorPrivateUseEnd) {
    return core::fail(core::ErrorCode::InvalidSyntax, "KINK_ERROR ErrorCode {} is in the reserved range",
                      v);
  }
  return core::ok();
}

void encode(const ErrorPayload& p, core::wire::Writer& w) { w.u32(static_cast<std::uint32_t>(p.code)); }

}  // namespace kink::wire

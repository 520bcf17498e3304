// kink/wire/payload.cc — dispatch from KINK payload type to payload codec (RFC 4430 §4.2).
#include "kink/wire/payload.h"

#include <type_traits>

#include <fmt/format.h>

#include "kink/wire/codec_util.h"

namespace kink::wire {

namespace {

struct TypeOf {
  PayloadType operator()(const ApReqPayload&) const { return PayloadType::ApReq; }
  PayloadType operator()(const ApRepPayload&) const { return PayloadType::ApRep; }
  PayloadType operator()(const KrbErrorPayload&) const { return PayloadType::KrbError; }
  PayloadType operator()(const TgtReqPayload&) const { return PayloadType::TgtReq; }
  PayloadType operator()(const TgtRepPayload&) const { return PayloadType::TgtRep; }
  PayloadType operator()(const IsakmpPayload&) const { return PayloadType::Isakmp; }
  PayloadType operator()(const EncryptPayload&) const { return PayloadType::Encrypt; }
  PayloadType operator()(const ErrorPayload&) const { return PayloadType::Error; }
  PayloadType operator()(const UnknownPayload& p) const { return p.type; }
};

tl::unexpected<DecodeError> payload_error(DecodeFault fault, PayloadType type, std::size_t offset,
                                          const std::string& what) {
  DecodeError e;
  e.fault = fault;
  e.payload_type = type;
  e.offset = offset;
  e.detail = fmt::format("{} payload at offset {}: {}", payload_type_name(type), offset, what);
  return tl::unexpected<DecodeError>(std::move(e));
}

// finish verifies a decoded payload struct and lifts it into a Payload.
template <typename T>
DecodeResult<Payload> finish(core::Result<T>&& r, PayloadType type, std::size_t offset) {
  if (!r) {
    DecodeFault f = r.error().code == core::ErrorCode::InvalidSyntax ? DecodeFault::InvalidSyntax
                                                                     : DecodeFault::Malformed;
    return payload_error(f, type, offset, r.error().detail);
  }
  if (auto s = verify(*r); !s) return payload_error(DecodeFault::InvalidSyntax, type, offset, s.error().detail);
  return Payload(std::move(*r));
}

}  // namespace

PayloadType payload_type(const Payload& p) { return std::visit(TypeOf{}, p); }

DecodeResult<Payload> decode_payload(PayloadType type, std::span<const std::uint8_t> body,
                                     std::uint32_t doi, std::size_t offset) {
  switch (type) {
    case PayloadType::ApReq: return finish(decode_ap_req(body), type, offset);
    case PayloadType::ApRep: return finish(decode_ap_rep(body), type, offset);
    case PayloadType::KrbError: return finish(decode_krb_error(body), type, offset);
    case PayloadType::TgtReq: return finish(decode_tgt_req(body), type, offset);
    case PayloadType::TgtRep: return finish(decode_tgt_rep(body), type, offset);
    case PayloadType::Encrypt: return finish(decode_encrypt(body), type, offset);
    case PayloadType::Error: return finish(decode_error(body), type, offset);
    case PayloadType::Isakmp: {
      auto p = decode_isakmp_payload(body, doi, offset + kGenericHeaderSize);
      if (!p) {
        DecodeError e = std::move(p.error());
        e.detail = fmt::format("KINK_ISAKMP payload at offset {}: {}", offset, e.detail);
        if (!e.isakmp_type) e.offset = offset;
        return tl::unexpected<DecodeError>(std::move(e));
      }
      return Payload(std::move(*p));
    }
    case PayloadType::Done: break;
  }
  return Payload(UnknownPayload{type, detail::to_vec(body)});
}

void encode_payload_body(const Payload& p, core::wire::Writer& w) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, UnknownPayload>) {
          w.bytes(v.body);
        } else {
          encode(v, w);
        }
      },
      p);
}

}  // namespace kink::wire

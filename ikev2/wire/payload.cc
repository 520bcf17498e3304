// ikev2/wire/payload.cc — dispatch from payload type to payload codec.
#include "ikev2/wire/payload.h"

#include <type_traits>

namespace ikev2::wire {

namespace {

// lift turns a Result<T> of one payload struct into a Result<Payload>.
template <typename T>
core::Result<Payload> lift(core::Result<T>&& r) {
  if (!r) return core::fail(std::move(r.error()));
  return Payload(std::move(*r));
}

struct TypeOf {
  PayloadType operator()(const SaPayload&) const { return PayloadType::Sa; }
  PayloadType operator()(const KePayload&) const { return PayloadType::Ke; }
  PayloadType operator()(const IdPayload& p) const {
    return p.initiator ? PayloadType::IdInitiator : PayloadType::IdResponder;
  }
  PayloadType operator()(const CertPayload&) const { return PayloadType::Cert; }
  PayloadType operator()(const CertReqPayload&) const { return PayloadType::CertReq; }
  PayloadType operator()(const AuthPayload&) const { return PayloadType::Auth; }
  PayloadType operator()(const NoncePayload&) const { return PayloadType::Nonce; }
  PayloadType operator()(const NotifyPayload&) const { return PayloadType::Notify; }
  PayloadType operator()(const DeletePayload&) const { return PayloadType::Delete; }
  PayloadType operator()(const VendorIdPayload&) const { return PayloadType::VendorId; }
  PayloadType operator()(const TsPayload& p) const {
    return p.initiator ? PayloadType::TsInitiator : PayloadType::TsResponder;
  }
  PayloadType operator()(const SkPayload&) const { return PayloadType::Encrypted; }
  PayloadType operator()(const CpPayload&) const { return PayloadType::Config; }
  PayloadType operator()(const EapPayload&) const { return PayloadType::Eap; }
  PayloadType operator()(const SkfPayload&) const { return PayloadType::EncryptedFragment; }
  PayloadType operator()(const UnknownPayload& p) const { return p.type; }
};

}  // namespace

PayloadType payload_type(const Payload& p) { return std::visit(TypeOf{}, p); }

core::Result<Payload> decode_payload(PayloadType type, const GenericHeader& g) {
  auto body = g.body;
  switch (type) {
    case PayloadType::Sa: return lift(decode_sa(body));
    case PayloadType::Ke: return lift(decode_ke(body));
    case PayloadType::IdInitiator: return lift(decode_id(body, true));
    case PayloadType::IdResponder: return lift(decode_id(body, false));
    case PayloadType::Cert: return lift(decode_cert(body));
    case PayloadType::CertReq: return lift(decode_certreq(body));
    case PayloadType::Auth: return lift(decode_auth(body));
    case PayloadType::Nonce: return lift(decode_nonce(body));
    case PayloadType::Notify: return lift(decode_notify(body));
    case PayloadType::Delete: return lift(decode_delete(body));
    case PayloadType::VendorId: return lift(decode_vendor_id(body));
    case PayloadType::TsInitiator: return lift(decode_ts(body, true));
    case PayloadType::TsResponder: return lift(decode_ts(body, false));
    case PayloadType::Encrypted: return Payload(SkPayload{g.next_payload, {body.begin(), body.end()}});
    case PayloadType::Config: return lift(decode_cp(body));
    case PayloadType::Eap: return lift(decode_eap(body));
    case PayloadType::EncryptedFragment: return lift(decode_skf(body, g.next_payload));
    default: break;
  }
  return Payload(UnknownPayload{type, g.critical, {body.begin(), body.end()}});
}

core::Status verify_payload(const Payload& p, const VerifyContext& ctx) {
  return std::visit(
      [&](const auto& v) -> core::Status {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, UnknownPayload>) {
          return core::ok();
        } else {
          return verify(v, ctx);
        }
      },
      p);
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

bool critical_bit(const Payload& p) {
  const auto* u = std::get_if<UnknownPayload>(&p);
  return u != nullptr && u->critical;
}

}  // namespace ikev2::wire

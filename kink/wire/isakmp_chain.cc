// kink/wire/isakmp_chain.cc — the ISAKMP payload chain codec (RFC 2408 §3.2).
#include "kink/wire/isakmp_chain.h"

#include <cassert>
#include <type_traits>

#include <fmt/format.h>

#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "kink/wire/codec_util.h"

namespace kink::wire::isakmp {

namespace {

struct TypeOf {
  PayloadType operator()(const SaPayload&) const { return PayloadType::Sa; }
  PayloadType operator()(const KePayload&) const { return PayloadType::Ke; }
  PayloadType operator()(const IdPayload&) const { return PayloadType::Id; }
  PayloadType operator()(const NoncePayload&) const { return PayloadType::Nonce; }
  PayloadType operator()(const NotifyPayload&) const { return PayloadType::Notify; }
  PayloadType operator()(const DeletePayload&) const { return PayloadType::Delete; }
  PayloadType operator()(const UnknownPayload& p) const { return p.type; }
};

template <typename T>
core::Result<Payload> lift(core::Result<T>&& r) {
  if (!r) return core::fail(std::move(r.error()));
  return Payload(std::move(*r));
}

core::Result<Payload> decode_payload(PayloadType type, std::span<const std::uint8_t> body) {
  switch (type) {
    case PayloadType::Sa: return lift(decode_sa(body));
    case PayloadType::Ke: return lift(decode_ke(body));
    case PayloadType::Id: return lift(decode_id(body));
    case PayloadType::Nonce: return lift(decode_nonce(body));
    case PayloadType::Notify: return lift(decode_notify(body));
    case PayloadType::Delete: return lift(decode_delete(body));
    case PayloadType::Proposal:
    case PayloadType::Transform:
      // RFC 2408 §3.5, §3.6: these exist only inside an SA payload.
      return core::fail(core::ErrorCode::InvalidSyntax, "{} payload outside an SA payload",
                        payload_type_name(type));
    default: break;
  }
  return Payload(UnknownPayload{type, detail::to_vec(body)});
}

core::Status verify_payload(const Payload& p) {
  return std::visit(
      [](const auto& v) -> core::Status {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, UnknownPayload>) {
          return core::ok();
        } else {
          return verify(v);
        }
      },
      p);
}

// has_doi is true for the payloads whose body starts with a DOI field.
bool has_doi(PayloadType t) {
  return t == PayloadType::Sa || t == PayloadType::Notify || t == PayloadType::Delete;
}

DecodeFault fault_of(const core::Error& e) {
  switch (e.code) {
    case core::ErrorCode::InvalidSyntax: return DecodeFault::InvalidSyntax;
    case core::ErrorCode::Unsupported: return DecodeFault::Unsupported;
    default: return DecodeFault::Malformed;
  }
}

tl::unexpected<DecodeError> chain_error(DecodeFault fault, PayloadType type, std::size_t offset,
                                        std::string what) {
  DecodeError e;
  e.fault = fault;
  e.payload_type = kink::wire::PayloadType::Isakmp;
  e.isakmp_type = type;
  e.offset = offset;
  e.detail = fmt::format("{} payload at offset {}: {}", payload_type_name(type), offset, what);
  return tl::unexpected<DecodeError>(std::move(e));
}

}  // namespace

PayloadType payload_type(const Payload& p) { return std::visit(TypeOf{}, p); }

DecodeResult<std::vector<Payload>> decode_chain(PayloadType first, std::span<const std::uint8_t> data,
                                                std::uint32_t doi, std::size_t base) {
  core::wire::Reader r(data);
  std::vector<Payload> out;
  PayloadType type = first;
  while (type != PayloadType::None) {
    std::size_t offset = base + (data.size() - r.remaining());
    std::uint8_t next = 0, reserved = 0;
    std::uint16_t length = 0;
    std::span<const std::uint8_t> body;
    if (!r.u8(next) || !r.u8(reserved) || !r.u16(length)) {
      return chain_error(DecodeFault::Malformed, type, offset,
                         fmt::format("generic header truncated ({} octets left)", r.remaining()));
    }
    if (length < kGenericHeaderSize || !r.bytes(length - kGenericHeaderSize, body)) {
      return chain_error(DecodeFault::Malformed, type, offset,
                         fmt::format("Payload Length {} invalid ({} octets follow its header)", length,
                                     r.remaining()));
    }
    if (has_doi(type)) {
      core::wire::Reader peek(body);
      std::uint32_t payload_doi = 0;
      // RFC 4430 §4: a sub-payload's DOI MUST equal the KINK header's.
      if (peek.u32(payload_doi) && payload_doi != doi) {
        return chain_error(DecodeFault::InvalidDoi, type, offset,
                           fmt::format("DOI {} differs from the KINK header's DOI {}", payload_doi, doi));
      }
    }
    auto p = decode_payload(type, body);
    if (!p) return chain_error(fault_of(p.error()), type, offset, p.error().detail);
    if (auto s = verify_payload(*p); !s) {
      return chain_error(DecodeFault::InvalidSyntax, type, offset, s.error().detail);
    }
    out.push_back(std::move(*p));
    type = static_cast<PayloadType>(next);
  }
  if (!r.empty()) {
    std::size_t offset = base + (data.size() - r.remaining());
    return chain_error(DecodeFault::Malformed, PayloadType::None, offset,
                       fmt::format("{} octets after the last ISAKMP payload", r.remaining()));
  }
  return out;
}

EncodedChain encode_chain(const std::vector<Payload>& payloads) {
  core::wire::Writer w;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    PayloadType next = i + 1 < payloads.size() ? payload_type(payloads[i + 1]) : PayloadType::None;
    std::size_t start = w.size();
    w.u8(static_cast<std::uint8_t>(next));
    w.u8(0);
    auto len = w.reserve_u16();
    std::visit(
        [&](const auto& v) {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, UnknownPayload>) {
            w.bytes(v.body);
          } else {
            encode(v, w);
          }
        },
        payloads[i]);
    detail::patch_length16(w, len, start);
  }
  return {payloads.empty() ? PayloadType::None : payload_type(payloads.front()), w.take()};
}

std::string describe_chain(const std::vector<Payload>& payloads) {
  std::string out;
  for (const Payload& p : payloads) {
    if (!out.empty()) out += ' ';
    if (const auto* n = std::get_if<NotifyPayload>(&p)) {
      out += fmt::format("N({})", notify_type_name(n->type));
    } else if (const auto* d = std::get_if<DeletePayload>(&p)) {
      out += fmt::format("D({} x{})", protocol_id_name(d->protocol), d->spis.size());
    } else {
      out += payload_type_name(payload_type(p));
    }
  }
  return out;
}

}  // namespace kink::wire::isakmp

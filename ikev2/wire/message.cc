// ikev2/wire/message.cc — message and payload chain codecs (RFC 7296 §3.1, §3.2).
#include "ikev2/wire/message.h"

#include <cassert>

#include <fmt/format.h>

#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "ikev2/wire/generic_header.h"

namespace ikev2::wire {

namespace {

// kLengthOffset is where the Length field sits in the IKE header.
constexpr std::size_t kLengthOffset = 24;

bool is_encrypted(PayloadType t) {
  return t == PayloadType::Encrypted || t == PayloadType::EncryptedFragment;
}

tl::unexpected<DecodeError> chain_error(DecodeFault fault, PayloadType type, std::size_t offset,
                                        std::string what) {
  return tl::unexpected<DecodeError>(DecodeError{
      fault, type, offset,
      fmt::format("{} payload at offset {}: {}", payload_type_name(type), offset, what), {}});
}

DecodeFault fault_of(const core::Error& e) {
  return e.code == core::ErrorCode::InvalidSyntax ? DecodeFault::InvalidSyntax
                                                  : DecodeFault::Malformed;
}

// walk_chain decodes and verifies the chain starting with type first that
// must fill data exactly. base is data's offset within the buffer the error
// offsets refer to; inner forbids SK/SKF (they do not nest).
DecodeResult<std::vector<Payload>> walk_chain(PayloadType first, std::span<const std::uint8_t> data,
                                              const VerifyContext& ctx, std::size_t base,
                                              bool inner) {
  core::wire::Reader r(data);
  std::vector<Payload> out;
  PayloadType type = first;
  while (type != PayloadType::None) {
    std::size_t offset = base + (data.size() - r.remaining());
    auto g = decode_generic_header(r);
    if (!g) return chain_error(DecodeFault::Malformed, type, offset, g.error().detail);
    if (!is_known_payload_type(type) && g->critical) {
      // RFC 7296 §3.2: an unrecognised payload with the critical bit set
      // means the whole message MUST be rejected.
      return chain_error(DecodeFault::UnsupportedCritical, type, offset,
                         "unsupported critical payload");
    }
    if (inner && is_encrypted(type)) {
      return chain_error(DecodeFault::InvalidSyntax, type, offset,
                         "encrypted payload inside an encrypted payload");
    }
    auto p = decode_payload(type, *g);
    if (!p) return chain_error(fault_of(p.error()), type, offset, p.error().detail);
    if (auto s = verify_payload(*p, ctx); !s) {
      return chain_error(DecodeFault::InvalidSyntax, type, offset, s.error().detail);
    }
    out.push_back(std::move(*p));
    if (is_encrypted(type)) {
      // §3.14: "the Encrypted payload, if present in a message, MUST be the
      // last payload in the message" (RFC 7383 §2.5 likewise for SKF).
      if (!r.empty()) {
        return chain_error(DecodeFault::Malformed, type, offset,
                           fmt::format("{} octets follow the encrypted payload", r.remaining()));
      }
      return out;
    }
    type = g->next_payload;
  }
  if (!r.empty()) {
    std::size_t offset = base + (data.size() - r.remaining());
    return chain_error(DecodeFault::Malformed, PayloadType::None, offset,
                       fmt::format("{} octets after the last payload", r.remaining()));
  }
  return out;
}

// write_chain appends payloads with their generic headers.
void write_chain(const std::vector<Payload>& payloads, core::wire::Writer& w) {
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const Payload& p = payloads[i];
    PayloadType next = i + 1 < payloads.size() ? payload_type(payloads[i + 1]) : PayloadType::None;
    if (const auto* sk = std::get_if<SkPayload>(&p)) {
      assert(i + 1 == payloads.size() && "SK must be the last payload");
      next = sk->first_inner;
    } else if (const auto* skf = std::get_if<SkfPayload>(&p)) {
      assert(i + 1 == payloads.size() && "SKF must be the last payload");
      next = skf->first_inner;
    }
    auto frame = PayloadFrame::begin(w, next, critical_bit(p));
    encode_payload_body(p, w);
    frame.finish(w);
  }
}

}  // namespace

DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram) {
  Message m;
  auto header = decode_header(datagram);
  if (!header) {
    return tl::unexpected<DecodeError>(
        DecodeError{DecodeFault::Malformed, PayloadType::None, 0, header.error().detail, {}});
  }
  // The version decides how the rest is framed, so it is checked first
  // (RFC 7296 §2.5).
  if (auto v = verify_header(*header); !v) {
    return tl::unexpected<DecodeError>(
        DecodeError{DecodeFault::InvalidMajorVersion, PayloadType::None, 0, v.error().detail, *header});
  }
  m.header = *header;
  if (m.header.length != datagram.size()) {
    return tl::unexpected<DecodeError>(DecodeError{
        DecodeFault::Malformed, PayloadType::None, 0,
        fmt::format("IKE header Length {} but the datagram has {} octets", m.header.length,
                    datagram.size()),
        m.header});
  }
  VerifyContext ctx{m.header.exchange, m.header.response};
  auto chain = walk_chain(m.header.next_payload, datagram.subspan(kHeaderSize), ctx, kHeaderSize,
                          false);
  if (!chain) {
    DecodeError e = std::move(chain.error());
    e.header = m.header;
    return tl::unexpected<DecodeError>(std::move(e));
  }
  m.payloads = std::move(*chain);
  return m;
}

DecodeResult<std::vector<Payload>> decode_payload_chain(PayloadType first,
                                                        std::span<const std::uint8_t> data,
                                                        const VerifyContext& ctx) {
  return walk_chain(first, data, ctx, 0, true);
}

std::vector<std::uint8_t> encode_message(const Message& m) {
  core::wire::Writer w;
  Header h = m.header;
  h.next_payload = m.payloads.empty() ? PayloadType::None : payload_type(m.payloads.front());
  h.length = 0;
  encode_header(h, w);
  write_chain(m.payloads, w);
  w.patch_u32(core::wire::Writer::Mark{kLengthOffset}, static_cast<std::uint32_t>(w.size()));
  return w.take();
}

EncodedChain encode_payload_chain(const std::vector<Payload>& payloads) {
  core::wire::Writer w;
  write_chain(payloads, w);
  return {payloads.empty() ? PayloadType::None : payload_type(payloads.front()), w.take()};
}

const NotifyPayload* find_notify(const std::vector<Payload>& payloads, NotifyType t) {
  for (const Payload& p : payloads) {
    if (const auto* n = std::get_if<NotifyPayload>(&p); n && n->type == t) return n;
  }
  return nullptr;
}

}  // namespace ikev2::wire

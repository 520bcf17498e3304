// ikev2/wire/sa.cc — the SA payload codec (RFC 7296 §3.3).
#include "ikev2/wire/sa.h"

#include <algorithm>

#include "core/wire/reader.h"
#include "ikev2/wire/codec_util.h"

namespace ikev2::wire {

namespace {

using core::ErrorCode;
using core::wire::Reader;
using core::wire::Writer;

constexpr std::uint8_t kLastSubstruc = 0;
constexpr std::uint8_t kMoreProposals = 2;
constexpr std::uint8_t kMoreTransforms = 3;
constexpr std::uint16_t kAttributeFormatTv = 0x8000;
constexpr std::size_t kProposalHeader = 8;
constexpr std::size_t kTransformHeader = 8;

core::Result<TransformAttribute> decode_attribute(Reader& r, std::size_t index) {
  std::uint16_t af_type = 0, len_or_value = 0;
  if (!r.u16(af_type) || !r.u16(len_or_value)) {
    return core::fail(ErrorCode::Malformed, "attribute {} truncated", index);
  }
  TransformAttribute a;
  a.type = static_cast<std::uint16_t>(af_type & ~kAttributeFormatTv);
  a.tv = (af_type & kAttributeFormatTv) != 0;
  if (a.tv) {
    a.value = len_or_value;
  } else if (!r.copy(len_or_value, a.data)) {
    return core::fail(ErrorCode::Malformed, "attribute {} length {} exceeds the {} octets left",
                      index, len_or_value, r.remaining());
  }
  return a;
}

core::Result<Transform> decode_transform(Reader& r, bool& last) {
  std::uint8_t substruc = 0, reserved = 0, type = 0;
  std::uint16_t length = 0;
  if (!r.u8(substruc) || !r.u8(reserved) || !r.u16(length)) {
    return core::fail(ErrorCode::Malformed, "transform header truncated");
  }
  Reader body;
  if (length < kTransformHeader || !r.sub(length - 4, body)) {
    return core::fail(ErrorCode::Malformed, "Transform Length {} invalid ({} octets follow its header)",
                      length, r.remaining());
  }
  Transform t;
  if (!body.u8(type) || !body.u8(reserved) || !body.u16(t.id)) {
    return core::fail(ErrorCode::Malformed, "transform truncated");
  }
  t.type = static_cast<TransformType>(type);
  while (!body.empty()) {
    auto a = decode_attribute(body, t.attributes.size() + 1);
    if (!a) return core::fail(std::move(a.error()));
    t.attributes.push_back(std::move(*a));
  }
  if (substruc != kLastSubstruc && substruc != kMoreTransforms) {
    return core::fail(ErrorCode::InvalidSyntax, "transform Last Substruc {} is neither 0 nor 3",
                      substruc);
  }
  last = substruc == kLastSubstruc;
  return t;
}

core::Result<Proposal> decode_proposal(Reader& r, bool& last) {
  std::uint8_t substruc = 0, reserved = 0, protocol = 0, spi_size = 0, num_transforms = 0;
  std::uint16_t length = 0;
  if (!r.u8(substruc) || !r.u8(reserved) || !r.u16(length)) {
    return core::fail(ErrorCode::Malformed, "proposal header truncated");
  }
  Reader body;
  if (length < kProposalHeader || !r.sub(length - 4, body)) {
    return core::fail(ErrorCode::Malformed, "Proposal Length {} invalid ({} octets follow its header)",
                      length, r.remaining());
  }
  Proposal p;
  if (!body.u8(p.number) || !body.u8(protocol) || !body.u8(spi_size) || !body.u8(num_transforms)) {
    return core::fail(ErrorCode::Malformed, "proposal truncated");
  }
  p.protocol = static_cast<ProtocolId>(protocol);
  if (!body.copy(spi_size, p.spi)) {
    return core::fail(ErrorCode::Malformed, "proposal {} SPI Size {} exceeds its length", p.number,
                      spi_size);
  }
  bool last_transform = false;
  while (!body.empty()) {
    if (last_transform) {
      return core::fail(ErrorCode::InvalidSyntax,
                        "proposal {}: transform marked last is followed by more", p.number);
    }
    auto t = decode_transform(body, last_transform);
    if (!t) {
      return core::fail(t.error().code, "proposal {} transform {}: {}", p.number,
                        p.transforms.size() + 1, t.error().detail);
    }
    p.transforms.push_back(std::move(*t));
  }
  if (p.transforms.size() != num_transforms) {
    return core::fail(ErrorCode::Malformed, "proposal {}: Num Transforms {} but {} present",
                      p.number, num_transforms, p.transforms.size());
  }
  if (!p.transforms.empty() && !last_transform) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal {}: last transform not marked last",
                      p.number);
  }
  if (substruc != kLastSubstruc && substruc != kMoreProposals) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal Last Substruc {} is neither 0 nor 2",
                      substruc);
  }
  last = substruc == kLastSubstruc;
  return p;
}

// allowed_spi_sizes returns the SPI sizes allowed for protocol in ctx, or an
// empty list when the protocol may not appear there at all (§3.3.1).
std::vector<std::size_t> allowed_spi_sizes(ProtocolId protocol, const VerifyContext& ctx) {
  bool child = protocol == ProtocolId::Esp || protocol == ProtocolId::Ah;
  bool ike = protocol == ProtocolId::Ike;
  switch (ctx.exchange.value_or(static_cast<ExchangeType>(0))) {
    case ExchangeType::IkeSaInit:
      // "For an initial IKE SA negotiation, this field MUST be zero."
      if (ike) return {0};
      return {};
    case ExchangeType::IkeAuth:
      // The SA in IKE_AUTH is always for the first Child SA (§1.2).
      if (child) return {4};
      return {};
    case ExchangeType::CreateChildSa:
      // An IKE SA rekey carries the new IKE SPI (§1.3.2).
      if (ike) return {8};
      break;
    default:
      if (ike) return {0, 8};
      break;
  }
  if (child) return {4};
  return {};
}

core::Status verify_transform(const Transform& t, std::uint8_t proposal) {
  if (static_cast<std::uint8_t>(t.type) == 0) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Transform Type 0 is reserved",
                      proposal);
  }
  bool seen_key_length = false;
  for (const auto& a : t.attributes) {
    if (a.type != static_cast<std::uint16_t>(TransformAttributeType::KeyLength)) continue;
    // §3.3.5: Key Length is TV, appears once, and only with ciphers.
    if (!a.tv) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Key Length attribute not in TV format",
                        proposal);
    }
    if (seen_key_length) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Key Length attribute repeated",
                        proposal);
    }
    if (t.type != TransformType::Encr) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Key Length on a {} transform",
                        proposal, transform_type_name(t.type));
    }
    if (a.value == 0) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Key Length 0", proposal);
    }
    seen_key_length = true;
  }
  return core::ok();
}

}  // namespace

std::optional<std::uint16_t> Transform::key_length() const {
  for (const auto& a : attributes) {
    if (a.tv && a.type == static_cast<std::uint16_t>(TransformAttributeType::KeyLength)) return a.value;
  }
  return std::nullopt;
}

core::Result<SaPayload> decode_sa(std::span<const std::uint8_t> body) {
  Reader r(body);
  SaPayload sa;
  bool last = false;
  while (!r.empty()) {
    if (last) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal marked last is followed by more");
    }
    auto p = decode_proposal(r, last);
    if (!p) {
      return core::fail(p.error().code, "proposal #{}: {}", sa.proposals.size() + 1,
                        p.error().detail);
    }
    sa.proposals.push_back(std::move(*p));
  }
  if (!sa.proposals.empty() && !last) {
    return core::fail(ErrorCode::InvalidSyntax, "last proposal not marked last");
  }
  return sa;
}

core::Status verify(const SaPayload& sa, const VerifyContext& ctx) {
  if (sa.proposals.empty()) return core::fail(ErrorCode::InvalidSyntax, "SA without proposals");
  // §3.3.1: a response carries exactly the one accepted proposal, keeping
  // its number; a request numbers its proposals 1, 2, 3...
  if (ctx.response.value_or(false) && sa.proposals.size() != 1) {
    return core::fail(ErrorCode::InvalidSyntax, "SA in a response has {} proposals",
                      sa.proposals.size());
  }
  bool numbered_from_one = !ctx.response.has_value() ? sa.proposals.size() > 1 : !*ctx.response;
  for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
    const Proposal& p = sa.proposals[i];
    if (numbered_from_one ? p.number != i + 1 : p.number == 0) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal #{} has Proposal Num {}", i + 1,
                        p.number);
    }
    if (p.protocol == ProtocolId::None) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Protocol ID 0", p.number);
    }
    auto sizes = allowed_spi_sizes(p.protocol, ctx);
    bool known = p.protocol == ProtocolId::Ike || p.protocol == ProtocolId::Esp ||
                 p.protocol == ProtocolId::Ah;
    if (known && sizes.empty()) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: protocol {} not allowed in {}",
                        p.number, protocol_id_name(p.protocol),
                        ctx.exchange ? exchange_type_name(*ctx.exchange) : "this exchange");
    }
    if (known && std::find(sizes.begin(), sizes.end(), p.spi.size()) == sizes.end()) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: SPI Size {} invalid for {}{}",
                        p.number, p.spi.size(), protocol_id_name(p.protocol),
                        ctx.exchange ? " in " + exchange_type_name(*ctx.exchange) : "");
    }
    if (p.transforms.empty()) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {} has no transforms", p.number);
    }
    for (const auto& t : p.transforms) {
      if (auto s = verify_transform(t, p.number); !s) return s;
    }
  }
  return core::ok();
}

void encode(const SaPayload& sa, Writer& w) {
  for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
    const Proposal& p = sa.proposals[i];
    std::size_t start = w.size();
    w.u8(i + 1 == sa.proposals.size() ? kLastSubstruc : kMoreProposals);
    w.u8(0);
    auto plen = w.reserve_u16();
    w.u8(p.number);
    w.u8(static_cast<std::uint8_t>(p.protocol));
    w.u8(detail::checked_u8(p.spi.size()));
    w.u8(detail::checked_u8(p.transforms.size()));
    w.bytes(p.spi);
    for (std::size_t j = 0; j < p.transforms.size(); ++j) {
      const Transform& t = p.transforms[j];
      std::size_t tstart = w.size();
      w.u8(j + 1 == p.transforms.size() ? kLastSubstruc : kMoreTransforms);
      w.u8(0);
      auto tlen = w.reserve_u16();
      w.u8(static_cast<std::uint8_t>(t.type));
      w.u8(0);
      w.u16(t.id);
      for (const auto& a : t.attributes) {
        std::uint16_t type = static_cast<std::uint16_t>(a.type & ~kAttributeFormatTv);
        if (a.tv) {
          w.u16(static_cast<std::uint16_t>(type | kAttributeFormatTv));
          w.u16(a.value);
        } else {
          w.u16(type);
          w.u16(detail::checked_u16(a.data.size()));
          w.bytes(a.data);
        }
      }
      detail::patch_length16(w, tlen, tstart);
    }
    detail::patch_length16(w, plen, start);
  }
}

}  // namespace ikev2::wire

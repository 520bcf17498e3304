// kink/wire/isakmp_sa.cc — the ISAKMP SA / Proposal / Transform codec
// (RFC 2408 §3.3-§3.6, RFC 2407 §4.2-§4.5).
#include "kink/wire/isakmp_sa.h"

#include "core/wire/reader.h"
#include "kink/wire/codec_util.h"

namespace kink::wire::isakmp {

namespace {

using core::ErrorCode;
using core::wire::Reader;
using core::wire::Writer;

constexpr std::uint16_t kAttributeFormatTv = 0x8000;
constexpr std::size_t kGenericHeader = 4;
constexpr std::size_t kProposalHeader = 8;
constexpr std::size_t kTransformHeader = 8;

// Substructure is one Proposal or Transform payload split off an SA body.
struct Substructure {
  std::uint8_t next = 0;
  Reader body;  // after the generic header
};

core::Result<Substructure> split_substructure(Reader& r, std::size_t min_length, const char* what) {
  Substructure s;
  std::uint8_t reserved = 0;
  std::uint16_t length = 0;
  if (!r.u8(s.next) || !r.u8(reserved) || !r.u16(length)) {
    return core::fail(ErrorCode::Malformed, "{} header truncated ({} octets left)", what, r.remaining());
  }
  if (length < min_length || !r.sub(length - kGenericHeader, s.body)) {
    return core::fail(ErrorCode::Malformed, "{} Payload Length {} invalid ({} octets follow its header)",
                      what, length, r.remaining());
  }
  return s;
}

core::Result<Attribute> decode_attribute(Reader& r, std::size_t index) {
  std::uint16_t af_type = 0, len_or_value = 0;
  if (!r.u16(af_type) || !r.u16(len_or_value)) {
    return core::fail(ErrorCode::Malformed, "attribute {} truncated", index);
  }
  Attribute a;
  a.type = static_cast<std::uint16_t>(af_type & ~kAttributeFormatTv);
  a.tv = (af_type & kAttributeFormatTv) != 0;
  if (a.tv) {
    a.value = len_or_value;
  } else if (!r.copy(len_or_value, a.data)) {
    return core::fail(ErrorCode::Malformed, "attribute {} Length {} exceeds the {} octets left", index,
                      len_or_value, r.remaining());
  }
  return a;
}

core::Result<Transform> decode_transform(Reader body) {
  Transform t;
  std::uint16_t reserved2 = 0;
  if (!body.u8(t.number) || !body.u8(t.id) || !body.u16(reserved2)) {
    return core::fail(ErrorCode::Malformed, "transform truncated");
  }
  while (!body.empty()) {
    auto a = decode_attribute(body, t.attributes.size() + 1);
    if (!a) return core::fail(std::move(a.error()));
    t.attributes.push_back(std::move(*a));
  }
  return t;
}

core::Result<Proposal> decode_proposal(Reader body) {
  Proposal p;
  std::uint8_t protocol = 0, spi_size = 0, num_transforms = 0;
  if (!body.u8(p.number) || !body.u8(protocol) || !body.u8(spi_size) || !body.u8(num_transforms)) {
    return core::fail(ErrorCode::Malformed, "proposal truncated");
  }
  p.protocol = static_cast<ProtocolId>(protocol);
  if (!body.copy(spi_size, p.spi)) {
    return core::fail(ErrorCode::Malformed, "proposal {}: SPI Size {} exceeds its length", p.number,
                      spi_size);
  }
  bool last = false;
  while (!body.empty()) {
    if (last) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: transform with Next Payload 0 is followed by more",
                        p.number);
    }
    auto s = split_substructure(body, kTransformHeader, "transform");
    if (!s) return core::fail(s.error().code, "proposal {}: {}", p.number, s.error().detail);
    // RFC 2408 §3.6: Next Payload is 3 (Transform) or 0 for the last one.
    if (s->next != static_cast<std::uint8_t>(PayloadType::Transform) && s->next != 0) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {}: transform Next Payload {} (want 3 or 0)",
                        p.number, s->next);
    }
    last = s->next == 0;
    auto t = decode_transform(s->body);
    if (!t) {
      return core::fail(t.error().code, "proposal {} transform #{}: {}", p.number,
                        p.transforms.size() + 1, t.error().detail);
    }
    p.transforms.push_back(std::move(*t));
  }
  if (p.transforms.size() != num_transforms) {
    return core::fail(ErrorCode::Malformed, "proposal {}: # of Transforms {} but {} present", p.number,
                      num_transforms, p.transforms.size());
  }
  if (!p.transforms.empty() && !last) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal {}: last transform has Next Payload 3",
                      p.number);
  }
  return p;
}

core::Status verify_attributes(const Transform& t, std::uint8_t proposal) {
  const auto life_type = static_cast<std::uint16_t>(AttributeType::LifeType);
  const auto life_duration = static_cast<std::uint16_t>(AttributeType::LifeDuration);
  for (std::size_t i = 0; i < t.attributes.size(); ++i) {
    const Attribute& a = t.attributes[i];
    // RFC 2407 §4.5: attributes marked "B" MUST NOT be encoded as variable.
    if (!a.tv && is_basic_attribute(a.type)) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {} transform {}: basic attribute {} in TLV form",
                        proposal, t.number, attribute_type_name(static_cast<AttributeType>(a.type)));
    }
    if (!a.tv && a.data.empty()) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {} transform {}: attribute {} with no value",
                        proposal, t.number, a.type);
    }
    // RFC 2407 §4.5: a Life Duration is the value of the Life Type it follows.
    bool follows_type = i > 0 && t.attributes[i - 1].type == life_type;
    bool has_duration = i + 1 < t.attributes.size() && t.attributes[i + 1].type == life_duration;
    if (a.type == life_duration && !follows_type) {
      return core::fail(ErrorCode::InvalidSyntax,
                        "proposal {} transform {}: SA Life Duration not preceded by SA Life Type", proposal,
                        t.number);
    }
    if (a.type == life_type && !has_duration) {
      return core::fail(ErrorCode::InvalidSyntax,
                        "proposal {} transform {}: SA Life Type not followed by SA Life Duration", proposal,
                        t.number);
    }
  }
  return core::ok();
}

core::Status verify_proposal(const Proposal& p) {
  switch (p.protocol) {
    case ProtocolId::Esp:
    case ProtocolId::Ah:
      // RFC 2407 §4.4.1: the SPI of AH and ESP is 4 octets.
      if (p.spi.size() != 4) {
        return core::fail(ErrorCode::InvalidSyntax, "proposal {}: SPI Size {} for {} (want 4)", p.number,
                          p.spi.size(), protocol_id_name(p.protocol));
      }
      break;
    case ProtocolId::Ipcomp:
      // The IPCOMP CPI (RFC 3173) is 2 octets; ISAKMP may carry it in 4
      // with the value in the low-order octets (RFC 2407 §4.4.1).
      if (p.spi.size() != 2 && p.spi.size() != 4) {
        return core::fail(ErrorCode::InvalidSyntax, "proposal {}: SPI Size {} for PROTO_IPCOMP (want 2 or 4)",
                          p.number, p.spi.size());
      }
      break;
    case ProtocolId::Isakmp:
      return core::fail(ErrorCode::InvalidSyntax,
                        "proposal {}: PROTO_ISAKMP in Quick Mode (KINK negotiates IPsec SAs only)", p.number);
  }
  if (static_cast<std::uint8_t>(p.protocol) == 0) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal {}: Protocol-Id 0 is reserved", p.number);
  }
  if (p.transforms.empty()) {
    return core::fail(ErrorCode::InvalidSyntax, "proposal {} has no transforms", p.number);
  }
  for (const Transform& t : p.transforms) {
    if (t.id == 0) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal {} transform {}: Transform-Id 0 is reserved",
                        p.number, t.number);
    }
    if (auto s = verify_attributes(t, p.number); !s) return s;
  }
  return core::ok();
}

void encode_attribute(const Attribute& a, Writer& w) {
  auto type = static_cast<std::uint16_t>(a.type & ~kAttributeFormatTv);
  if (a.tv) {
    w.u16(static_cast<std::uint16_t>(type | kAttributeFormatTv));
    w.u16(a.value);
  } else {
    w.u16(type);
    w.u16(detail::checked_u16(a.data.size()));
    w.bytes(a.data);
  }
}

}  // namespace

Attribute Attribute::basic(AttributeType t, std::uint16_t v) {
  return {static_cast<std::uint16_t>(t), true, v, {}};
}

Attribute Attribute::variable(AttributeType t, std::vector<std::uint8_t> data) {
  return {static_cast<std::uint16_t>(t), false, 0, std::move(data)};
}

Attribute Attribute::life_duration(std::uint32_t v) {
  if (v <= 0xffff) return basic(AttributeType::LifeDuration, static_cast<std::uint16_t>(v));
  Writer w;
  w.u32(v);
  return variable(AttributeType::LifeDuration, w.take());
}

std::optional<std::uint64_t> Attribute::number() const {
  if (tv) return value;
  if (data.size() > 8) return std::nullopt;
  std::uint64_t v = 0;
  for (std::uint8_t b : data) v = v << 8 | b;
  return v;
}

const Attribute* Transform::find(AttributeType t) const {
  for (const Attribute& a : attributes) {
    if (a.type == static_cast<std::uint16_t>(t)) return &a;
  }
  return nullptr;
}

std::optional<std::uint32_t> Proposal::spi32() const {
  Reader r(spi);
  std::uint32_t v = 0;
  if (spi.size() != 4 || !r.u32(v)) return std::nullopt;
  return v;
}

void Proposal::set_spi32(std::uint32_t value) {
  Writer w;
  w.u32(value);
  spi = w.take();
}

core::Result<SaPayload> decode_sa(std::span<const std::uint8_t> body) {
  Reader r(body);
  SaPayload sa;
  if (!r.u32(sa.doi)) return core::fail(ErrorCode::Malformed, "SA body {} octets < 4 (DOI)", body.size());
  if (sa.doi != kIpsecDoi) {
    return core::fail(ErrorCode::Unsupported, "SA with DOI {}: its Situation format is unknown", sa.doi);
  }
  if (!r.u32(sa.situation)) return core::fail(ErrorCode::Malformed, "SA Situation truncated");
  if ((sa.situation & (kSitSecrecy | kSitIntegrity)) != 0) {
    return core::fail(ErrorCode::Unsupported,
                      "SA Situation 0x{:x}: labeled situations (SIT_SECRECY/SIT_INTEGRITY) are not supported",
                      sa.situation);
  }
  bool last = false;
  while (!r.empty()) {
    if (last) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal with Next Payload 0 is followed by more");
    }
    auto s = split_substructure(r, kProposalHeader, "proposal");
    if (!s) return core::fail(s.error().code, "proposal #{}: {}", sa.proposals.size() + 1, s.error().detail);
    // RFC 2408 §3.5: Next Payload is 2 (Proposal) or 0 for the last one.
    if (s->next != static_cast<std::uint8_t>(PayloadType::Proposal) && s->next != 0) {
      return core::fail(ErrorCode::InvalidSyntax, "proposal #{}: Next Payload {} (want 2 or 0)",
                        sa.proposals.size() + 1, s->next);
    }
    last = s->next == 0;
    auto p = decode_proposal(s->body);
    if (!p) {
      return core::fail(p.error().code, "proposal #{}: {}", sa.proposals.size() + 1, p.error().detail);
    }
    sa.proposals.push_back(std::move(*p));
  }
  if (!sa.proposals.empty() && !last) {
    return core::fail(ErrorCode::InvalidSyntax, "last proposal has Next Payload 2");
  }
  return sa;
}

core::Status verify(const SaPayload& sa) {
  if (sa.situation != kSitIdentityOnly) {
    return core::fail(ErrorCode::InvalidSyntax, "SA Situation 0x{:x} (want SIT_IDENTITY_ONLY)", sa.situation);
  }
  if (sa.proposals.empty()) return core::fail(ErrorCode::InvalidSyntax, "SA without proposals");
  std::uint8_t previous = 0;
  for (const Proposal& p : sa.proposals) {
    // RFC 2408 §4.2: proposal numbers start at 1 and increase; equal
    // numbers join proposals into one bundle.
    if (p.number == 0 || p.number < previous) {
      return core::fail(ErrorCode::InvalidSyntax, "Proposal # {} after {}", p.number, previous);
    }
    previous = p.number;
    if (auto s = verify_proposal(p); !s) return s;
  }
  return core::ok();
}

void encode(const SaPayload& sa, Writer& w) {
  w.u32(sa.doi);
  w.u32(sa.situation);
  for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
    const Proposal& p = sa.proposals[i];
    std::size_t start = w.size();
    w.u8(i + 1 < sa.proposals.size() ? static_cast<std::uint8_t>(PayloadType::Proposal) : 0);
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
      w.u8(j + 1 < p.transforms.size() ? static_cast<std::uint8_t>(PayloadType::Transform) : 0);
      w.u8(0);
      auto tlen = w.reserve_u16();
      w.u8(t.number);
      w.u8(t.id);
      w.u16(0);
      for (const Attribute& a : t.attributes) encode_attribute(a, w);
      detail::patch_length16(w, tlen, tstart);
    }
    detail::patch_length16(w, plen, start);
  }
}

}  // namespace kink::wire::isakmp

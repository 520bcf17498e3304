// kink/wire/isakmp_id.cc — the ISAKMP ID payload codec (RFC 2407 §4.6.2).
#include "kink/wire/isakmp_id.h"

#include <algorithm>

#include "core/wire/reader.h"
#include "kink/wire/codec_util.h"

namespace kink::wire::isakmp {

namespace {

using core::ErrorCode;
using core::net::Address;

// expected_size returns the Identification Data size of an address type
// (RFC 2407 §4.6.2.2-§4.6.2.10), or nullopt for a variable-size type.
std::optional<std::size_t> expected_size(IdType t) {
  switch (t) {
    case IdType::Ipv4Addr: return 4;
    case IdType::Ipv6Addr: return 16;
    case IdType::Ipv4AddrSubnet:
    case IdType::Ipv4AddrRange: return 8;
    case IdType::Ipv6AddrSubnet:
    case IdType::Ipv6AddrRange: return 32;
    default: return std::nullopt;
  }
}

// mask_length returns the prefix length of a contiguous mask, else nullopt.
std::optional<std::uint8_t> mask_length(std::span<const std::uint8_t> mask) {
  unsigned bits = 0;
  bool ended = false;
  for (std::uint8_t b : mask) {
    for (int i = 7; i >= 0; --i) {
      bool one = (b >> i) & 1;
      if (one && ended) return std::nullopt;
      if (one) ++bits;
      else ended = true;
    }
  }
  return static_cast<std::uint8_t>(bits);
}

std::vector<std::uint8_t> bytes_of(const Address& a) { return detail::to_vec(a.bytes()); }

}  // namespace

IdPayload IdPayload::address(const Address& a, std::uint8_t protocol, std::uint16_t port) {
  return {a.is_v4() ? IdType::Ipv4Addr : IdType::Ipv6Addr, protocol, port, bytes_of(a)};
}

IdPayload IdPayload::subnet(const core::net::Prefix& p, std::uint8_t protocol, std::uint16_t port) {
  IdPayload id{p.family() == core::net::Family::V4 ? IdType::Ipv4AddrSubnet : IdType::Ipv6AddrSubnet,
               protocol, port, bytes_of(p.network())};
  std::size_t size = id.data.size();
  for (std::size_t i = 0; i < size; ++i) {
    unsigned bits = std::min<unsigned>(8, p.length() > i * 8 ? p.length() - i * 8 : 0);
    id.data.push_back(static_cast<std::uint8_t>(0xff00u >> bits));
  }
  return id;
}

IdPayload IdPayload::range(const core::net::Range& r, std::uint8_t protocol, std::uint16_t port) {
  IdPayload id{r.start.is_v4() ? IdType::Ipv4AddrRange : IdType::Ipv6AddrRange, protocol, port,
               bytes_of(r.start)};
  auto end = bytes_of(r.end);
  id.data.insert(id.data.end(), end.begin(), end.end());
  return id;
}

std::optional<core::net::Range> IdPayload::to_range() const {
  auto size = expected_size(type);
  if (!size || data.size() != *size) return std::nullopt;
  std::span<const std::uint8_t> d = data;
  if (type == IdType::Ipv4Addr || type == IdType::Ipv6Addr) {
    auto a = Address::from_bytes(d);
    if (!a) return std::nullopt;
    return core::net::Range{*a, *a};
  }
  auto first = Address::from_bytes(d.first(*size / 2));
  auto second = d.last(*size / 2);
  if (!first) return std::nullopt;
  if (type == IdType::Ipv4AddrRange || type == IdType::Ipv6AddrRange) {
    auto last = Address::from_bytes(second);
    if (!last) return std::nullopt;
    return core::net::Range{*first, *last};
  }
  auto len = mask_length(second);
  if (!len) return std::nullopt;
  return core::net::Prefix(*first, *len).to_range();
}

core::Result<IdPayload> decode_id(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  IdPayload id;
  std::uint8_t type = 0;
  if (!r.u8(type) || !r.u8(id.protocol) || !r.u16(id.port)) {
    return core::fail(ErrorCode::Malformed, "ID body {} octets < 4", body.size());
  }
  id.type = static_cast<IdType>(type);
  id.data = detail::to_vec(r.rest());
  return id;
}

core::Status verify(const IdPayload& id) {
  if (auto size = expected_size(id.type)) {
    if (id.data.size() != *size) {
      return core::fail(ErrorCode::InvalidSyntax, "{} with {} octets of data (want {})", id_type_name(id.type),
                        id.data.size(), *size);
    }
    if (id.type == IdType::Ipv4AddrRange || id.type == IdType::Ipv6AddrRange) {
      // Both addresses are big-endian and of one size, so octet order is
      // numeric order.
      std::size_t half = *size / 2;
      if (std::lexicographical_compare(id.data.begin() + static_cast<std::ptrdiff_t>(half), id.data.end(),
                                       id.data.begin(), id.data.begin() + static_cast<std::ptrdiff_t>(half))) {
        return core::fail(ErrorCode::InvalidSyntax, "{} ends before it starts", id_type_name(id.type));
      }
    }
    return core::ok();
  }
  switch (id.type) {
    case IdType::Fqdn:
    case IdType::UserFqdn:
    case IdType::DerAsn1Dn:
    case IdType::DerAsn1Gn:
    case IdType::KeyId:
      if (id.data.empty()) {
        return core::fail(ErrorCode::InvalidSyntax, "{} with no data", id_type_name(id.type));
      }
      break;
    default:
      break;
  }
  return core::ok();
}

void encode(const IdPayload& id, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(id.type));
  w.u8(id.protocol);
  w.u16(id.port);
  w.bytes(id.data);
}

}  // namespace kink::wire::isakmp

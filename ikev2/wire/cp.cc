// ikev2/wire/cp.cc — the Configuration payload codec (RFC 7296 §3.15).
#include "ikev2/wire/cp.h"

#include "core/wire/reader.h"
#include "ikev2/wire/codec_util.h"

namespace ikev2::wire {

namespace {

using core::ErrorCode;

constexpr std::uint16_t kReservedBit = 0x8000;

}  // namespace

std::optional<std::size_t> cfg_attribute_value_size(CfgAttributeType t) {
  switch (t) {
    case CfgAttributeType::InternalIp4Address:
    case CfgAttributeType::InternalIp4Netmask:
    case CfgAttributeType::InternalIp4Dns:
    case CfgAttributeType::InternalIp4Nbns:
    case CfgAttributeType::InternalIp4Dhcp:
    case CfgAttributeType::PCscfIp4Address:
      return 4;
    case CfgAttributeType::InternalIp4Subnet:  // address + netmask
      return 8;
    case CfgAttributeType::InternalIp6Dns:
    case CfgAttributeType::InternalIp6Dhcp:
    case CfgAttributeType::PCscfIp6Address:
      return 16;
    case CfgAttributeType::InternalIp6Address:  // address + prefix length
    case CfgAttributeType::InternalIp6Subnet:
    case CfgAttributeType::InternalIp6Prefix:
      return 17;
    case CfgAttributeType::Mip6HomePrefix:  // lifetime + prefix + length
      return 21;
    default:
      return std::nullopt;
  }
}

core::Result<CpPayload> decode_cp(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t type = 0;
  if (!r.u8(type) || !r.skip(3)) {
    return core::fail(ErrorCode::Malformed, "CP body {} octets < 4", body.size());
  }
  CpPayload cp;
  cp.type = static_cast<CfgType>(type);
  while (!r.empty()) {
    std::uint16_t attr_type = 0, length = 0;
    CfgAttribute a;
    if (!r.u16(attr_type) || !r.u16(length)) {
      return core::fail(ErrorCode::Malformed, "CP attribute {} header truncated",
                        cp.attributes.size() + 1);
    }
    a.type = static_cast<CfgAttributeType>(attr_type & ~kReservedBit);
    if (!r.copy(length, a.value)) {
      return core::fail(ErrorCode::Malformed, "CP attribute {} ({}) Length {} exceeds the {} octets left",
                        cp.attributes.size() + 1, cfg_attribute_name(a.type), length,
                        r.remaining());
    }
    cp.attributes.push_back(std::move(a));
  }
  return cp;
}

core::Status verify(const CpPayload& cp, const VerifyContext&) {
  auto type = static_cast<std::uint8_t>(cp.type);
  if (type < 1 || type > 4) return core::fail(ErrorCode::InvalidSyntax, "CP CFG Type {}", type);
  for (const auto& a : cp.attributes) {
    std::size_t n = a.value.size();
    if (n == 0) continue;
    std::string name = cfg_attribute_name(a.type);
    if (auto want = cfg_attribute_value_size(a.type); want && n != *want) {
      return core::fail(ErrorCode::InvalidSyntax, "CP {} of {} octets, want 0 or {}", name, n,
                        *want);
    }
    if (a.type == CfgAttributeType::HomeAgentAddress && n != 16 && n != 20) {
      return core::fail(ErrorCode::InvalidSyntax, "CP {} of {} octets, want 16 or 20", name, n);
    }
    if (a.type == CfgAttributeType::SupportedAttributes && n % 2 != 0) {
      return core::fail(ErrorCode::InvalidSyntax, "CP {} of odd length {}", name, n);
    }
  }
  return core::ok();
}

void encode(const CpPayload& cp, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(cp.type));
  w.zeros(3);
  for (const auto& a : cp.attributes) {
    w.u16(static_cast<std::uint16_t>(static_cast<std::uint16_t>(a.type) & ~kReservedBit));
    w.u16(detail::checked_u16(a.value.size()));
    w.bytes(a.value);
  }
}

}  // namespace ikev2::wire

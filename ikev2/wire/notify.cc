// ikev2/wire/notify.cc — the Notify payload codec (RFC 7296 §3.10).
#include "ikev2/wire/notify.h"

#include "core/wire/reader.h"
#include "ikev2/wire/codec_util.h"

namespace ikev2::wire {

namespace {

using core::ErrorCode;

// DataRule is the allowed Notification Data size range of one notify type.
struct DataRule {
  NotifyType type;
  std::size_t min;
  std::size_t max;
};

constexpr DataRule kDataRules[] = {
    {NotifyType::UnsupportedCriticalPayload, 1, 1},  // RFC 7296 §3.10.1
    {NotifyType::InvalidKePayload, 2, 2},            // RFC 7296 §1.3
    {NotifyType::SetWindowSize, 4, 4},               // RFC 7296 §2.3
    {NotifyType::NatDetectionSourceIp, 20, 20},      // RFC 7296 §2.23 (SHA-1)
    {NotifyType::NatDetectionDestinationIp, 20, 20},
    {NotifyType::Cookie, 1, 64},                     // RFC 7296 §2.6
    {NotifyType::AdditionalIp4Address, 4, 4},        // RFC 4555 §4.6
    {NotifyType::AdditionalIp6Address, 16, 16},
};

bool needs_child_spi(NotifyType t) {
  // RFC 7296 §3.10: "the SPI is included only with INVALID_SELECTORS,
  // REKEY_SA, and CHILD_SA_NOT_FOUND".
  return t == NotifyType::RekeySa || t == NotifyType::InvalidSelectors ||
         t == NotifyType::ChildSaNotFound;
}

}  // namespace

std::optional<std::uint32_t> NotifyPayload::child_spi() const {
  if (spi.size() != 4) return std::nullopt;
  core::wire::Reader r(spi);
  std::uint32_t v = 0;
  r.u32(v);
  return v;
}

core::Result<NotifyPayload> decode_notify(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t protocol = 0, spi_size = 0;
  std::uint16_t type = 0;
  if (!r.u8(protocol) || !r.u8(spi_size) || !r.u16(type)) {
    return core::fail(ErrorCode::Malformed, "Notify body {} octets < 4", body.size());
  }
  NotifyPayload n;
  n.protocol = static_cast<ProtocolId>(protocol);
  n.type = static_cast<NotifyType>(type);
  if (!r.copy(spi_size, n.spi)) {
    return core::fail(ErrorCode::Malformed, "Notify {} SPI Size {} exceeds the {} octets left",
                      notify_type_name(n.type), spi_size, r.remaining());
  }
  auto rest = r.rest();
  n.data.assign(rest.begin(), rest.end());
  return n;
}

core::Status verify(const NotifyPayload& n, const VerifyContext&) {
  if (static_cast<std::uint16_t>(n.type) == 0) {
    return core::fail(ErrorCode::InvalidSyntax, "Notify Message Type 0 is reserved");
  }
  std::string name = notify_type_name(n.type);
  if (!n.spi.empty()) {
    bool child = n.protocol == ProtocolId::Esp || n.protocol == ProtocolId::Ah;
    if (!child || n.spi.size() != 4) {
      return core::fail(ErrorCode::InvalidSyntax, "Notify {}: SPI Size {} invalid for protocol {}",
                        name, n.spi.size(), protocol_id_name(n.protocol));
    }
  } else if (needs_child_spi(n.type)) {
    return core::fail(ErrorCode::InvalidSyntax, "Notify {} without the Child SA's SPI", name);
  }
  for (const auto& rule : kDataRules) {
    if (rule.type == n.type && (n.data.size() < rule.min || n.data.size() > rule.max)) {
      return core::fail(ErrorCode::InvalidSyntax, "Notify {} data of {} octets, want {}..{}", name,
                        n.data.size(), rule.min, rule.max);
    }
  }
  if (n.type == NotifyType::SignatureHashAlgorithms && n.data.size() % 2 != 0) {
    return core::fail(ErrorCode::InvalidSyntax, "Notify {} data of odd length {}", name,
                      n.data.size());
  }
  return core::ok();
}

void encode(const NotifyPayload& n, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(n.protocol));
  w.u8(detail::checked_u8(n.spi.size()));
  w.u16(static_cast<std::uint16_t>(n.type));
  w.bytes(n.spi);
  w.bytes(n.data);
}

}  // namespace ikev2::wire

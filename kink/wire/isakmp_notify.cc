// kink/wire/isakmp_notify.cc — ISAKMP Notification and Delete codecs
// (RFC 2408 §3.14, §3.15).
#include "kink/wire/isakmp_notify.h"

#include <cassert>

#include "core/wire/reader.h"
#include "kink/wire/codec_util.h"

namespace kink::wire::isakmp {

namespace {

using core::ErrorCode;

// spi_size_fits checks an SPI size against the protocol it belongs to;
// allow_zero admits a Notify that names no SA.
bool spi_size_fits(ProtocolId protocol, std::size_t size, bool allow_zero) {
  if (allow_zero && size == 0) return true;
  switch (protocol) {
    case ProtocolId::Esp:
    case ProtocolId::Ah: return size == 4;
    case ProtocolId::Ipcomp: return size == 2 || size == 4;
    case ProtocolId::Isakmp: break;
  }
  return allow_zero;  // a Notify about another protocol is not ours to judge
}

}  // namespace

DeletePayload DeletePayload::ipsec(ProtocolId protocol, const std::vector<std::uint32_t>& spis) {
  DeletePayload d;
  d.protocol = protocol;
  for (std::uint32_t spi : spis) {
    core::wire::Writer w;
    w.u32(spi);
    d.spis.push_back(w.take());
  }
  return d;
}

std::vector<std::uint32_t> DeletePayload::spis32() const {
  std::vector<std::uint32_t> out;
  for (const auto& s : spis) {
    core::wire::Reader r(s);
    std::uint32_t v = 0;
    if (s.size() == 4 && r.u32(v)) out.push_back(v);
  }
  return out;
}

core::Result<NotifyPayload> decode_notify(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  NotifyPayload n;
  std::uint8_t protocol = 0, spi_size = 0;
  std::uint16_t type = 0;
  if (!r.u32(n.doi) || !r.u8(protocol) || !r.u8(spi_size) || !r.u16(type)) {
    return core::fail(ErrorCode::Malformed, "Notification body {} octets < 8", body.size());
  }
  n.protocol = static_cast<ProtocolId>(protocol);
  n.type = static_cast<NotifyType>(type);
  if (!r.copy(spi_size, n.spi)) {
    return core::fail(ErrorCode::Malformed, "Notification SPI Size {} exceeds the {} octets left", spi_size,
                      r.remaining());
  }
  n.data = detail::to_vec(r.rest());
  return n;
}

core::Result<DeletePayload> decode_delete(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  DeletePayload d;
  std::uint8_t protocol = 0;
  std::uint16_t count = 0;
  if (!r.u32(d.doi) || !r.u8(protocol) || !r.u8(d.spi_size) || !r.u16(count)) {
    return core::fail(ErrorCode::Malformed, "Delete body {} octets < 8", body.size());
  }
  d.protocol = static_cast<ProtocolId>(protocol);
  if (static_cast<std::size_t>(d.spi_size) * count != r.remaining()) {
    return core::fail(ErrorCode::Malformed, "Delete: {} SPIs of {} octets but {} octets present", count,
                      d.spi_size, r.remaining());
  }
  d.spis.resize(count);
  for (auto& spi : d.spis) r.copy(d.spi_size, spi);
  return d;
}

core::Status verify(const NotifyPayload& n) {
  if (static_cast<std::uint16_t>(n.type) == 0) {
    return core::fail(ErrorCode::InvalidSyntax, "Notify Message Type 0 is reserved");
  }
  if (!spi_size_fits(n.protocol, n.spi.size(), true)) {
    return core::fail(ErrorCode::InvalidSyntax, "Notification {} with SPI Size {} for {}",
                      notify_type_name(n.type), n.spi.size(), protocol_id_name(n.protocol));
  }
  return core::ok();
}

core::Status verify(const DeletePayload& d) {
  bool ipsec = d.protocol == ProtocolId::Esp || d.protocol == ProtocolId::Ah ||
               d.protocol == ProtocolId::Ipcomp;
  if (!ipsec) {
    return core::fail(ErrorCode::InvalidSyntax, "Delete for {} (Quick Mode deletes IPsec SAs only)",
                      protocol_id_name(d.protocol));
  }
  if (!spi_size_fits(d.protocol, d.spi_size, false) || d.spis.empty()) {
    return core::fail(ErrorCode::InvalidSyntax, "Delete {} with SPI Size {} and {} SPIs",
                      protocol_id_name(d.protocol), d.spi_size, d.spis.size());
  }
  return core::ok();
}

void encode(const NotifyPayload& n, core::wire::Writer& w) {
  w.u32(n.doi);
  w.u8(static_cast<std::uint8_t>(n.protocol));
  w.u8(detail::checked_u8(n.spi.size()));
  w.u16(static_cast<std::uint16_t>(n.type));
  w.bytes(n.spi);
  w.bytes(n.data);
}

void encode(const DeletePayload& d, core::wire::Writer& w) {
  w.u32(d.doi);
  w.u8(static_cast<std::uint8_t>(d.protocol));
  w.u8(d.spi_size);
  w.u16(detail::checked_u16(d.spis.size()));
  for (const auto& spi : d.spis) {
    assert(spi.size() == d.spi_size && "Delete SPI of the wrong size");
    w.bytes(spi);
  }
}

}  // namespace kink::wire::isakmp

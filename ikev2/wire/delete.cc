// ikev2/wire/delete.cc — the Delete payload codec (RFC 7296 §3.11).
#include "ikev2/wire/delete.h"

#include <cassert>

#include "core/wire/reader.h"
#include "ikev2/wire/codec_util.h"

namespace ikev2::wire {

DeletePayload DeletePayload::child(ProtocolId protocol, const std::vector<std::uint32_t>& spis) {
  DeletePayload d{protocol, 4, {}};
  for (std::uint32_t spi : spis) {
    core::wire::Writer w;
    w.u32(spi);
    d.spis.push_back(w.take());
  }
  return d;
}

std::vector<std::uint32_t> DeletePayload::child_spis() const {
  std::vector<std::uint32_t> out;
  for (const auto& s : spis) {
    core::wire::Reader r(s);
    std::uint32_t v = 0;
    if (s.size() == 4 && r.u32(v)) out.push_back(v);
  }
  return out;
}

core::Result<DeletePayload> decode_delete(std::span<const std::uint8_t> body) {
  core::wire::Reader r(body);
  std::uint8_t protocol = 0;
  std::uint16_t count = 0;
  DeletePayload d;
  if (!r.u8(protocol) || !r.u8(d.spi_size) || !r.u16(count)) {
    return core::fail(core::ErrorCode::Malformed, "Delete body {} octets < 4", body.size());
  }
  d.protocol = static_cast<ProtocolId>(protocol);
  if (static_cast<std::size_t>(d.spi_size) * count != r.remaining()) {
    return core::fail(core::ErrorCode::Malformed,
                      "Delete: {} SPIs of {} octets but {} octets present", count, d.spi_size,
                      r.remaining());
  }
  d.spis.resize(count);
  for (auto& spi : d.spis) r.copy(d.spi_size, spi);
  return d;
}

core::Status verify(const DeletePayload& d, const VerifyContext&) {
  switch (d.protocol) {
    case ProtocolId::Ike:
      // §3.11: "For IKE SAs, the SPI Size ... MUST be zero [and] Num of SPIs 0".
      if (d.spi_size != 0 || !d.spis.empty()) {
        return core::fail(core::ErrorCode::InvalidSyntax,
                          "Delete IKE with SPI Size {} and {} SPIs (want 0 and 0)", d.spi_size,
                          d.spis.size());
      }
      return core::ok();
    case ProtocolId::Esp:
    case ProtocolId::Ah:
      if (d.spi_size != 4 || d.spis.empty()) {
        return core::fail(core::ErrorCode::InvalidSyntax,
                          "Delete {} with SPI Size {} and {} SPIs (want 4 and at least 1)",
                          protocol_id_name(d.protocol), d.spi_size, d.spis.size());
      }
      return core::ok();
    default:
      return core::fail(core::ErrorCode::InvalidSyntax, "Delete for protocol {}",
                        protocol_id_name(d.protocol));
  }
}

void encode(const DeletePayload& d, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(d.protocol));
  w.u8(d.spi_size);
  w.u16(detail::checked_u16(d.spis.size()));
  for (const auto& spi : d.spis) {
    assert(spi.size() == d.spi_size && "Delete SPI of the wrong size");
    w.bytes(spi);
  }
}

}  // namespace ikev2::wire

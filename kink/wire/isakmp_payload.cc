// kink/wire/isakmp_payload.cc — the KINK_ISAKMP payload codec (RFC 4430 §4.2.6).
#include "kink/wire/isakmp_payload.h"

#include <fmt/format.h>

#include "core/wire/reader.h"

namespace kink::wire {

DecodeResult<IsakmpPayload> decode_isakmp_payload(std::span<const std::uint8_t> body, std::uint32_t doi,
                                                  std::size_t base) {
  core::wire::Reader r(body);
  std::uint8_t inner = 0, version = 0;
  std::uint16_t reserved = 0;
  if (!r.u8(inner) || !r.u8(version) || !r.u16(reserved)) {
    DecodeError e;
    e.payload_type = PayloadType::Isakmp;
    e.offset = base;
    e.detail = fmt::format("KINK_ISAKMP body {} octets < {}", body.size(), kIsakmpFixedSize);
    return tl::unexpected<DecodeError>(std::move(e));
  }
  IsakmpPayload p;
  p.qm_major = static_cast<std::uint8_t>(version >> 4);
  p.qm_minor = static_cast<std::uint8_t>(version & 0x0f);
  if (p.qm_major != kQmMajorVersion) {
    DecodeError e;
    e.fault = DecodeFault::BadQmVersion;
    e.payload_type = PayloadType::Isakmp;
    e.offset = base;
    e.detail = fmt::format("KINK_ISAKMP Quick Mode version {}.{} (want {}.x)", p.qm_major, p.qm_minor,
                           kQmMajorVersion);
    return tl::unexpected<DecodeError>(std::move(e));
  }
  auto chain = isakmp::decode_chain(static_cast<isakmp::PayloadType>(inner), r.rest(), doi,
                                    base + kIsakmpFixedSize);
  if (!chain) return tl::unexpected<DecodeError>(std::move(chain.error()));
  p.payloads = std::move(*chain);
  return p;
}

void encode(const IsakmpPayload& p, core::wire::Writer& w) {
  auto chain = isakmp::encode_chain(p.payloads);
  w.u8(static_cast<std::uint8_t>(chain.first));
  w.u8(static_cast<std::uint8_t>(p.qm_major << 4 | (p.qm_minor & 0x0f)));
  w.u16(0);
  w.bytes(chain.bytes);
}

}  // namespace kink::wire

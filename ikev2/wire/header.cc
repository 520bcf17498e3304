// ikev2/wire/header.cc — the IKE header codec (RFC 7296 §3.1).
#include "ikev2/wire/header.h"

#include "core/wire/reader.h"

namespace ikev2::wire {

namespace {

constexpr std::uint8_t kFlagInitiator = 0x08;
constexpr std::uint8_t kFlagVersion = 0x10;
constexpr std::uint8_t kFlagResponse = 0x20;

}  // namespace

core::Result<Header> decode_header(std::span<const std::uint8_t> data) {
  core::wire::Reader r(data);
  Header h;
  std::uint8_t next = 0, version = 0, exchange = 0, flags = 0;
  if (!r.u64(h.spi_i) || !r.u64(h.spi_r) || !r.u8(next) || !r.u8(version) || !r.u8(exchange) ||
      !r.u8(flags) || !r.u32(h.message_id) || !r.u32(h.length)) {
    return core::fail(core::ErrorCode::Malformed, "IKE header truncated: {} of {} octets",
                      data.size(), kHeaderSize);
  }
  h.next_payload = static_cast<PayloadType>(next);
  h.major_version = static_cast<std::uint8_t>(version >> 4);
  h.minor_version = static_cast<std::uint8_t>(version & 0x0f);
  h.exchange = static_cast<ExchangeType>(exchange);
  h.initiator = (flags & kFlagInitiator) != 0;
  h.higher_version = (flags & kFlagVersion) != 0;
  h.response = (flags & kFlagResponse) != 0;
  return h;
}

core::Status verify_header(const Header& h) {
  if (h.major_version != kMajorVersion) {
    return core::fail(core::ErrorCode::Unsupported, "IKE major version {} (want {})",
                      h.major_version, kMajorVersion);
  }
  return core::ok();
}

void encode_header(const Header& h, core::wire::Writer& w) {
  w.u64(h.spi_i);
  w.u64(h.spi_r);
  w.u8(static_cast<std::uint8_t>(h.next_payload));
  w.u8(static_cast<std::uint8_t>((h.major_version << 4) | (h.minor_version & 0x0f)));
  w.u8(static_cast<std::uint8_t>(h.exchange));
  std::uint8_t flags = 0;
  if (h.initiator) flags |= kFlagInitiator;
  if (h.higher_version) flags |= kFlagVersion;
  if (h.response) flags |= kFlagResponse;
  w.u8(flags);
  w.u32(h.message_id);
  w.u32(h.length);
}

}  // namespace ikev2::wire

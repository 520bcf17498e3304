// kink/wire/header.cc — the KINK header codec (RFC 4430 §4).
#include "kink/wire/header.h"

#include "core/wire/reader.h"

namespace kink::wire {

namespace {

constexpr std::uint8_t kAckRequestBit = 0x80;

}  // namespace

core::Result<RawHeader> decode_header(std::span<const std::uint8_t> data) {
  core::wire::Reader r(data);
  RawHeader h;
  std::uint8_t type = 0, version = 0, next = 0, flags = 0;
  if (!r.u8(type) || !r.u8(version) || !r.u16(h.length) || !r.u32(h.header.doi) ||
      !r.u32(h.header.xid) || !r.u8(next) || !r.u8(flags) || !r.u16(h.cksum_len)) {
    return core::fail(core::ErrorCode::Malformed, "KINK header truncated: {} of {} octets",
                      data.size(), kHeaderSize);
  }
  h.header.type = static_cast<MessageType>(type);
  // The low nibble (RESRVED) and the 7 RESERVED2 bits "MUST be ignored"
  // on receipt (RFC 4430 §4), so they are not kept.
  h.header.major_version = static_cast<std::uint8_t>(version >> 4);
  h.header.ack_request = (flags & kAckRequestBit) != 0;
  h.next_payload = static_cast<PayloadType>(next);
  return h;
}

core::Status verify_version(const Header& h) {
  if (h.major_version != kMajorVersion) {
    return core::fail(core::ErrorCode::Unsupported, "KINK major version {} (want {})",
                      h.major_version, kMajorVersion);
  }
  return core::ok();
}

core::Status verify_doi(const Header& h) {
  // RFC 4430 §4: the DOI gives the context of every sub-payload; only the
  // IPsec DOI (1) has payloads defined for KINK.
  if (h.doi != kIpsecDoi) {
    return core::fail(core::ErrorCode::InvalidSyntax, "KINK DOI {} (only the IPsec DOI {} is defined)",
                      h.doi, kIpsecDoi);
  }
  return core::ok();
}

void encode_header(const RawHeader& h, core::wire::Writer& w) {
  w.u8(static_cast<std::uint8_t>(h.header.type));
  w.u8(static_cast<std::uint8_t>(h.header.major_version << 4));
  w.u16(h.length);
  w.u32(h.header.doi);
  w.u32(h.header.xid);
  w.u8(static_cast<std::uint8_t>(h.next_payload));
  w.u8(h.header.ack_request ? kAckRequestBit : 0);
  w.u16(h.cksum_len);
}

}  // namespace kink::wire

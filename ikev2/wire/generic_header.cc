// ikev2/wire/generic_header.cc — the generic payload header codec (RFC 7296 §3.2).
#include "ikev2/wire/generic_header.h"

#include <cassert>

namespace ikev2::wire {

namespace {

constexpr std::uint8_t kCriticalBit = 0x80;

}  // namespace

core::Result<GenericHeader> decode_generic_header(core::wire::Reader& r) {
  core::wire::Reader probe = r;
  std::uint8_t next = 0, flags = 0;
  GenericHeader g;
  if (!probe.u8(next) || !probe.u8(flags) || !probe.u16(g.length)) {
    return core::fail(core::ErrorCode::Malformed, "generic payload header truncated ({} octets left)",
                      r.remaining());
  }
  if (g.length < kGenericHeaderSize) {
    return core::fail(core::ErrorCode::Malformed, "Payload Length {} < {}", g.length,
                      kGenericHeaderSize);
  }
  if (!probe.bytes(g.length - kGenericHeaderSize, g.body)) {
    return core::fail(core::ErrorCode::Malformed, "Payload Length {} exceeds the {} octets left",
                      g.length, r.remaining());
  }
  g.next_payload = static_cast<PayloadType>(next);
  g.critical = (flags & kCriticalBit) != 0;
  r = probe;
  return g;
}

PayloadFrame PayloadFrame::begin(core::wire::Writer& w, PayloadType next, bool critical) {
  std::size_t start = w.size();
  w.u8(static_cast<std::uint8_t>(next));
  w.u8(critical ? kCriticalBit : 0);
  auto len = w.reserve_u16();
  return PayloadFrame(len, start);
}

void PayloadFrame::finish(core::wire::Writer& w) const {
  std::size_t length = w.size() - start_;
  assert(length <= 0xffff && "payload body exceeds the 16-bit Payload Length");
  w.patch_u16(len_, static_cast<std::uint16_t>(length));
}

}  // namespace ikev2::wire

// ikev2/wire/vendor_id.cc — the Vendor ID payload codec (RFC 7296 §3.12).
#include "ikev2/wire/vendor_id.h"

namespace ikev2::wire {

core::Result<VendorIdPayload> decode_vendor_id(std::span<const std::uint8_t> body) {
  return VendorIdPayload{{body.begin(), body.end()}};
}

core::Status verify(const VendorIdPayload&, const VerifyContext&) { return core::ok(); }

void encode(const VendorIdPayload& vid, core::wire::Writer& w) { w.bytes(vid.data); }

}  // namespace ikev2::wire

// ikev2/wire/vendor_id.h — the Vendor ID payload (RFC 7296 §3.12).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                        Vendor ID (VID)                        ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// VendorIdPayload is an opaque vendor identifier (usually a hash).
struct VendorIdPayload {
  std::vector<std::uint8_t> data;

  bool operator==(const VendorIdPayload&) const = default;
};

// decode_vendor_id takes the body as the VID; it cannot fail on lengths.
core::Result<VendorIdPayload> decode_vendor_id(std::span<const std::uint8_t> body);

// verify accepts every VID: RFC 7296 §3.12 puts no rule on its content, and
// unrecognised VIDs "MUST be ignored".
core::Status verify(const VendorIdPayload& vid, const VerifyContext& ctx);

// encode appends the VID.
void encode(const VendorIdPayload& vid, core::wire::Writer& w);

}  // namespace ikev2::wire

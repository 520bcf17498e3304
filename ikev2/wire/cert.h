// ikev2/wire/cert.h — the Certificate payload (RFC 7296 §3.6).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Cert Encoding |                                               |
//    +-+-+-+-+-+-+-+-+                                               |
//    ~                       Certificate Data                        ~
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

// CertPayload is one certificate (or CRL, URL, raw key) in its encoding.
struct CertPayload {
  CertEncoding encoding = CertEncoding::X509Signature;
  std::vector<std::uint8_t> data;

  bool operator==(const CertPayload&) const = default;
};

// decode_cert parses a CERT body. Fails Malformed when empty.
core::Result<CertPayload> decode_cert(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for encoding 0 (reserved), empty data, or a
// Hash and URL encoding shorter than its 20-octet SHA-1 hash plus one URL
// octet (RFC 7296 §3.6).
core::Status verify(const CertPayload& cert, const VerifyContext& ctx);

// encode appends the CERT body.
void encode(const CertPayload& cert, core::wire::Writer& w);

}  // namespace ikev2::wire

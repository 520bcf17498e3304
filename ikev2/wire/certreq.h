// ikev2/wire/certreq.h — the Certificate Request payload (RFC 7296 §3.7).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Cert Encoding |                                               |
//    +-+-+-+-+-+-+-+-+                                               |
//    ~                    Certification Authority                    ~
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

// CertReqPayload names acceptable CAs; for X.509 the authority field is a
// concatenation of SHA-1 hashes of CA public keys (SubjectPublicKeyInfo).
struct CertReqPayload {
  CertEncoding encoding = CertEncoding::X509Signature;
  std::vector<std::uint8_t> authorities;

  // authority_count returns how many 20-octet hashes an X.509 request holds.
  std::size_t authority_count() const { return authorities.size() / 20; }
  bool operator==(const CertReqPayload&) const = default;
};

// decode_certreq parses a CERTREQ body. Fails Malformed when empty.
core::Result<CertReqPayload> decode_certreq(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for encoding 0, or an X509_SIGNATURE request
// whose authority list is not a whole number of 20-octet SHA-1 hashes. An
// empty list is accepted: implementations send it to ask for any certificate.
core::Status verify(const CertReqPayload& req, const VerifyContext& ctx);

// encode appends the CERTREQ body.
void encode(const CertReqPayload& req, core::wire::Writer& w);

}  // namespace ikev2::wire

// ikev2/wire/auth.h — the Authentication payload (RFC 7296 §3.8).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Auth Method   |                RESERVED                       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    ~                      Authentication Data                      ~
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// With Auth Method 14 (RFC 7427 §3) the data starts with a one-octet ASN.1
// length and that many octets of AlgorithmIdentifier, then the signature.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// AuthPayload is the authentication method and its data (MAC or signature).
struct AuthPayload {
  AuthMethod method = AuthMethod::SharedKeyMic;
  std::vector<std::uint8_t> data;

  bool operator==(const AuthPayload&) const = default;
};

// DigitalSignatureParts views the two parts of RFC 7427 authentication data.
struct DigitalSignatureParts {
  std::span<const std::uint8_t> algorithm;  // DER AlgorithmIdentifier
  std::span<const std::uint8_t> signature;
};

// split_digital_signature splits method-14 data; fails Malformed when the
// ASN.1 length runs past the data or leaves no signature. The views point
// into auth.data and must not outlive it.
core::Result<DigitalSignatureParts> split_digital_signature(const AuthPayload& auth);

// decode_auth parses an AUTH body. Fails Malformed when shorter than 4 octets.
core::Result<AuthPayload> decode_auth(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for Auth Method 0, empty data, or method-14
// data that split_digital_signature rejects.
core::Status verify(const AuthPayload& auth, const VerifyContext& ctx);

// encode appends the AUTH body.
void encode(const AuthPayload& auth, core::wire::Writer& w);

}  // namespace ikev2::wire

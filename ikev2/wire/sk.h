// ikev2/wire/sk.h — the Encrypted and Authenticated payload SK (RFC 7296 §3.14).
//
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    | Next Payload  |C|  RESERVED   |         Payload Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                     Initialization Vector                     |
//    |         (length is block size for encryption algorithm)       |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                    Encrypted IKE Payloads                     ~
//    +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |               |             Padding (0-255 octets)            |
//    +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
//    |                                               |  Pad Length   |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                    Integrity Checksum Data                    ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The codec only frames the payload: the Next Payload field of SK is the type
// of the first payload inside, SK is always the last payload of a message,
// and the body stays raw until the engine decrypts it (keymat/ knows the IV
// and ICV sizes). After decryption and removal of the padding, the engine
// parses the inner payloads with decode_payload_chain(first_inner, ...).
// Since SK is last, the ICV is the final icv_len octets of the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"
#include "ikev2/wire/constants.h"

namespace ikev2::wire {

// SkPayload is an SK payload: the first inner payload type plus the raw body
// (IV || ciphertext || ICV).
struct SkPayload {
  PayloadType first_inner = PayloadType::None;
  std::vector<std::uint8_t> body;

  bool operator==(const SkPayload&) const = default;
};

// SkParts views the three parts of an SK (or SKF) body; the views point into
// the body passed to decode_sk and must not outlive it.
struct SkParts {
  std::span<const std::uint8_t> iv;
  std::span<const std::uint8_t> ciphertext;  // encrypted payloads, padding, Pad Length
  std::span<const std::uint8_t> icv;
};

// decode_sk splits body with the negotiated algorithm's sizes. Fails
// Malformed when the body cannot hold the IV, the ICV and at least the
// one-octet Pad Length.
core::Result<SkParts> decode_sk(std::span<const std::uint8_t> body, std::size_t iv_len,
                                std::size_t icv_len);

// verify accepts any SK payload: its content is checked after decryption.
core::Status verify(const SkPayload& sk, const VerifyContext& ctx);

// encode appends the raw SK body.
void encode(const SkPayload& sk, core::wire::Writer& w);

}  // namespace ikev2::wire

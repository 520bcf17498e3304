// kink/wire/encrypt.h — the KINK_ENCRYPT payload (RFC 4430 §4.2.7).
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    | InnerNextPload|                 RESERVED2                     |
//    +---------------+---------------+---------------+---------------+
//    |                        Payload (variable)                     |
//    +---------------+---------------+---------------+---------------+
//
// Encryption covers everything after the generic header, starting at
// InnerNextPload, so that even the first inner payload's type is secret:
// on the wire the body is Payload Length - 4 octets of ciphertext (made
// with the Kerberos session key, RFC 3961). KINK_ENCRYPT MUST be the last
// payload of the outer chain and is encrypted before the checksum is made.
//
// This struct keeps the ciphertext; the engine decrypts it and hands the
// plaintext to decode_encrypt_plaintext (message.h), and builds the
// plaintext to encrypt with encode_encrypt_plaintext.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"

namespace kink::wire {

// EncryptPayload is KINK_ENCRYPT: the encrypted InnerNextPload, RESERVED2
// and inner payloads.
struct EncryptPayload {
  std::vector<std::uint8_t> ciphertext;

  bool operator==(const EncryptPayload&) const = default;
};

// decode_encrypt keeps the body as ciphertext; it cannot fail.
core::Result<EncryptPayload> decode_encrypt(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax for an empty ciphertext (it must hold at least
// the encrypted InnerNextPload and RESERVED2).
core::Status verify(const EncryptPayload& p);

// encode appends the ciphertext.
void encode(const EncryptPayload& p, core::wire::Writer& w);

}  // namespace kink::wire

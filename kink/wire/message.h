// kink/wire/message.h — whole KINK messages (RFC 4430 §4): the header, the
// chain of 4-octet aligned payloads, and the Cksum at the end; plus the
// inner chain of KINK_ENCRYPT and the checksum helpers.
//
//   auto msg = decode_message(datagram);            // header, chain, verify
//   if (!msg) { reply KINK_ERROR msg.error().kink_error() ... }
//   auto covered = checksum_input(datagram);        // krb5 verify_mic over it
//   auto inner = decode_encrypt_plaintext(plain);   // after krb5 decrypt
//
//   Message out{...};                               // checksum left empty
//   auto bytes = encode_message(out);               // CksumLen 0: the input
//   append_checksum(bytes, krb5_get_mic(bytes));    // of the checksum
//
// The checksum (RFC 4430 §4 "Cksum") is a Kerberos get_mic over the whole
// message without the Cksum, computed with CksumLen zeroed and Length set
// to the length without the Cksum. An encoded message with no checksum is
// exactly that input, and checksum_input rebuilds it from a received one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "kink/wire/decode_error.h"
#include "kink/wire/header.h"
#include "kink/wire/payload.h"

namespace kink::wire {

// Message is one KINK message. On encode, Length, NextPayload and CksumLen
// are computed from payloads and checksum; the header fields are written
// as given. checksum is the Cksum (empty: CksumLen 0, unauthenticated).
struct Message {
  Header header;
  std::vector<Payload> payloads;
  std::vector<std::uint8_t> checksum;

  bool operator==(const Message&) const = default;
};

// decode_message parses one KINK message (a UDP datagram on port 910).
// Octets after Length are ignored (RFC 4430 §4 lets data follow the
// message; Length gives the message's own size). Fails with:
//   InvalidMajorVersion — MjVer is not 1 (checked first: another version
//     may frame differently);
//   Malformed — under 16 octets, Length below 16 or beyond the datagram,
//     CksumLen beyond Length, a Payload Length < 4 or past the payloads, a
//     payload body that does not parse, or non-padding octets after the
//     last payload;
//   InvalidDoi — the header DOI is not the IPsec DOI, or an ISAKMP payload's
//     DOI differs from it;
//   InvalidSyntax — a payload breaks an RFC rule (its verify() failed), or
//     a payload follows KINK_ENCRYPT ("MUST be the final one", §4.2.7);
//   BadQmVersion — a KINK_ISAKMP with QMMaj other than 1;
//   Unsupported — an ISAKMP SA with a labeled situation.
// Once the 16-octet header is read, every error carries it in .header.
DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram);

// encode_message serialises m: header, payloads each padded with zeros to
// 4 octets, then the checksum. A KINK_ENCRYPT must be the last payload and
// the message must fit the 16-bit Length (both asserted: we build them).
std::vector<std::uint8_t> encode_message(const Message& m);

// checksum_input returns the octets the Cksum of an encoded or received
// message covers: the message up to the Cksum with Length set to that size
// and CksumLen zeroed (RFC 4430 §4). Fails Malformed when the header is
// truncated, Length exceeds the octets given or CksumLen exceeds Length.
core::Result<std::vector<std::uint8_t>> checksum_input(std::span<const std::uint8_t> message);

// append_checksum adds the Cksum to a message encoded without one, and
// patches Length and CksumLen. Fails Internal (and leaves message alone)
// unless message has a header with CksumLen 0 and Length == its size, and
// the result fits the 16-bit Length.
core::Status append_checksum(std::vector<std::uint8_t>& message, std::span<const std::uint8_t> cksum);

// decode_encrypt_plaintext parses the decrypted content of KINK_ENCRYPT:
// InnerNextPload, RESERVED2 (3 octets) and the inner payload chain,
// verifying each payload as decode_message does. doi is the outer header's
// DOI. Octets after the chain's last payload are ignored: a Kerberos
// enctype may leave its own padding on the plaintext (RFC 3961 §3).
// Offsets in errors are relative to plaintext. Fails as decode_message
// does; a KINK_ENCRYPT inside is InvalidSyntax (it does not nest).
DecodeResult<std::vector<Payload>> decode_encrypt_plaintext(std::span<const std::uint8_t> plaintext,
                                                           std::uint32_t doi = kIpsecDoi);

// encode_encrypt_plaintext builds the octets to encrypt into KINK_ENCRYPT:
// InnerNextPload, RESERVED2 and the padded inner chain (no KINK_ENCRYPT
// inside, asserted).
std::vector<std::uint8_t> encode_encrypt_plaintext(const std::vector<Payload>& payloads);

// find returns the first payload of struct type T in payloads, or nullptr.
// The pointer is valid while payloads is unchanged.
template <typename T>
const T* find(const std::vector<Payload>& payloads) {
  for (const Payload& p : payloads) {
    if (const T* v = std::get_if<T>(&p)) return v;
  }
  return nullptr;
}

// describe renders a one-line summary for logs, e.g.
// "CREATE xid 0x00000001 [ AP_REQ ENCRYPT ] cksum 12" or
// "REPLY xid 0x00000001 A [ AP_REP ISAKMP(SA NONCE ID ID) ]".
std::string describe(const Message& m);
// describe_payloads renders just the bracketed list.
std::string describe_payloads(const std::vector<Payload>& payloads);

}  // namespace kink::wire

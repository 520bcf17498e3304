// ikev2/wire/message.h — whole IKEv2 messages: the IKE header plus its chain
// of payloads (RFC 7296 §3.1, §3.2), and the inner chain of an SK payload.
//
//   auto msg = decode_message(datagram);          // header, chain, verify
//   if (!msg) { answer from msg.error() ... }     // see decode_error.h
//   for (const Payload& p : msg->payloads) ...
//   std::vector<std::uint8_t> out = encode_message(reply);
//
// Decoding walks the Next Payload chain, decodes every payload into its
// struct and runs its verify() with the exchange type and R flag of the
// header as context. A payload type we do not parse becomes UnknownPayload
// unless its critical bit is set (then: DecodeFault::UnsupportedCritical).
// SK and SKF end the chain: they must be the last payload, and their body is
// kept raw for the engine to decrypt; it then calls decode_payload_chain on
// the plaintext with SkPayload::first_inner.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ikev2/wire/decode_error.h"
#include "ikev2/wire/header.h"
#include "ikev2/wire/payload.h"

namespace ikev2::wire {

// Message is one IKE message. On encode, header.next_payload and
// header.length are computed from payloads; every other header field is
// written as given.
struct Message {
  Header header;
  std::vector<Payload> payloads;

  bool operator==(const Message&) const = default;
};

// decode_message parses one IKE message (a UDP datagram on port 500, or on
// 4500 after the non-ESP marker). Fails with:
//   InvalidMajorVersion — major version is not 2 (checked first, before any
//     other length rule, since another version may frame differently);
//   Malformed — under 28 octets, Length differing from datagram.size(), a
//     Payload Length < 4 or past the end, a payload body that does not parse,
//     octets left after the last payload, or a payload after SK/SKF;
//   InvalidSyntax — a payload breaks an RFC rule (its verify() failed);
//   UnsupportedCritical — an unknown payload type with the critical bit set.
// Once the 28-octet header is read, every error carries it in .header.
DecodeResult<Message> decode_message(std::span<const std::uint8_t> datagram);

// decode_payload_chain parses a chain that starts with a payload of type
// first and fills data exactly — the decrypted content of an SK payload
// (after the padding and Pad Length are removed). ctx should carry the outer
// header's exchange type and R flag. Offsets in errors are relative to data.
// Fails as decode_message does; an SK or SKF inside the chain is
// InvalidSyntax (encrypted payloads do not nest).
DecodeResult<std::vector<Payload>> decode_payload_chain(PayloadType first,
                                                        std::span<const std::uint8_t> data,
                                                        const VerifyContext& ctx = {});

// encode_message serialises m, chaining Next Payload values and computing
// every length. An SkPayload or SkfPayload must be the last payload
// (asserted); its Next Payload is its first_inner.
std::vector<std::uint8_t> encode_message(const Message& m);

// EncodedChain is a serialised payload chain and the type of its first
// payload (PayloadType::None when empty).
struct EncodedChain {
  PayloadType first = PayloadType::None;
  std::vector<std::uint8_t> bytes;
};

// encode_payload_chain serialises payloads without a header: the plaintext
// an SK payload encrypts, with first becoming SkPayload::first_inner.
EncodedChain encode_payload_chain(const std::vector<Payload>& payloads);

// find returns the first payload of struct type T in payloads, or nullptr.
// The pointer is valid while payloads is unchanged.
template <typename T>
const T* find(const std::vector<Payload>& payloads) {
  for (const Payload& p : payloads) {
    if (const T* v = std::get_if<T>(&p)) return v;
  }
  return nullptr;
}

// find_notify returns the first Notify of type t in payloads, or nullptr.
const NotifyPayload* find_notify(const std::vector<Payload>& payloads, NotifyType t);

// describe renders a one-line summary for logs and dumps, strongSwan-style:
// "IKE_SA_INIT request 0 [ SA KE Nonce N(NAT_DETECTION_SOURCE_IP) ]".
std::string describe(const Message& m);
// describe_payloads renders just the bracketed list.
std::string describe_payloads(const std::vector<Payload>& payloads);

}  // namespace ikev2::wire

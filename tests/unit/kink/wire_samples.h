// tests/unit/kink/wire_samples.h — sample KINK messages built from the
// payload structs, shared by the wire tests (round trips, bit-flip sweeps,
// the tshark cross-check). Addresses are from documentation ranges; the
// Kerberos messages are short stand-ins that carry the right DER tag
// (RFC 4120 §5), not real tickets.
#pragma once

#include <cstdint>
#include <vector>

#include "core/net/address.h"
#include "kink/wire/message.h"

namespace kink::wire::samples {

using Bytes = std::vector<std::uint8_t>;

// bytes returns n octets counting up from first (wrapping), for readable dumps.
inline Bytes bytes(std::size_t n, std::uint8_t first = 0) {
  Bytes v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

// der returns a DER-looking element: tag, short-form length, n content octets.
inline Bytes der(std::uint8_t tag, std::size_t n) {
  Bytes v{tag, static_cast<std::uint8_t>(n)};
  auto body = bytes(n, 0x30);
  v.insert(v.end(), body.begin(), body.end());
  return v;
}

inline core::net::Address addr(const char* text) { return *core::net::Address::parse(text); }

// esp_aes_transform: ESP_AES-CBC-128, HMAC-SHA2-256, tunnel mode, lifetimes
// of 3600 s (TV) and 65536 KB (TLV, RFC 2407 §4.5).
inline isakmp::Transform esp_aes_transform(std::uint8_t number) {
  using isakmp::Attribute;
  using isakmp::AttributeType;
  isakmp::Transform t;
  t.number = number;
  t.id = static_cast<std::uint8_t>(isakmp::EspTransformId::AesCbc);
  t.attributes = {
      Attribute::basic(AttributeType::LifeType, static_cast<std::uint16_t>(isakmp::LifeType::Seconds)),
      Attribute::life_duration(3600),
      Attribute::basic(AttributeType::LifeType, static_cast<std::uint16_t>(isakmp::LifeType::Kilobytes)),
      Attribute::variable(AttributeType::LifeDuration, {0x00, 0x01, 0x00, 0x00}),
      Attribute::basic(AttributeType::EncapsulationMode,
                       static_cast<std::uint16_t>(isakmp::EncapsulationMode::Tunnel)),
      Attribute::basic(AttributeType::AuthAlgorithm, static_cast<std::uint16_t>(isakmp::AuthAlgorithm::HmacSha2_256)),
      Attribute::basic(AttributeType::KeyLength, 128),
  };
  return t;
}

// quick_mode_sa: one ESP proposal with SPI 0x0a0b0c0d and one AES transform.
inline isakmp::SaPayload quick_mode_sa() {
  isakmp::Proposal p;
  p.number = 1;
  p.protocol = isakmp::ProtocolId::Esp;
  p.set_spi32(0x0a0b0c0d);
  p.transforms.push_back(esp_aes_transform(1));
  isakmp::SaPayload sa;
  sa.proposals.push_back(p);
  return sa;
}

// create_isakmp: SA, Nonce, IDci = 192.0.2.0/24, IDcr = 2001:db8::1.
inline IsakmpPayload create_isakmp() {
  IsakmpPayload k;
  k.payloads.push_back(quick_mode_sa());
  k.payloads.push_back(isakmp::NoncePayload{bytes(16, 0xa0)});
  k.payloads.push_back(isakmp::IdPayload::subnet(*core::net::Prefix::parse("192.0.2.0/24")));
  k.payloads.push_back(isakmp::IdPayload::address(addr("2001:db8::1")));
  return k;
}

inline ApReqPayload ap_req() { return {0x5f5e1000, der(0x6e, 4)}; }
inline ApRepPayload ap_rep() { return {0x5f5e1000, der(0x6f, 3)}; }

// create_request: CREATE with KINK_AP_REQ and a clear KINK_ISAKMP, 8-octet Cksum.
inline Message create_request() {
  Message m;
  m.header.type = MessageType::Create;
  m.header.xid = 0x102;
  m.payloads = {ap_req(), create_isakmp()};
  m.checksum = bytes(8, 0xc0);
  return m;
}

// create_encrypted: CREATE as sent, the ISAKMP inside KINK_ENCRYPT.
inline Message create_encrypted() {
  Message m = create_request();
  m.payloads = {ap_req(), EncryptPayload{bytes(48, 0x10)}};
  return m;
}

// reply_error: REPLY asking for an ACK, KINK_AP_REP and KINK_ERROR(KINK_PROTOERR).
inline Message reply_error() {
  Message m;
  m.header.type = MessageType::Reply;
  m.header.xid = 0x102;
  m.header.ack_request = true;
  m.payloads = {ap_rep(), ErrorPayload{KinkErrorCode::ProtoErr}};
  return m;
}

// gettgt: GETTGT for the home agent's TGT.
inline Message gettgt() {
  Message m;
  m.header.type = MessageType::GetTgt;
  m.header.xid = 7;
  m.payloads = {TgtReqPayload::make("kink/ha.example.org", "EXAMPLE.ORG")};
  return m;
}

// reply_tgt: REPLY with KINK_TGT_REP, and a KRB_ERROR reply.
inline Message reply_tgt() {
  Message m;
  m.header.type = MessageType::Reply;
  m.header.xid = 7;
  m.payloads = {TgtRepPayload{der(0x61, 20)}};
  return m;
}

inline Message reply_krb_error() {
  Message m;
  m.header.type = MessageType::Reply;
  m.header.xid = 8;
  m.payloads = {KrbErrorPayload{der(0x7e, 9)}};
  return m;
}

// delete_isakmp: a Delete of two ESP SAs and a Notify(INITIAL-CONTACT).
inline IsakmpPayload delete_isakmp() {
  IsakmpPayload k;
  k.payloads.push_back(isakmp::DeletePayload::ipsec(isakmp::ProtocolId::Esp, {0x0a0b0c0d, 0x01020304}));
  isakmp::NotifyPayload n;
  n.type = isakmp::NotifyType::InitialContact;
  k.payloads.push_back(n);
  return k;
}

// delete_request: DELETE with AP_REQ, the Delete in the clear, an unknown
// payload type 200 (skipped by receivers, kept by the codec) and a Cksum.
inline Message delete_request() {
  Message m;
  m.header.type = MessageType::Delete;
  m.header.xid = 0x103;
  m.payloads = {ap_req(), delete_isakmp(), UnknownPayload{static_cast<PayloadType>(200), bytes(5)}};
  m.checksum = bytes(12, 0xd0);
  return m;
}

// all returns every sample message.
inline std::vector<Message> all() {
  return {create_request(), create_encrypted(), reply_error(), gettgt(),
          reply_tgt(),      reply_krb_error(),  delete_request()};
}

}  // namespace kink::wire::samples

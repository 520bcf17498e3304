// tests/unit/ikev2/wire_samples.h — sample IKEv2 messages built from the
// payload structs, shared by the wire tests (round trips, bit-flip sweeps,
// the tshark cross-check). Addresses are from documentation ranges.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ikev2/wire/message.h"

namespace ikev2::wire::samples {

// bytes returns n octets counting up from first (wrapping), for readable dumps.
inline std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t first = 0) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

inline Transform transform(TransformType type, std::uint16_t id) { return {type, id, {}}; }

// ike_proposal: ENCR_AES_CBC-128 (or -256), HMAC-SHA2-256 PRF and INTEG, the given group.
inline Proposal ike_proposal(std::uint8_t number, std::uint16_t key_bits, KeGroup group) {
  Proposal p;
  p.number = number;
  p.protocol = ProtocolId::Ike;
  p.transforms.push_back({TransformType::Encr, static_cast<std::uint16_t>(EncrId::AesCbc),
                          {TransformAttribute::key_length(key_bits)}});
  p.transforms.push_back(transform(TransformType::Prf, static_cast<std::uint16_t>(PrfId::HmacSha2_256)));
  p.transforms.push_back(
      transform(TransformType::Integ, static_cast<std::uint16_t>(IntegId::HmacSha2_256_128)));
  p.transforms.push_back(transform(TransformType::Ke, static_cast<std::uint16_t>(group)));
  return p;
}

// esp_proposal: ENCR_AES_GCM_16-256, no ESN, with a 4-octet SPI.
inline Proposal esp_proposal(std::uint8_t number, std::vector<std::uint8_t> spi) {
  Proposal p;
  p.number = number;
  p.protocol = ProtocolId::Esp;
  p.spi = std::move(spi);
  p.transforms.push_back({TransformType::Encr, static_cast<std::uint16_t>(EncrId::AesGcm16),
                          {TransformAttribute::key_length(256)}});
  p.transforms.push_back(transform(TransformType::Esn, static_cast<std::uint16_t>(EsnId::NoEsn)));
  return p;
}

// ike_sa_init_request is an IKE_SA_INIT request as strongSwan or kagi would
// send it: SA (two proposals), KE (Curve25519), Ni, NAT detection, fragmentation
// and signature hash notifies, a Vendor ID, a CERTREQ and a non-critical
// unknown payload (type 200).
inline Message ike_sa_init_request() {
  Message m;
  m.header.spi_i = 0x0011223344556677ULL;
  m.header.exchange = ExchangeType::IkeSaInit;
  m.header.initiator = true;
  SaPayload sa;
  sa.proposals.push_back(ike_proposal(1, 128, KeGroup::Curve25519));
  sa.proposals.push_back(ike_proposal(2, 256, KeGroup::Ecp256));
  m.payloads.push_back(sa);
  m.payloads.push_back(KePayload{static_cast<std::uint16_t>(KeGroup::Curve25519), bytes(32, 0x40)});
  m.payloads.push_back(NoncePayload{bytes(32, 0x80)});
  m.payloads.push_back(NotifyPayload::make(NotifyType::NatDetectionSourceIp, bytes(20, 0xa0)));
  m.payloads.push_back(NotifyPayload::make(NotifyType::NatDetectionDestinationIp, bytes(20, 0xc0)));
  m.payloads.push_back(NotifyPayload::make(NotifyType::Ikev2FragmentationSupported));
  m.payloads.push_back(NotifyPayload::make(NotifyType::SignatureHashAlgorithms, {0, 2, 0, 3, 0, 4}));
  m.payloads.push_back(VendorIdPayload{bytes(16, 0x10)});
  m.payloads.push_back(CertReqPayload{CertEncoding::X509Signature, bytes(20, 0x55)});
  m.payloads.push_back(UnknownPayload{static_cast<PayloadType>(200), false, bytes(6, 0x01)});
  return m;
}

// ipv4_range / ipv6_range build address-range selectors.
inline TrafficSelector ipv4_range(std::vector<std::uint8_t> start, std::vector<std::uint8_t> end,
                                  std::uint8_t proto = 0, std::uint16_t sport = 0,
                                  std::uint16_t eport = 0xffff) {
  return {TsType::Ipv4AddrRange, proto, sport, eport, std::move(start), std::move(end), {}};
}
inline TrafficSelector ipv6_range(std::vector<std::uint8_t> start, std::vector<std::uint8_t> end,
                                  std::uint8_t proto = 0, std::uint16_t sport = 0,
                                  std::uint16_t eport = 0xffff) {
  return {TsType::Ipv6AddrRange, proto, sport, eport, std::move(start), std::move(end), {}};
}

inline std::vector<std::uint8_t> v6(std::uint8_t last) {
  return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
}

// ike_auth_inner is the plaintext inside an IKE_AUTH request's SK payload:
// IDi, CERTREQ, AUTH, CP, SA (ESP), TSi, TSr and a few notifies; it also
// carries one of each remaining payload type so that a sweep reaches them.
inline std::vector<Payload> ike_auth_inner() {
  std::vector<Payload> v;
  v.push_back(IdPayload{true, IdType::Fqdn, {'m', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'}});
  v.push_back(NotifyPayload::make(NotifyType::InitialContact));
  v.push_back(IdPayload{false, IdType::Ipv4Addr, {192, 0, 2, 1}});
  v.push_back(AuthPayload{AuthMethod::SharedKeyMic, bytes(32, 0x30)});
  CpPayload cp{CfgType::Request,
               {{CfgAttributeType::InternalIp6Address, {}},
                {CfgAttributeType::InternalIp6Dns, {}},
                {CfgAttributeType::Mip6HomePrefix, {}},
                {CfgAttributeType::ApplicationVersion, {'k', 'a', 'g', 'i'}}}};
  v.push_back(cp);
  SaPayload sa;
  sa.proposals.push_back(esp_proposal(1, {0xc0, 0x01, 0x02, 0x03}));
  v.push_back(sa);
  v.push_back(TsPayload{true, {ipv6_range(v6(1), v6(1), 135, 0x0500, 0x05ff),  // MH type 5
                               ipv4_range({192, 0, 2, 0}, {192, 0, 2, 255})}});
  v.push_back(TsPayload{false, {ipv6_range(v6(0), v6(0xff))}});
  v.push_back(NotifyPayload::make(NotifyType::UseTransportMode));
  v.push_back(NotifyPayload::make(NotifyType::MobikeSupported));
  // Hash and URL of an X.509 certificate (RFC 7296 §3.6): SHA-1 hash, then the URL.
  CertPayload cert{CertEncoding::HashUrlX509Cert, bytes(20, 0x20)};
  for (char c : std::string_view("http://ca.example/mn.der")) cert.data.push_back(static_cast<std::uint8_t>(c));
  v.push_back(cert);
  v.push_back(DeletePayload::child(ProtocolId::Esp, {0x01020304, 0x0a0b0c0d}));
  v.push_back(EapPayload{{2, 7, 0, 9, 1, 'u', 's', 'e', 'r'}});  // EAP-Response/Identity
  return v;
}

}  // namespace ikev2::wire::samples

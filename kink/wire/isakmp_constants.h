// kink/wire/isakmp_constants.h — the ISAKMP (RFC 2408 §3) and IPsec DOI
// (RFC 2407 §4) values used by the Quick Mode payloads that KINK carries in
// KINK_ISAKMP (RFC 4430 §4.2.6), and their names for logs and dumps.
//
// As in constants.h, every enum has the width of its wire field so values
// we do not list stay representable; verify() decides what is refused.
#pragma once

#include <cstdint>
#include <string>

namespace kink::wire::isakmp {

// PayloadType is an ISAKMP Next Payload value (RFC 2408 §3.1).
enum class PayloadType : std::uint8_t {
  None = 0,
  Sa = 1,
  Proposal = 2,
  Transform = 3,
  Ke = 4,
  Id = 5,
  Cert = 6,
  CertReq = 7,
  Hash = 8,
  Sig = 9,
  Nonce = 10,
  Notify = 11,
  Delete = 12,
  VendorId = 13,
};

// ProtocolId is the protocol of a proposal, notify or delete (RFC 2407 §4.4.1).
enum class ProtocolId : std::uint8_t {
  Isakmp = 1,
  Ah = 2,
  Esp = 3,
  Ipcomp = 4,
};

// Situation bits of the IPsec DOI (RFC 2407 §4.2).
inline constexpr std::uint32_t kSitIdentityOnly = 0x01;
inline constexpr std::uint32_t kSitSecrecy = 0x02;
inline constexpr std::uint32_t kSitIntegrity = 0x04;

// EspTransformId is an ESP transform ID (RFC 2407 §4.4.4; IANA "IPsec ESP
// Transform Identifiers": RFC 3602 AES-CBC, RFC 3686 CTR, RFC 4309 CCM,
// RFC 4106 GCM, RFC 4543 GMAC).
enum class EspTransformId : std::uint8_t {
  DesIv64 = 1,
  Des = 2,
  TripleDes = 3,
  Rc5 = 4,
  Idea = 5,
  Cast = 6,
  Blowfish = 7,
  TripleIdea = 8,
  DesIv32 = 9,
  Rc4 = 10,
  Null = 11,
  AesCbc = 12,
  AesCtr = 13,
  AesCcm8 = 14,
  AesCcm12 = 15,
  AesCcm16 = 16,
  AesGcm8 = 18,
  AesGcm12 = 19,
  AesGcm16 = 20,
  Camellia = 22,
  NullAuthAesGmac = 23,
};

// AhTransformId is an AH transform ID (RFC 2407 §4.4.3; RFC 4868, RFC 3566).
enum class AhTransformId : std::uint8_t {
  Md5 = 2,
  Sha = 3,
  Des = 4,
  Sha2_256 = 5,
  Sha2_384 = 6,
  Sha2_512 = 7,
  Ripemd = 8,
  AesXcbcMac = 9,
};

// IpcompTransformId is an IPCOMP transform ID (RFC 2407 §4.4.5).
enum class IpcompTransformId : std::uint8_t {
  Oui = 1,
  Deflate = 2,
  Lzs = 3,
};

// AttributeType is an IPsec DOI SA attribute class (RFC 2407 §4.5;
// RFC 3168 ECN Tunnel, RFC 4304 Extended Sequence Number).
enum class AttributeType : std::uint16_t {
  LifeType = 1,
  LifeDuration = 2,  // variable: TV when it fits 16 bits, else TLV
  GroupDescription = 3,
  EncapsulationMode = 4,
  AuthAlgorithm = 5,
  KeyLength = 6,
  KeyRounds = 7,
  CompressDictionarySize = 8,
  CompressPrivateAlgorithm = 9,  // variable
  EcnTunnel = 10,
  ExtendedSequenceNumber = 11,
};

// LifeType values (RFC 2407 §4.5).
enum class LifeType : std::uint16_t {
  Seconds = 1,
  Kilobytes = 2,
};

// EncapsulationMode values (RFC 2407 §4.5; RFC 3947 §5 for the UDP ones).
enum class EncapsulationMode : std::uint16_t {
  Tunnel = 1,
  Transport = 2,
  UdpTunnel = 3,
  UdpTransport = 4,
};

// AuthAlgorithm values (RFC 2407 §4.5; RFC 4868, RFC 3566, RFC 4543).
enum class AuthAlgorithm : std::uint16_t {
  HmacMd5 = 1,
  HmacSha = 2,
  DesMac = 3,
  Kpdk = 4,
  HmacSha2_256 = 5,
  HmacSha2_384 = 6,
  HmacSha2_512 = 7,
  HmacRipemd = 8,
  AesXcbcMac = 9,
  Aes128Gmac = 11,
  Aes192Gmac = 12,
  Aes256Gmac = 13,
};

// IdType is an IPsec DOI identification type (RFC 2407 §4.6.2.1).
enum class IdType : std::uint8_t {
  Ipv4Addr = 1,
  Fqdn = 2,
  UserFqdn = 3,
  Ipv4AddrSubnet = 4,
  Ipv6Addr = 5,
  Ipv6AddrSubnet = 6,
  Ipv4AddrRange = 7,
  Ipv6AddrRange = 8,
  DerAsn1Dn = 9,
  DerAsn1Gn = 10,
  KeyId = 11,
};

// NotifyType is a Notify Message Type: errors 1-16383 (RFC 2408 §3.14.1),
// status 16384-65535, of which 24576-32767 belong to the DOI (RFC 2407 §4.6.3).
enum class NotifyType : std::uint16_t {
  InvalidPayloadType = 1,
  DoiNotSupported = 2,
  SituationNotSupported = 3,
  InvalidCookie = 4,
  InvalidMajorVersion = 5,
  InvalidMinorVersion = 6,
  InvalidExchangeType = 7,
  InvalidFlags = 8,
  InvalidMessageId = 9,
  InvalidProtocolId = 10,
  InvalidSpi = 11,
  InvalidTransformId = 12,
  AttributesNotSupported = 13,
  NoProposalChosen = 14,
  BadProposalSyntax = 15,
  PayloadMalformed = 16,
  InvalidKeyInformation = 17,
  InvalidIdInformation = 18,
  InvalidCertEncoding = 19,
  InvalidCertificate = 20,
  CertTypeUnsupported = 21,
  InvalidCertAuthority = 22,
  InvalidHashInformation = 23,
  AuthenticationFailed = 24,
  InvalidSignature = 25,
  AddressNotification = 26,
  NotifySaLifetime = 27,
  CertificateUnavailable = 28,
  UnsupportedExchangeType = 29,
  UnequalPayloadLengths = 30,
  Connected = 16384,
  ResponderLifetime = 24576,
  ReplayStatus = 24577,
  InitialContact = 24578,
};

// The *_name functions return the RFC name ("SA", "PROTO_IPSEC_ESP",
// "ESP_AES", "ID_IPV4_ADDR_SUBNET", "NO-PROPOSAL-CHOSEN"), or a numbered
// fallback ("ISAKMP_200") for values not listed.
std::string payload_type_name(PayloadType t);
std::string protocol_id_name(ProtocolId p);
// transform_id_name names a transform ID within its protocol.
std::string transform_id_name(ProtocolId p, std::uint8_t id);
std::string attribute_type_name(AttributeType t);
std::string id_type_name(IdType t);
std::string notify_type_name(NotifyType t);

// is_basic_attribute is true for the attribute classes RFC 2407 §4.5 marks
// "B" (basic): they MUST be sent in TV form. Life Duration and Compress
// Private Algorithm ("V") may be TV or TLV; classes we do not know are
// treated as variable, so they are never refused for their form.
bool is_basic_attribute(std::uint16_t type);

}  // namespace kink::wire::isakmp

// ikev2/wire/constants.h — IKEv2 registry values (RFC 7296 §3, IANA "IKEv2
// Parameters") used by the payload codecs, and their names for logs and dumps.
//
// Every enum has a fixed underlying type wide enough for its wire field, so a
// value received from a peer that is not listed here is still representable
// (enum class with an explicit base accepts any value of that base). Codecs
// never reject a value just because it is missing from these lists; the RFC
// rules in each payload's verify decide that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ikev2::wire {

// ExchangeType is the header's Exchange Type field (RFC 7296 §3.1).
enum class ExchangeType : std::uint8_t {
  IkeSaInit = 34,
  IkeAuth = 35,
  CreateChildSa = 36,
  Informational = 37,
  IkeSessionResume = 38,  // RFC 5723
  IkeIntermediate = 43,   // RFC 9242
  IkeFollowupKe = 44,     // RFC 9370
};

// PayloadType is a Next Payload value (RFC 7296 §3.2, RFC 7383 §2.5).
enum class PayloadType : std::uint8_t {
  None = 0,  // "No Next Payload"
  Sa = 33,
  Ke = 34,
  IdInitiator = 35,
  IdResponder = 36,
  Cert = 37,
  CertReq = 38,
  Auth = 39,
  Nonce = 40,
  Notify = 41,
  Delete = 42,
  VendorId = 43,
  TsInitiator = 44,
  TsResponder = 45,
  Encrypted = 46,  // SK
  Config = 47,     // CP
  Eap = 48,
  Gspm = 49,               // RFC 6467
  IdGroup = 50,            // RFC 9838 (G-IKEv2)
  GroupSa = 51,            // RFC 9838
  KeyDownload = 52,        // RFC 9838
  EncryptedFragment = 53,  // SKF, RFC 7383
  Puzzle = 54,             // PS, RFC 8019
};

// ProtocolId is the IPsec protocol of a proposal, notify or delete (RFC 7296 §3.3.1).
enum class ProtocolId : std::uint8_t {
  None = 0,
  Ike = 1,
  Ah = 2,
  Esp = 3,
};

// TransformType is the Transform Type of a transform substructure (RFC 7296 §3.3.2).
enum class TransformType : std::uint8_t {
  Encr = 1,
  Prf = 2,
  Integ = 3,
  Ke = 4,   // "Diffie-Hellman Group (D-H)" in RFC 7296, renamed by RFC 9370
  Esn = 5,
  AddKe1 = 6,  // RFC 9370; AddKe2..AddKe7 are 7..12
  AddKe7 = 12,
};

// TransformAttributeType is a transform attribute type (RFC 7296 §3.3.5).
enum class TransformAttributeType : std::uint16_t {
  KeyLength = 14,
};

// EncrId are common Transform Type 1 IDs (RFC 7296 §3.3.2, IANA).
enum class EncrId : std::uint16_t {
  DesIv64 = 1,
  Des = 2,
  TripleDes = 3,
  Null = 11,
  AesCbc = 12,
  AesCtr = 13,
  AesCcm8 = 14,
  AesCcm12 = 15,
  AesCcm16 = 16,
  AesGcm8 = 18,
  AesGcm12 = 19,
  AesGcm16 = 20,
  NullAuthAesGmac = 21,
  CamelliaCbc = 23,
  ChaCha20Poly1305 = 28,  // RFC 7634
};

// PrfId are common Transform Type 2 IDs.
enum class PrfId : std::uint16_t {
  HmacMd5 = 1,
  HmacSha1 = 2,
  Aes128Xcbc = 4,
  HmacSha2_256 = 5,
  HmacSha2_384 = 6,
  HmacSha2_512 = 7,
  Aes128Cmac = 8,
};

// IntegId are common Transform Type 3 IDs.
enum class IntegId : std::uint16_t {
  None = 0,
  HmacMd5_96 = 1,
  HmacSha1_96 = 2,
  AesXcbc96 = 5,
  AesCmac96 = 8,
  HmacSha2_256_128 = 12,
  HmacSha2_384_192 = 13,
  HmacSha2_512_256 = 14,
};

// KeGroup are common Transform Type 4 IDs (Diffie-Hellman groups).
enum class KeGroup : std::uint16_t {
  None = 0,
  Modp768 = 1,
  Modp1024 = 2,
  Modp1536 = 5,
  Modp2048 = 14,
  Modp3072 = 15,
  Modp4096 = 16,
  Modp6144 = 17,
  Modp8192 = 18,
  Ecp256 = 19,
  Ecp384 = 20,
  Ecp521 = 21,
  Curve25519 = 31,
  Curve448 = 32,
};

// EsnId are Transform Type 5 IDs.
enum class EsnId : std::uint16_t {
  NoEsn = 0,
  Esn = 1,
};

// IdType is the ID Type of IDi/IDr (RFC 7296 §3.5).
enum class IdType : std::uint8_t {
  Ipv4Addr = 1,
  Fqdn = 2,
  Rfc822Addr = 3,
  Ipv6Addr = 5,
  DerAsn1Dn = 9,
  DerAsn1Gn = 10,
  KeyId = 11,
  FcName = 12,  // RFC 4595
  Null = 13,    // RFC 7619
};

// CertEncoding is the Cert Encoding of CERT and CERTREQ (RFC 7296 §3.6).
enum class CertEncoding : std::uint8_t {
  Pkcs7WrappedX509 = 1,
  Pgp = 2,
  DnsSignedKey = 3,
  X509Signature = 4,
  KerberosToken = 6,
  Crl = 7,
  Arl = 8,
  Spki = 9,
  X509Attribute = 10,
  RawRsaKey = 11,
  HashUrlX509Cert = 12,
  HashUrlX509Bundle = 13,
  OcspContent = 14,   // RFC 4806
  RawPublicKey = 15,  // RFC 7670
};

// AuthMethod is the Auth Method of AUTH (RFC 7296 §3.8).
enum class AuthMethod : std::uint8_t {
  RsaSignature = 1,
  SharedKeyMic = 2,
  DssSignature = 3,
  EcdsaSha256P256 = 9,   // RFC 4754
  EcdsaSha384P384 = 10,  // RFC 4754
  EcdsaSha512P521 = 11,  // RFC 4754
  GenericSecurePassword = 12,  // RFC 6467
  Null = 13,                   // RFC 7619
  DigitalSignature = 14,       // RFC 7427
};

// TsType is a traffic selector type (RFC 7296 §3.13.1).
enum class TsType : std::uint8_t {
  Ipv4AddrRange = 7,
  Ipv6AddrRange = 8,
  SecLabel = 10,  // RFC 9478
};

// CfgType is the CFG Type of CP (RFC 7296 §3.15).
enum class CfgType : std::uint8_t {
  Request = 1,
  Reply = 2,
  Set = 3,
  Ack = 4,
};

// CfgAttributeType is a configuration attribute type (RFC 7296 §3.15.1).
enum class CfgAttributeType : std::uint16_t {
  InternalIp4Address = 1,
  InternalIp4Netmask = 2,
  InternalIp4Dns = 3,
  InternalIp4Nbns = 4,
  InternalIp4Dhcp = 6,
  ApplicationVersion = 7,
  InternalIp6Address = 8,
  InternalIp6Dns = 10,
  InternalIp6Dhcp = 12,
  InternalIp4Subnet = 13,
  SupportedAttributes = 14,
  InternalIp6Subnet = 15,
  Mip6HomePrefix = 16,     // RFC 5026
  InternalIp6Link = 17,    // RFC 5739
  InternalIp6Prefix = 18,  // RFC 5739
  HomeAgentAddress = 19,   // 3GPP TS 24.302
  PCscfIp4Address = 20,    // RFC 7651
  PCscfIp6Address = 21,    // RFC 7651
  InternalDnsDomain = 25,  // RFC 8598
};

// VerifyContext tells verify which exchange and direction a payload came in,
// for the rules that depend on them (SA SPI sizes and proposal numbering,
// RFC 7296 §3.3.1). Unset members mean "unknown": only context-free rules run.
struct VerifyContext {
  std::optional<ExchangeType> exchange;
  std::optional<bool> response;
};

// The *_name functions return the RFC/IANA name ("IKE_SA_INIT", "ENCR_AES_CBC"),
// or "<REGISTRY>_<number>" for a value this file does not list; they never fail.
std::string exchange_type_name(ExchangeType t);
// payload_type_name uses the RFC 7296 §3.2 notation: "SA", "KE", "IDi", "N", "SK".
std::string payload_type_name(PayloadType t);
std::string protocol_id_name(ProtocolId p);
std::string transform_type_name(TransformType t);
// transform_id_name names a transform ID within its type: (Encr, 12) -> "ENCR_AES_CBC".
std::string transform_id_name(TransformType type, std::uint16_t id);
std::string id_type_name(IdType t);
std::string cert_encoding_name(CertEncoding e);
std::string auth_method_name(AuthMethod m);
std::string ts_type_name(TsType t);
std::string cfg_type_name(CfgType t);
std::string cfg_attribute_name(CfgAttributeType t);

// is_known_payload_type is true for the payload types this codec decodes into
// structs (33..48 and 53); others become UnknownPayload.
bool is_known_payload_type(PayloadType t);

}  // namespace ikev2::wire

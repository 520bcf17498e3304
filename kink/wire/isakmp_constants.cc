// kink/wire/isakmp_constants.cc — names of ISAKMP and IPsec DOI values
// (RFC 2408 §3, RFC 2407 §4; IANA "Internet Key Exchange (IKE) Attributes"
// and "ISAKMP Identifiers").
#include "kink/wire/isakmp_constants.h"

#include <fmt/format.h>

namespace kink::wire::isakmp {

namespace {

std::string numbered(const char* registry, unsigned v) { return fmt::format("{}_{}", registry, v); }

std::string esp_transform_name(std::uint8_t id) {
  switch (static_cast<EspTransformId>(id)) {
    case EspTransformId::DesIv64: return "ESP_DES_IV64";
    case EspTransformId::Des: return "ESP_DES";
    case EspTransformId::TripleDes: return "ESP_3DES";
    case EspTransformId::Rc5: return "ESP_RC5";
    case EspTransformId::Idea: return "ESP_IDEA";
    case EspTransformId::Cast: return "ESP_CAST";
    case EspTransformId::Blowfish: return "ESP_BLOWFISH";
    case EspTransformId::TripleIdea: return "ESP_3IDEA";
    case EspTransformId::DesIv32: return "ESP_DES_IV32";
    case EspTransformId::Rc4: return "ESP_RC4";
    case EspTransformId::Null: return "ESP_NULL";
    case EspTransformId::AesCbc: return "ESP_AES-CBC";
    case EspTransformId::AesCtr: return "ESP_AES-CTR";
    case EspTransformId::AesCcm8: return "ESP_AES-CCM_8";
    case EspTransformId::AesCcm12: return "ESP_AES-CCM_12";
    case EspTransformId::AesCcm16: return "ESP_AES-CCM_16";
    case EspTransformId::AesGcm8: return "ESP_AES-GCM_8";
    case EspTransformId::AesGcm12: return "ESP_AES-GCM_12";
    case EspTransformId::AesGcm16: return "ESP_AES-GCM_16";
    case EspTransformId::Camellia: return "ESP_CAMELLIA";
    case EspTransformId::NullAuthAesGmac: return "ESP_NULL_AUTH_AES-GMAC";
  }
  return numbered("ESP", id);
}

std::string ah_transform_name(std::uint8_t id) {
  switch (static_cast<AhTransformId>(id)) {
    case AhTransformId::Md5: return "AH_MD5";
    case AhTransformId::Sha: return "AH_SHA";
    case AhTransformId::Des: return "AH_DES";
    case AhTransformId::Sha2_256: return "AH_SHA2-256";
    case AhTransformId::Sha2_384: return "AH_SHA2-384";
    case AhTransformId::Sha2_512: return "AH_SHA2-512";
    case AhTransformId::Ripemd: return "AH_RIPEMD";
    case AhTransformId::AesXcbcMac: return "AH_AES-XCBC-MAC";
  }
  return numbered("AH", id);
}

std::string ipcomp_transform_name(std::uint8_t id) {
  switch (static_cast<IpcompTransformId>(id)) {
    case IpcompTransformId::Oui: return "IPCOMP_OUI";
    case IpcompTransformId::Deflate: return "IPCOMP_DEFLATE";
    case IpcompTransformId::Lzs: return "IPCOMP_LZS";
  }
  return numbered("IPCOMP", id);
}

}  // namespace

std::string payload_type_name(PayloadType t) {
  switch (t) {
    case PayloadType::None: return "NONE";
    case PayloadType::Sa: return "SA";
    case PayloadType::Proposal: return "P";
    case PayloadType::Transform: return "T";
    case PayloadType::Ke: return "KE";
    case PayloadType::Id: return "ID";
    case PayloadType::Cert: return "CERT";
    case PayloadType::CertReq: return "CR";
    case PayloadType::Hash: return "HASH";
    case PayloadType::Sig: return "SIG";
    case PayloadType::Nonce: return "NONCE";
    case PayloadType::Notify: return "N";
    case PayloadType::Delete: return "D";
    case PayloadType::VendorId: return "VID";
  }
  return numbered("ISAKMP", static_cast<unsigned>(t));
}

std::string protocol_id_name(ProtocolId p) {
  switch (p) {
    case ProtocolId::Isakmp: return "PROTO_ISAKMP";
    case ProtocolId::Ah: return "PROTO_IPSEC_AH";
    case ProtocolId::Esp: return "PROTO_IPSEC_ESP";
    case ProtocolId::Ipcomp: return "PROTO_IPCOMP";
  }
  return numbered("PROTO", static_cast<unsigned>(p));
}

std::string transform_id_name(ProtocolId p, std::uint8_t id) {
  switch (p) {
    case ProtocolId::Esp: return esp_transform_name(id);
    case ProtocolId::Ah: return ah_transform_name(id);
    case ProtocolId::Ipcomp: return ipcomp_transform_name(id);
    case ProtocolId::Isakmp: break;
  }
  return numbered("TRANSFORM", id);
}

std::string attribute_type_name(AttributeType t) {
  switch (t) {
    case AttributeType::LifeType: return "SA Life Type";
    case AttributeType::LifeDuration: return "SA Life Duration";
    case AttributeType::GroupDescription: return "Group Description";
    case AttributeType::EncapsulationMode: return "Encapsulation Mode";
    case AttributeType::AuthAlgorithm: return "Authentication Algorithm";
    case AttributeType::KeyLength: return "Key Length";
    case AttributeType::KeyRounds: return "Key Rounds";
    case AttributeType::CompressDictionarySize: return "Compress Dictionary Size";
    case AttributeType::CompressPrivateAlgorithm: return "Compress Private Algorithm";
    case AttributeType::EcnTunnel: return "ECN Tunnel";
    case AttributeType::ExtendedSequenceNumber: return "Extended (64-bit) Sequence Number";
  }
  return numbered("ATTRIBUTE", static_cast<unsigned>(t));
}

std::string id_type_name(IdType t) {
  switch (t) {
    case IdType::Ipv4Addr: return "ID_IPV4_ADDR";
    case IdType::Fqdn: return "ID_FQDN";
    case IdType::UserFqdn: return "ID_USER_FQDN";
    case IdType::Ipv4AddrSubnet: return "ID_IPV4_ADDR_SUBNET";
    case IdType::Ipv6Addr: return "ID_IPV6_ADDR";
    case IdType::Ipv6AddrSubnet: return "ID_IPV6_ADDR_SUBNET";
    case IdType::Ipv4AddrRange: return "ID_IPV4_ADDR_RANGE";
    case IdType::Ipv6AddrRange: return "ID_IPV6_ADDR_RANGE";
    case IdType::DerAsn1Dn: return "ID_DER_ASN1_DN";
    case IdType::DerAsn1Gn: return "ID_DER_ASN1_GN";
    case IdType::KeyId: return "ID_KEY_ID";
  }
  return numbered("ID", static_cast<unsigned>(t));
}

std::string notify_type_name(NotifyType t) {
  switch (t) {
    case NotifyType::InvalidPayloadType: return "INVALID-PAYLOAD-TYPE";
    case NotifyType::DoiNotSupported: return "DOI-NOT-SUPPORTED";
    case NotifyType::SituationNotSupported: return "SITUATION-NOT-SUPPORTED";
    case NotifyType::InvalidCookie: return "INVALID-COOKIE";
    case NotifyType::InvalidMajorVersion: return "INVALID-MAJOR-VERSION";
    case NotifyType::InvalidMinorVersion: return "INVALID-MINOR-VERSION";
    case NotifyType::InvalidExchangeType: return "INVALID-EXCHANGE-TYPE";
    case NotifyType::InvalidFlags: return "INVALID-FLAGS";
    case NotifyType::InvalidMessageId: return "INVALID-MESSAGE-ID";
    case NotifyType::InvalidProtocolId: return "INVALID-PROTOCOL-ID";
    case NotifyType::InvalidSpi: return "INVALID-SPI";
    case NotifyType::InvalidTransformId: return "INVALID-TRANSFORM-ID";
    case NotifyType::AttributesNotSupported: return "ATTRIBUTES-NOT-SUPPORTED";
    case NotifyType::NoProposalChosen: return "NO-PROPOSAL-CHOSEN";
    case NotifyType::BadProposalSyntax: return "BAD-PROPOSAL-SYNTAX";
    case NotifyType::PayloadMalformed: return "PAYLOAD-MALFORMED";
    case NotifyType::InvalidKeyInformation: return "INVALID-KEY-INFORMATION";
    case NotifyType::InvalidIdInformation: return "INVALID-ID-INFORMATION";
    case NotifyType::InvalidCertEncoding: return "INVALID-CERT-ENCODING";
    case NotifyType::InvalidCertificate: return "INVALID-CERTIFICATE";
    case NotifyType::CertTypeUnsupported: return "CERT-TYPE-UNSUPPORTED";
    case NotifyType::InvalidCertAuthority: return "INVALID-CERT-AUTHORITY";
    case NotifyType::InvalidHashInformation: return "INVALID-HASH-INFORMATION";
    case NotifyType::AuthenticationFailed: return "AUTHENTICATION-FAILED";
    case NotifyType::InvalidSignature: return "INVALID-SIGNATURE";
    case NotifyType::AddressNotification: return "ADDRESS-NOTIFICATION";
    case NotifyType::NotifySaLifetime: return "NOTIFY-SA-LIFETIME";
    case NotifyType::CertificateUnavailable: return "CERTIFICATE-UNAVAILABLE";
    case NotifyType::UnsupportedExchangeType: return "UNSUPPORTED-EXCHANGE-TYPE";
    case NotifyType::UnequalPayloadLengths: return "UNEQUAL-PAYLOAD-LENGTHS";
    case NotifyType::Connected: return "CONNECTED";
    case NotifyType::ResponderLifetime: return "RESPONDER-LIFETIME";
    case NotifyType::ReplayStatus: return "REPLAY-STATUS";
    case NotifyType::InitialContact: return "INITIAL-CONTACT";
  }
  return numbered("NOTIFY", static_cast<unsigned>(t));
}

bool is_basic_attribute(std::uint16_t type) {
  switch (static_cast<AttributeType>(type)) {
    case AttributeType::LifeType:
    case AttributeType::GroupDescription:
    case AttributeType::EncapsulationMode:
    case AttributeType::AuthAlgorithm:
    case AttributeType::KeyLength:
    case AttributeType::KeyRounds:
    case AttributeType::CompressDictionarySize:
    case AttributeType::EcnTunnel:
    case AttributeType::ExtendedSequenceNumber:
      return true;
    case AttributeType::LifeDuration:
    case AttributeType::CompressPrivateAlgorithm:
      return false;
  }
  return false;
}

}  // namespace kink::wire::isakmp

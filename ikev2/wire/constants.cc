// ikev2/wire/constants.cc — names of IKEv2 registry values (IANA "IKEv2 Parameters").
#include "ikev2/wire/constants.h"

#include <fmt/format.h>

namespace ikev2::wire {

namespace {

// numbered builds the fallback name for a value we do not list.
template <typename E>
std::string numbered(const char* registry, E v) {
  return fmt::format("{}_{}", registry, static_cast<unsigned>(v));
}

}  // namespace

std::string exchange_type_name(ExchangeType t) {
  switch (t) {
    case ExchangeType::IkeSaInit: return "IKE_SA_INIT";
    case ExchangeType::IkeAuth: return "IKE_AUTH";
    case ExchangeType::CreateChildSa: return "CREATE_CHILD_SA";
    case ExchangeType::Informational: return "INFORMATIONAL";
    case ExchangeType::IkeSessionResume: return "IKE_SESSION_RESUME";
    case ExchangeType::IkeIntermediate: return "IKE_INTERMEDIATE";
    case ExchangeType::IkeFollowupKe: return "IKE_FOLLOWUP_KE";
  }
  return numbered("EXCHANGE", t);
}

std::string payload_type_name(PayloadType t) {
  switch (t) {
    case PayloadType::None: return "NONE";
    case PayloadType::Sa: return "SA";
    case PayloadType::Ke: return "KE";
    case PayloadType::IdInitiator: return "IDi";
    case PayloadType::IdResponder: return "IDr";
    case PayloadType::Cert: return "CERT";
    case PayloadType::CertReq: return "CERTREQ";
    case PayloadType::Auth: return "AUTH";
    case PayloadType::Nonce: return "Nonce";
    case PayloadType::Notify: return "N";
    case PayloadType::Delete: return "D";
    case PayloadType::VendorId: return "V";
    case PayloadType::TsInitiator: return "TSi";
    case PayloadType::TsResponder: return "TSr";
    case PayloadType::Encrypted: return "SK";
    case PayloadType::Config: return "CP";
    case PayloadType::Eap: return "EAP";
    case PayloadType::Gspm: return "GSPM";
    case PayloadType::IdGroup: return "IDg";
    case PayloadType::GroupSa: return "GSA";
    case PayloadType::KeyDownload: return "KD";
    case PayloadType::EncryptedFragment: return "SKF";
    case PayloadType::Puzzle: return "PS";
  }
  return numbered("PAYLOAD", t);
}

std::string protocol_id_name(ProtocolId p) {
  switch (p) {
    case ProtocolId::None: return "NONE";
    case ProtocolId::Ike: return "IKE";
    case ProtocolId::Ah: return "AH";
    case ProtocolId::Esp: return "ESP";
  }
  return numbered("PROTO", p);
}

std::string transform_type_name(TransformType t) {
  switch (t) {
    case TransformType::Encr: return "ENCR";
    case TransformType::Prf: return "PRF";
    case TransformType::Integ: return "INTEG";
    case TransformType::Ke: return "KE";
    case TransformType::Esn: return "ESN";
    case TransformType::AddKe1: return "ADDKE1";
    case TransformType::AddKe7: return "ADDKE7";
  }
  auto v = static_cast<unsigned>(t);
  if (v > 6 && v < 12) return fmt::format("ADDKE{}", v - 5);
  return numbered("TRANSFORM", t);
}

namespace {

std::string encr_name(std::uint16_t id) {
  switch (static_cast<EncrId>(id)) {
    case EncrId::DesIv64: return "ENCR_DES_IV64";
    case EncrId::Des: return "ENCR_DES";
    case EncrId::TripleDes: return "ENCR_3DES";
    case EncrId::Null: return "ENCR_NULL";
    case EncrId::AesCbc: return "ENCR_AES_CBC";
    case EncrId::AesCtr: return "ENCR_AES_CTR";
    case EncrId::AesCcm8: return "ENCR_AES_CCM_8";
    case EncrId::AesCcm12: return "ENCR_AES_CCM_12";
    case EncrId::AesCcm16: return "ENCR_AES_CCM_16";
    case EncrId::AesGcm8: return "ENCR_AES_GCM_8";
    case EncrId::AesGcm12: return "ENCR_AES_GCM_12";
    case EncrId::AesGcm16: return "ENCR_AES_GCM_16";
    case EncrId::NullAuthAesGmac: return "ENCR_NULL_AUTH_AES_GMAC";
    case EncrId::CamelliaCbc: return "ENCR_CAMELLIA_CBC";
    case EncrId::ChaCha20Poly1305: return "ENCR_CHACHA20_POLY1305";
  }
  return numbered("ENCR", id);
}

std::string prf_name(std::uint16_t id) {
  switch (static_cast<PrfId>(id)) {
    case PrfId::HmacMd5: return "PRF_HMAC_MD5";
    case PrfId::HmacSha1: return "PRF_HMAC_SHA1";
    case PrfId::Aes128Xcbc: return "PRF_AES128_XCBC";
    case PrfId::HmacSha2_256: return "PRF_HMAC_SHA2_256";
    case PrfId::HmacSha2_384: return "PRF_HMAC_SHA2_384";
    case PrfId::HmacSha2_512: return "PRF_HMAC_SHA2_512";
    case PrfId::Aes128Cmac: return "PRF_AES128_CMAC";
  }
  return numbered("PRF", id);
}

std::string integ_name(std::uint16_t id) {
  switch (static_cast<IntegId>(id)) {
    case IntegId::None: return "NONE";
    case IntegId::HmacMd5_96: return "AUTH_HMAC_MD5_96";
    case IntegId::HmacSha1_96: return "AUTH_HMAC_SHA1_96";
    case IntegId::AesXcbc96: return "AUTH_AES_XCBC_96";
    case IntegId::AesCmac96: return "AUTH_AES_CMAC_96";
    case IntegId::HmacSha2_256_128: return "AUTH_HMAC_SHA2_256_128";
    case IntegId::HmacSha2_384_192: return "AUTH_HMAC_SHA2_384_192";
    case IntegId::HmacSha2_512_256: return "AUTH_HMAC_SHA2_512_256";
  }
  return numbered("AUTH", id);
}

std::string ke_name(std::uint16_t id) {
  switch (static_cast<KeGroup>(id)) {
    case KeGroup::None: return "NONE";
    case KeGroup::Modp768: return "MODP_768";
    case KeGroup::Modp1024: return "MODP_1024";
    case KeGroup::Modp1536: return "MODP_1536";
    case KeGroup::Modp2048: return "MODP_2048";
    case KeGroup::Modp3072: return "MODP_3072";
    case KeGroup::Modp4096: return "MODP_4096";
    case KeGroup::Modp6144: return "MODP_6144";
    case KeGroup::Modp8192: return "MODP_8192";
    case KeGroup::Ecp256: return "ECP_256";
    case KeGroup::Ecp384: return "ECP_384";
    case KeGroup::Ecp521: return "ECP_521";
    case KeGroup::Curve25519: return "CURVE25519";
    case KeGroup::Curve448: return "CURVE448";
  }
  return numbered("GROUP", id);
}

}  // namespace

std::string transform_id_name(TransformType type, std::uint16_t id) {
  switch (type) {
    case TransformType::Encr: return encr_name(id);
    case TransformType::Prf: return prf_name(id);
    case TransformType::Integ: return integ_name(id);
    case TransformType::Ke: return ke_name(id);
    case TransformType::Esn: return id == 0 ? "NO_ESN" : id == 1 ? "ESN" : numbered("ESN", id);
    default: break;
  }
  if (type >= TransformType::AddKe1 && type <= TransformType::AddKe7) return ke_name(id);
  return fmt::format("{}_{}", transform_type_name(type), id);
}

std::string id_type_name(IdType t) {
  switch (t) {
    case IdType::Ipv4Addr: return "ID_IPV4_ADDR";
    case IdType::Fqdn: return "ID_FQDN";
    case IdType::Rfc822Addr: return "ID_RFC822_ADDR";
    case IdType::Ipv6Addr: return "ID_IPV6_ADDR";
    case IdType::DerAsn1Dn: return "ID_DER_ASN1_DN";
    case IdType::DerAsn1Gn: return "ID_DER_ASN1_GN";
    case IdType::KeyId: return "ID_KEY_ID";
    case IdType::FcName: return "ID_FC_NAME";
    case IdType::Null: return "ID_NULL";
  }
  return numbered("ID", t);
}

std::string cert_encoding_name(CertEncoding e) {
  switch (e) {
    case CertEncoding::Pkcs7WrappedX509: return "PKCS7_WRAPPED_X509";
    case CertEncoding::Pgp: return "PGP";
    case CertEncoding::DnsSignedKey: return "DNS_SIGNED_KEY";
    case CertEncoding::X509Signature: return "X509_SIGNATURE";
    case CertEncoding::KerberosToken: return "KERBEROS_TOKEN";
    case CertEncoding::Crl: return "CRL";
    case CertEncoding::Arl: return "ARL";
    case CertEncoding::Spki: return "SPKI";
    case CertEncoding::X509Attribute: return "X509_ATTRIBUTE";
    case CertEncoding::RawRsaKey: return "RAW_RSA_KEY";
    case CertEncoding::HashUrlX509Cert: return "HASH_URL_X509_CERT";
    case CertEncoding::HashUrlX509Bundle: return "HASH_URL_X509_BUNDLE";
    case CertEncoding::OcspContent: return "OCSP_CONTENT";
    case CertEncoding::RawPublicKey: return "RAW_PUBLIC_KEY";
  }
  return numbered("CERT", e);
}

std::string auth_method_name(AuthMethod m) {
  switch (m) {
    case AuthMethod::RsaSignature: return "RSA_SIG";
    case AuthMethod::SharedKeyMic: return "SHARED_KEY_MIC";
    case AuthMethod::DssSignature: return "DSS_SIG";
    case AuthMethod::EcdsaSha256P256: return "ECDSA_SHA256_P256";
    case AuthMethod::EcdsaSha384P384: return "ECDSA_SHA384_P384";
    case AuthMethod::EcdsaSha512P521: return "ECDSA_SHA512_P521";
    case AuthMethod::GenericSecurePassword: return "GENERIC_SECURE_PASSWORD";
    case AuthMethod::Null: return "NULL_AUTH";
    case AuthMethod::DigitalSignature: return "DIGITAL_SIGNATURE";
  }
  return numbered("AUTH", m);
}

std::string ts_type_name(TsType t) {
  switch (t) {
    case TsType::Ipv4AddrRange: return "TS_IPV4_ADDR_RANGE";
    case TsType::Ipv6AddrRange: return "TS_IPV6_ADDR_RANGE";
    case TsType::SecLabel: return "TS_SECLABEL";
  }
  return numbered("TS", t);
}

std::string cfg_type_name(CfgType t) {
  switch (t) {
    case CfgType::Request: return "CFG_REQUEST";
    case CfgType::Reply: return "CFG_REPLY";
    case CfgType::Set: return "CFG_SET";
    case CfgType::Ack: return "CFG_ACK";
  }
  return numbered("CFG", t);
}

std::string cfg_attribute_name(CfgAttributeType t) {
  switch (t) {
    case CfgAttributeType::InternalIp4Address: return "INTERNAL_IP4_ADDRESS";
    case CfgAttributeType::InternalIp4Netmask: return "INTERNAL_IP4_NETMASK";
    case CfgAttributeType::InternalIp4Dns: return "INTERNAL_IP4_DNS";
    case CfgAttributeType::InternalIp4Nbns: return "INTERNAL_IP4_NBNS";
    case CfgAttributeType::InternalIp4Dhcp: return "INTERNAL_IP4_DHCP";
    case CfgAttributeType::ApplicationVersion: return "APPLICATION_VERSION";
    case CfgAttributeType::InternalIp6Address: return "INTERNAL_IP6_ADDRESS";
    case CfgAttributeType::InternalIp6Dns: return "INTERNAL_IP6_DNS";
    case CfgAttributeType::InternalIp6Dhcp: return "INTERNAL_IP6_DHCP";
    case CfgAttributeType::InternalIp4Subnet: return "INTERNAL_IP4_SUBNET";
    case CfgAttributeType::SupportedAttributes: return "SUPPORTED_ATTRIBUTES";
    case CfgAttributeType::InternalIp6Subnet: return "INTERNAL_IP6_SUBNET";
    case CfgAttributeType::Mip6HomePrefix: return "MIP6_HOME_PREFIX";
    case CfgAttributeType::InternalIp6Link: return "INTERNAL_IP6_LINK";
    case CfgAttributeType::InternalIp6Prefix: return "INTERNAL_IP6_PREFIX";
    case CfgAttributeType::HomeAgentAddress: return "HOME_AGENT_ADDRESS";
    case CfgAttributeType::PCscfIp4Address: return "P_CSCF_IP4_ADDRESS";
    case CfgAttributeType::PCscfIp6Address: return "P_CSCF_IP6_ADDRESS";
    case CfgAttributeType::InternalDnsDomain: return "INTERNAL_DNS_DOMAIN";
  }
  return numbered("CFG_ATTR", t);
}

bool is_known_payload_type(PayloadType t) {
  auto v = static_cast<unsigned>(t);
  return (v >= 33 && v <= 48) || t == PayloadType::EncryptedFragment;
}

}  // namespace ikev2::wire

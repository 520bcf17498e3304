// core/crypto/transform_ids.h — IKEv2 transform IDs that core::crypto
// implements (RFC 7296 §3.3.2, IANA "Internet Key Exchange Version 2 (IKEv2)
// Parameters" registry).
//
// Each is a struct holding a plain enum so the names read like an enum class
// (`PrfId::HmacSha2_256`) yet convert to the std::uint16_t wire value every
// factory here takes; a value decoded from the wire is passed unchanged and
// unknown values are refused with ErrorCode::Unsupported.
#pragma once

#include <cstdint>

namespace core::crypto {

// EncrId: Transform Type 1, encryption algorithms.
struct EncrId {
  enum : std::uint16_t {
    Des3 = 3,               // ENCR_3DES (RFC 2451)
    Null = 11,              // ENCR_NULL (RFC 2410), ESP only
    AesCbc = 12,            // ENCR_AES_CBC (RFC 3602)
    AesCtr = 13,            // ENCR_AES_CTR (RFC 3686, RFC 5930)
    AesGcm8 = 18,           // ENCR_AES_GCM_8 (RFC 4106, RFC 5282)
    AesGcm12 = 19,          // ENCR_AES_GCM_12
    AesGcm16 = 20,          // ENCR_AES_GCM_16
    ChaCha20Poly1305 = 28,  // ENCR_CHACHA20_POLY1305 (RFC 7634)
  };
};

// PrfId: Transform Type 2, pseudorandom functions.
struct PrfId {
  enum : std::uint16_t {
    HmacMd5 = 1,       // PRF_HMAC_MD5 (RFC 2104)
    HmacSha1 = 2,      // PRF_HMAC_SHA1 (RFC 2104)
    Aes128Xcbc = 4,    // PRF_AES128_XCBC (RFC 4434)
    HmacSha2_256 = 5,  // PRF_HMAC_SHA2_256 (RFC 4868)
    HmacSha2_384 = 6,  // PRF_HMAC_SHA2_384
    HmacSha2_512 = 7,  // PRF_HMAC_SHA2_512
    Aes128Cmac = 8,    // PRF_AES128_CMAC (RFC 4615)
  };
};

// IntegId: Transform Type 3, integrity algorithms.
struct IntegId {
  enum : std::uint16_t {
    None = 0,               // NONE (with AEAD ciphers)
    HmacMd5_96 = 1,         // AUTH_HMAC_MD5_96 (RFC 2403)
    HmacSha1_96 = 2,        // AUTH_HMAC_SHA1_96 (RFC 2404)
    AesXcbc96 = 5,          // AUTH_AES_XCBC_96 (RFC 3566)
    AesCmac96 = 8,          // AUTH_AES_CMAC_96 (RFC 4494)
    HmacSha2_256_128 = 12,  // AUTH_HMAC_SHA2_256_128 (RFC 4868)
    HmacSha2_384_192 = 13,  // AUTH_HMAC_SHA2_384_192
    HmacSha2_512_256 = 14,  // AUTH_HMAC_SHA2_512_256
  };
};

// DhGroup: Transform Type 4, key exchange methods.
struct DhGroup {
  enum : std::uint16_t {
    None = 0,
    Modp768 = 1,      // RFC 2409 §6.1 (legacy, weak)
    Modp1024 = 2,     // RFC 2409 §6.2 (legacy, weak)
    Modp1536 = 5,     // RFC 3526 §2
    Modp2048 = 14,    // RFC 3526 §3
    Modp3072 = 15,    // RFC 3526 §4
    Modp4096 = 16,    // RFC 3526 §5
    Modp6144 = 17,    // RFC 3526 §6
    Modp8192 = 18,    // RFC 3526 §7
    Ecp256 = 19,      // RFC 5903 (NIST P-256)
    Ecp384 = 20,      // RFC 5903 (NIST P-384)
    Ecp521 = 21,      // RFC 5903 (NIST P-521)
    Curve25519 = 31,  // RFC 8031
    Curve448 = 32,    // RFC 8031
  };
};

}  // namespace core::crypto

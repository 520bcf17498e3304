// kernel/pfkey/algorithms.h — PF_KEY algorithm numbers <-> IKEv2 transform IDs.
//
// PF_KEY numbers (SADB_EALG_*, SADB_X_EALG_*, SADB_AALG_*, SADB_X_AALG_*)
// come from <linux/pfkeyv2.h> and NetBSD sys/net/pfkeyv2.h; IKEv2 IDs from
// RFC 7296 §3.3.2 and the IANA "IKEv2 Transform Attribute" registry. The
// encryption numbers follow the IKEv1/ESP registry (RFC 2407 §4.4.4), so
// most equal their IKEv2 ID; the exceptions are camellia (PF_KEY 22, IKEv2
// 23) and AES-GMAC (PF_KEY 23, IKEv2 21). Integrity numbers differ wholly.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.h"
#include "kernel/pfkey/constants.h"

namespace kernel::pfkey {

// pfkey_ealg maps an IKEv2 ENCR_* ID to sadb_sa_encrypt; fails with
// Unsupported when the flavor has no number for it (ChaCha20-Poly1305 has
// none in either; AES-CCM is Linux only).
core::Result<std::uint8_t> pfkey_ealg(std::uint16_t ikev2_encr, Flavor f);
// ikev2_encr maps sadb_sa_encrypt back; nullopt for a PF_KEY-only cipher.
std::optional<std::uint16_t> ikev2_encr(std::uint8_t ealg, Flavor f);

// pfkey_aalg maps an IKEv2 AUTH_* ID (0 = none) to sadb_sa_auth.
core::Result<std::uint8_t> pfkey_aalg(std::uint16_t ikev2_integ, Flavor f);
std::optional<std::uint16_t> ikev2_integ(std::uint8_t aalg, Flavor f);

// encr_salt_bytes is the salt/nonce carried at the end of the key for
// counter-mode and AEAD ciphers (RFC 3686 §5.1: 4, RFC 4106 §8.1: 4,
// RFC 4309 §7.1: 3, RFC 4543 §8: 4); 0 otherwise.
std::size_t encr_salt_bytes(std::uint16_t ikev2_encr);

// encr_key_length_attribute is the IKEv2 Key Length attribute (bits) for
// a cipher with a variable key, derived from the key bytes minus salt; 0
// for a fixed-key cipher.
std::uint16_t encr_key_length_attribute(std::uint16_t ikev2_encr, std::size_t key_bytes);

}  // namespace kernel::pfkey

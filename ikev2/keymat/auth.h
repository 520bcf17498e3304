// ikev2/keymat/auth.h — the AUTH payload value for a shared key
// (RFC 7296 §2.15, Auth Method 2 "Shared Key Message Integrity Code").
//
//   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
//   MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
//   AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
//
// RealMessage is the first message each side sent (its IKE_SA_INIT request
// or response, exactly as sent), NonceData the peer's nonce, and
// RestOfIDPayload the ID payload body after the generic header (ID Type,
// three RESERVED octets, Identification Data). The responder's octets mirror
// these with RealMessage2, NonceIData and SK_pr.
#pragma once

#include <cstdint>
#include <span>

#include "core/crypto/prf.h"
#include "core/crypto/secure_buffer.h"
#include "core/result.h"

namespace ikev2 {

// kKeyPad is the RFC 7296 §2.15 key pad, without a terminating NUL.
inline constexpr char kKeyPad[] = "Key Pad for IKEv2";

// SignedOctets names the parts of one side's signed octets; the views must
// outlive the call that takes them.
struct SignedOctets {
  std::span<const std::uint8_t> real_message;  // the sender's IKE_SA_INIT message
  std::span<const std::uint8_t> peer_nonce;    // the other side's Nonce Data
  std::span<const std::uint8_t> sk_p;          // SK_pi (initiator) or SK_pr (responder)
  std::span<const std::uint8_t> id_body;       // RestOfIDPayload of the sender's ID
};

// psk_auth returns AUTH for a shared key over octets, prf.output_size()
// bytes. Fails only when the PRF fails (Crypto).
core::Result<core::crypto::SecureBytes> psk_auth(const core::crypto::Prf& prf,
                                                 std::span<const std::uint8_t> psk,
                                                 const SignedOctets& octets);

// verify_psk_auth recomputes AUTH and compares it with received in constant
// time; false on any mismatch (including length) or PRF failure.
bool verify_psk_auth(const core::crypto::Prf& prf, std::span<const std::uint8_t> psk,
                     const SignedOctets& octets, std::span<const std::uint8_t> received);

}  // namespace ikev2

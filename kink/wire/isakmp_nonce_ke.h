// kink/wire/isakmp_nonce_ke.h — the ISAKMP Nonce (RFC 2408 §3.13) and Key
// Exchange (§3.7) payloads, as Quick Mode uses them inside KINK_ISAKMP
// (Nonce always, KE when the SA asks for PFS, RFC 4430 §4.2.6).
//
// Nonce:
//                         1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                            Nonce Data                         ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Key Exchange:
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ! Next Payload  !   RESERVED    !         Payload Length        !
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    ~                       Key Exchange Data                       ~
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Unlike IKEv2, the ISAKMP KE payload does not name its group: the group is
// the SA's Group Description attribute (RFC 2407 §4.5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"

namespace kink::wire::isakmp {

// kMinNonceSize / kMaxNonceSize bound Nonce Data ("MUST be between 8 and
// 256 bytes inclusive", RFC 2409 §5).
inline constexpr std::size_t kMinNonceSize = 8;
inline constexpr std::size_t kMaxNonceSize = 256;

// NoncePayload is the Nonce Data.
struct NoncePayload {
  std::vector<std::uint8_t> data;

  bool operator==(const NoncePayload&) const = default;
};

// KePayload is the Key Exchange Data (the DH public value).
struct KePayload {
  std::vector<std::uint8_t> data;

  bool operator==(const KePayload&) const = default;
};

// decode_nonce / decode_ke take the body whole; they cannot fail.
core::Result<NoncePayload> decode_nonce(std::span<const std::uint8_t> body);
core::Result<KePayload> decode_ke(std::span<const std::uint8_t> body);

// verify (Nonce) fails InvalidSyntax outside 8..256 octets; verify (KE)
// fails InvalidSyntax when the public value is empty.
core::Status verify(const NoncePayload& nonce);
core::Status verify(const KePayload& ke);

// encode appends the payload body.
void encode(const NoncePayload& nonce, core::wire::Writer& w);
void encode(const KePayload& ke, core::wire::Writer& w);

}  // namespace kink::wire::isakmp

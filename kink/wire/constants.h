// kink/wire/constants.h — KINK registry values (RFC 4430 §4, §4.2, §4.2.8;
// IANA "KINK Parameters") and their names for logs and dumps.
//
// Every enum has a fixed underlying type as wide as its wire field, so a
// value a peer sends that is not listed here is still representable. Codecs
// never reject a value just because it is missing from these lists; the RFC
// rules in each payload's verify decide that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace kink::wire {

// kPort is the port IANA assigned to KINK (service name "kink", UDP 910).
inline constexpr std::uint16_t kPort = 910;
// kIpsecDoi is the IPsec DOI, the only DOI KINK defines payloads for
// (RFC 4430 §4 "DOI"; RFC 2407 §4.2).
inline constexpr std::uint32_t kIpsecDoi = 1;
// kMajorVersion is the KINK MjVer this codec speaks (RFC 4430 §4: "MUST be set to 1").
inline constexpr std::uint8_t kMajorVersion = 1;
// kQmMajorVersion / kQmMinorVersion are the Quick Mode version carried in
// KINK_ISAKMP (RFC 4430 §4.2.6: QMMaj 1, QMMin 0).
inline constexpr std::uint8_t kQmMajorVersion = 1;
inline constexpr std::uint8_t kQmMinorVersion = 0;
// kPayloadAlign is the boundary every KINK payload is padded to (RFC 4430
// §4.2); the padding is not counted in Payload Length.
inline constexpr std::size_t kPayloadAlign = 4;

// MessageType is the header's Type field (RFC 4430 §4).
enum class MessageType : std::uint8_t {
  Reserved = 0,
  Create = 1,
  Delete = 2,
  Reply = 3,
  GetTgt = 4,
  Ack = 5,
  Status = 6,
};

// PayloadType is a KINK Next Payload value (RFC 4430 §4.2; IANA "KINK
// Next Payload Types"). Values 9-127 are unassigned, 128-255 private use.
enum class PayloadType : std::uint8_t {
  Done = 0,  // KINK_DONE: no further payload
  ApReq = 1,
  ApRep = 2,
  KrbError = 3,
  TgtReq = 4,
  TgtRep = 5,
  Isakmp = 6,
  Encrypt = 7,
  Error = 8,
};

// KinkErrorCode is the ErrorCode of a KINK_ERROR payload (RFC 4430 §4.2.8).
// Value 4 is RESERVED in the RFC (early drafts had KINK_INVMIN there).
// 7-8191 are reserved to IANA, 8192-16383 private use, 16384 and up reserved.
enum class KinkErrorCode : std::uint32_t {
  Ok = 0,         // KINK_OK: no error detected
  ProtoErr = 1,   // KINK_PROTOERR: the message was malformed
  InvDoi = 2,     // KINK_INVDOI: invalid DOI
  InvMaj = 3,     // KINK_INVMAJ: invalid major version
  IntErr = 5,     // KINK_INTERR: an unrecoverable internal error
  BadQmVers = 6,  // KINK_BADQMVERS: unsupported Quick Mode version
};

// is_known_payload_type is true for KINK_AP_REQ .. KINK_ERROR (1-8).
bool is_known_payload_type(PayloadType t);

// message_type_name returns the RFC name ("CREATE", "GETTGT"), or
// "TYPE_<n>" for a value RFC 4430 does not define.
std::string message_type_name(MessageType t);
// payload_type_name returns the RFC name ("KINK_AP_REQ"), or "KINK_<n>".
std::string payload_type_name(PayloadType t);
// kink_error_name returns the RFC name ("KINK_PROTOERR"), or "ERROR_<n>".
std::string kink_error_name(KinkErrorCode e);

}  // namespace kink::wire

// ikev2/wire/notify_type.h — Notify Message Types (RFC 7296 §3.10.1 and the
// IANA "IKEv2 Notify Message Types" registry entries kagi meets in practice).
//
// Values below 16384 are errors, 16384 and above are status (RFC 7296 §3.10.1).
// Enum values are named as in the RFC: NOTIFY_NAME -> NotifyType::NotifyName.
#pragma once

#include <cstdint>
#include <string>

namespace ikev2::wire {

// NotifyType is the Notify Message Type field of a Notify payload.
enum class NotifyType : std::uint16_t {
  // Error types, RFC 7296 §3.10.1.
  UnsupportedCriticalPayload = 1,
  InvalidIkeSpi = 4,
  InvalidMajorVersion = 5,
  InvalidSyntax = 7,
  InvalidMessageId = 9,
  InvalidSpi = 11,
  NoProposalChosen = 14,
  InvalidKePayload = 17,
  AuthenticationFailed = 24,
  SinglePairRequired = 34,
  NoAdditionalSas = 35,
  InternalAddressFailure = 36,
  FailedCpRequired = 37,
  TsUnacceptable = 38,
  InvalidSelectors = 39,
  // RFC 4555 (MOBIKE).
  UnacceptableAddresses = 40,
  UnexpectedNatDetected = 41,
  // RFC 5026 (Mobile IPv6 bootstrapping).
  UseAssignedHoa = 42,
  // RFC 7296 §3.10.1 (continued).
  TemporaryFailure = 43,
  ChildSaNotFound = 44,
  // RFC 9838 (G-IKEv2), RFC 9370.
  InvalidGroupId = 45,
  AuthorizationFailed = 46,
  StateNotFound = 47,
  // Status types, RFC 7296 §3.10.1.
  InitialContact = 16384,
  SetWindowSize = 16385,
  AdditionalTsPossible = 16386,
  IpcompSupported = 16387,
  NatDetectionSourceIp = 16388,
  NatDetectionDestinationIp = 16389,
  Cookie = 16390,
  UseTransportMode = 16391,
  HttpCertLookupSupported = 16392,
  RekeySa = 16393,
  EspTfcPaddingNotSupported = 16394,
  NonFirstFragmentsAlso = 16395,
  // RFC 4555 (MOBIKE).
  MobikeSupported = 16396,
  AdditionalIp4Address = 16397,
  AdditionalIp6Address = 16398,
  NoAdditionalAddresses = 16399,
  UpdateSaAddresses = 16400,
  Cookie2 = 16401,
  NoNatsAllowed = 16402,
  // RFC 4478, RFC 4739, RFC 5685, RFC 5723, RFC 5739, RFC 5840, RFC 5857, RFC 5998.
  AuthLifetime = 16403,
  MultipleAuthSupported = 16404,
  AnotherAuthFollows = 16405,
  RedirectSupported = 16406,
  Redirect = 16407,
  RedirectedFrom = 16408,
  TicketLtOpaque = 16409,
  TicketRequest = 16410,
  TicketAck = 16411,
  TicketNack = 16412,
  TicketOpaque = 16413,
  LinkId = 16414,
  UseWespMode = 16415,
  RohcSupported = 16416,
  EapOnlyAuthentication = 16417,
  // RFC 6023 and later.
  ChildlessIkev2Supported = 16418,
  QuickCrashDetection = 16419,
  Ikev2MessageIdSyncSupported = 16420,
  IpsecReplayCounterSyncSupported = 16421,
  Ikev2MessageIdSync = 16422,
  IpsecReplayCounterSync = 16423,
  SecurePasswordMethods = 16424,
  PskPersist = 16425,
  PskConfirm = 16426,
  ErxSupported = 16427,
  IfomCapability = 16428,
  SenderRequestId = 16429,
  // RFC 7383, RFC 7427, RFC 7791, RFC 8019, RFC 8784, RFC 9242, RFC 8983, RFC 9370, RFC 9347.
  Ikev2FragmentationSupported = 16430,
  SignatureHashAlgorithms = 16431,
  CloneIkeSaSupported = 16432,
  CloneIkeSa = 16433,
  Puzzle = 16434,
  UsePpk = 16435,
  PpkIdentity = 16436,
  NoPpkAuth = 16437,
  IntermediateExchangeSupported = 16438,
  Ip4Allowed = 16439,
  Ip6Allowed = 16440,
  AdditionalKeyExchange = 16441,
  UseAggfrag = 16442,
};

// notify_type_name returns the RFC name ("NAT_DETECTION_SOURCE_IP"), or
// "ERROR_TYPE_<n>" / "STATUS_TYPE_<n>" for an unlisted value.
std::string notify_type_name(NotifyType t);

// is_error_notify is true for error types (values below 16384, RFC 7296 §3.10.1).
inline bool is_error_notify(NotifyType t) { return static_cast<std::uint16_t>(t) < 16384; }

}  // namespace ikev2::wire

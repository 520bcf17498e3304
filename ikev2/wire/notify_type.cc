// ikev2/wire/notify_type.cc — names of Notify Message Types.
#include "ikev2/wire/notify_type.h"

#include <fmt/format.h>

namespace ikev2::wire {

std::string notify_type_name(NotifyType t) {
  switch (t) {
    case NotifyType::UnsupportedCriticalPayload: return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case NotifyType::InvalidIkeSpi: return "INVALID_IKE_SPI";
    case NotifyType::InvalidMajorVersion: return "INVALID_MAJOR_VERSION";
    case NotifyType::InvalidSyntax: return "INVALID_SYNTAX";
    case NotifyType::InvalidMessageId: return "INVALID_MESSAGE_ID";
    case NotifyType::InvalidSpi: return "INVALID_SPI";
    case NotifyType::NoProposalChosen: return "NO_PROPOSAL_CHOSEN";
    case NotifyType::InvalidKePayload: return "INVALID_KE_PAYLOAD";
    case NotifyType::AuthenticationFailed: return "AUTHENTICATION_FAILED";
    case NotifyType::SinglePairRequired: return "SINGLE_PAIR_REQUIRED";
    case NotifyType::NoAdditionalSas: return "NO_ADDITIONAL_SAS";
    case NotifyType::InternalAddressFailure: return "INTERNAL_ADDRESS_FAILURE";
    case NotifyType::FailedCpRequired: return "FAILED_CP_REQUIRED";
    case NotifyType::TsUnacceptable: return "TS_UNACCEPTABLE";
    case NotifyType::InvalidSelectors: return "INVALID_SELECTORS";
    case NotifyType::UnacceptableAddresses: return "UNACCEPTABLE_ADDRESSES";
    case NotifyType::UnexpectedNatDetected: return "UNEXPECTED_NAT_DETECTED";
    case NotifyType::UseAssignedHoa: return "USE_ASSIGNED_HoA";
    case NotifyType::TemporaryFailure: return "TEMPORARY_FAILURE";
    case NotifyType::ChildSaNotFound: return "CHILD_SA_NOT_FOUND";
    case NotifyType::InvalidGroupId: return "INVALID_GROUP_ID";
    case NotifyType::AuthorizationFailed: return "AUTHORIZATION_FAILED";
    case NotifyType::StateNotFound: return "STATE_NOT_FOUND";
    case NotifyType::InitialContact: return "INITIAL_CONTACT";
    case NotifyType::SetWindowSize: return "SET_WINDOW_SIZE";
    case NotifyType::AdditionalTsPossible: return "ADDITIONAL_TS_POSSIBLE";
    case NotifyType::IpcompSupported: return "IPCOMP_SUPPORTED";
    case NotifyType::NatDetectionSourceIp: return "NAT_DETECTION_SOURCE_IP";
    case NotifyType::NatDetectionDestinationIp: return "NAT_DETECTION_DESTINATION_IP";
    case NotifyType::Cookie: return "COOKIE";
    case NotifyType::UseTransportMode: return "USE_TRANSPORT_MODE";
    case NotifyType::HttpCertLookupSupported: return "HTTP_CERT_LOOKUP_SUPPORTED";
    case NotifyType::RekeySa: return "REKEY_SA";
    case NotifyType::EspTfcPaddingNotSupported: return "ESP_TFC_PADDING_NOT_SUPPORTED";
    case NotifyType::NonFirstFragmentsAlso: return "NON_FIRST_FRAGMENTS_ALSO";
    case NotifyType::MobikeSupported: return "MOBIKE_SUPPORTED";
    case NotifyType::AdditionalIp4Address: return "ADDITIONAL_IP4_ADDRESS";
    case NotifyType::AdditionalIp6Address: return "ADDITIONAL_IP6_ADDRESS";
    case NotifyType::NoAdditionalAddresses: return "NO_ADDITIONAL_ADDRESSES";
    case NotifyType::UpdateSaAddresses: return "UPDATE_SA_ADDRESSES";
    case NotifyType::Cookie2: return "COOKIE2";
    case NotifyType::NoNatsAllowed: return "NO_NATS_ALLOWED";
    case NotifyType::AuthLifetime: return "AUTH_LIFETIME";
    case NotifyType::MultipleAuthSupported: return "MULTIPLE_AUTH_SUPPORTED";
    case NotifyType::AnotherAuthFollows: return "ANOTHER_AUTH_FOLLOWS";
    case NotifyType::RedirectSupported: return "REDIRECT_SUPPORTED";
    case NotifyType::Redirect: return "REDIRECT";
    case NotifyType::RedirectedFrom: return "REDIRECTED_FROM";
    case NotifyType::TicketLtOpaque: return "TICKET_LT_OPAQUE";
    case NotifyType::TicketRequest: return "TICKET_REQUEST";
    case NotifyType::TicketAck: return "TICKET_ACK";
    case NotifyType::TicketNack: return "TICKET_NACK";
    case NotifyType::TicketOpaque: return "TICKET_OPAQUE";
    case NotifyType::LinkId: return "LINK_ID";
    case NotifyType::UseWespMode: return "USE_WESP_MODE";
    case NotifyType::RohcSupported: return "ROHC_SUPPORTED";
    case NotifyType::EapOnlyAuthentication: return "EAP_ONLY_AUTHENTICATION";
    case NotifyType::ChildlessIkev2Supported: return "CHILDLESS_IKEV2_SUPPORTED";
    case NotifyType::QuickCrashDetection: return "QUICK_CRASH_DETECTION";
    case NotifyType::Ikev2MessageIdSyncSupported: return "IKEV2_MESSAGE_ID_SYNC_SUPPORTED";
    case NotifyType::IpsecReplayCounterSyncSupported: return "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED";
    case NotifyType::Ikev2MessageIdSync: return "IKEV2_MESSAGE_ID_SYNC";
    case NotifyType::IpsecReplayCounterSync: return "IPSEC_REPLAY_COUNTER_SYNC";
    case NotifyType::SecurePasswordMethods: return "SECURE_PASSWORD_METHODS";
    case NotifyType::PskPersist: return "PSK_PERSIST";
    case NotifyType::PskConfirm: return "PSK_CONFIRM";
    case NotifyType::ErxSupported: return "ERX_SUPPORTED";
    case NotifyType::IfomCapability: return "IFOM_CAPABILITY";
    case NotifyType::SenderRequestId: return "SENDER_REQUEST_ID";
    case NotifyType::Ikev2FragmentationSupported: return "IKEV2_FRAGMENTATION_SUPPORTED";
    case NotifyType::SignatureHashAlgorithms: return "SIGNATURE_HASH_ALGORITHMS";
    case NotifyType::CloneIkeSaSupported: return "CLONE_IKE_SA_SUPPORTED";
    case NotifyType::CloneIkeSa: return "CLONE_IKE_SA";
    case NotifyType::Puzzle: return "PUZZLE";
    case NotifyType::UsePpk: return "USE_PPK";
    case NotifyType::PpkIdentity: return "PPK_IDENTITY";
    case NotifyType::NoPpkAuth: return "NO_PPK_AUTH";
    case NotifyType::IntermediateExchangeSupported: return "INTERMEDIATE_EXCHANGE_SUPPORTED";
    case NotifyType::Ip4Allowed: return "IP4_ALLOWED";
    case NotifyType::Ip6Allowed: return "IP6_ALLOWED";
    case NotifyType::AdditionalKeyExchange: return "ADDITIONAL_KEY_EXCHANGE";
    case NotifyType::UseAggfrag: return "USE_AGGFRAG";
  }
  auto v = static_cast<unsigned>(t);
  return fmt::format("{}_{}", v < 16384 ? "ERROR_TYPE" : "STATUS_TYPE", v);
}

}  // namespace ikev2::wire

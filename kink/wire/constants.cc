// kink/wire/constants.cc — names of KINK registry values (RFC 4430 §4, §4.2, §4.2.8).
#include "kink/wire/constants.h"

#include <fmt/format.h>

namespace kink::wire {

bool is_known_payload_type(PayloadType t) {
  auto v = static_cast<unsigned>(t);
  return v >= static_cast<unsigned>(PayloadType::ApReq) &&
         v <= static_cast<unsigned>(PayloadType::Error);
}

std::string message_type_name(MessageType t) {
  switch (t) {
    case MessageType::Reserved: return "RESERVED";
    case MessageType::Create: return "CREATE";
    case MessageType::Delete: return "DELETE";
    case MessageType::Reply: return "REPLY";
    case MessageType::GetTgt: return "GETTGT";
    case MessageType::Ack: return "ACK";
    case MessageType::Status: return "STATUS";
  }
  return fmt::format("TYPE_{}", static_cast<unsigned>(t));
}

std::string payload_type_name(PayloadType t) {
  switch (t) {
    case PayloadType::Done: return "KINK_DONE";
    case PayloadType::ApReq: return "KINK_AP_REQ";
    case PayloadType::ApRep: return "KINK_AP_REP";
    case PayloadType::KrbError: return "KINK_KRB_ERROR";
    case PayloadType::TgtReq: return "KINK_TGT_REQ";
    case PayloadType::TgtRep: return "KINK_TGT_REP";
    case PayloadType::Isakmp: return "KINK_ISAKMP";
    case PayloadType::Encrypt: return "KINK_ENCRYPT";
    case PayloadType::Error: return "KINK_ERROR";
  }
  return fmt::format("KINK_{}", static_cast<unsigned>(t));
}

std::string kink_error_name(KinkErrorCode e) {
  switch (e) {
    case KinkErrorCode::Ok: return "KINK_OK";
    case KinkErrorCode::ProtoErr: return "KINK_PROTOERR";
    case KinkErrorCode::InvDoi: return "KINK_INVDOI";
    case KinkErrorCode::InvMaj: return "KINK_INVMAJ";
    case KinkErrorCode::IntErr: return "KINK_INTERR";
    case KinkErrorCode::BadQmVers: return "KINK_BADQMVERS";
  }
  return fmt::format("ERROR_{}", static_cast<std::uint32_t>(e));
}

}  // namespace kink::wire

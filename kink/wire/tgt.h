// kink/wire/tgt.h — KINK_TGT_REQ (RFC 4430 §4.2.4) and KINK_TGT_REP
// (§4.2.5), the GETTGT exchange that makes User-to-User authentication
// possible (§3.1).
//
// KINK_TGT_REQ:
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                                                               |
//    ~                       PrincName (variable)                    ~
//    |                                                               |
//    +---------------+---------------+---------------+---------------+
//
// KINK_TGT_REP:
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                                                               |
//    ~                          TGT (variable)                       ~
//    |                                                               |
//    +---------------+---------------+---------------+---------------+
//
// PrincName names the principal (with its realm) whose TGT the initiator
// wants, as the octet string of the NAME component of a Kerberos V5 GSS-API
// exported name (RFC 1964 §2.1.3), i.e. the RFC 1964 §2.1.1 text form
// "name/instance@REALM" with '\' escapes. TGT is a DER Ticket (RFC 4120 §5.3).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"

namespace kink::wire {

// TgtReqPayload is KINK_TGT_REQ.
struct TgtReqPayload {
  std::string princ_name;

  // make joins a principal name already in RFC 1964 text form ("host/x")
  // and a realm, escaping '@', '/' and '\' in the realm.
  static TgtReqPayload make(std::string_view principal, std::string_view realm);
  // split returns the principal part and the realm of princ_name (both
  // still escaped): the realm follows the first '@' that no '\' escapes.
  // nullopt when there is no such '@'. The views point into princ_name.
  std::optional<std::pair<std::string_view, std::string_view>> split() const;

  bool operator==(const TgtReqPayload&) const = default;
};

// TgtRepPayload is KINK_TGT_REP.
struct TgtRepPayload {
  std::vector<std::uint8_t> tgt;

  bool operator==(const TgtRepPayload&) const = default;
};

// decode_tgt_req / decode_tgt_rep take the body whole; they cannot fail.
core::Result<TgtReqPayload> decode_tgt_req(std::span<const std::uint8_t> body);
core::Result<TgtRepPayload> decode_tgt_rep(std::span<const std::uint8_t> body);

// verify (TGT_REQ) fails InvalidSyntax unless PrincName has a non-empty
// principal and a non-empty realm (the responder's TGT "MUST NOT be an
// inter-realm TGT", so the realm must be named). verify (TGT_REP) fails
// InvalidSyntax unless the TGT starts with the Ticket tag [APPLICATION 1] 0x61.
core::Status verify(const TgtReqPayload& p);
core::Status verify(const TgtRepPayload& p);

// encode appends the payload body (without the generic header).
void encode(const TgtReqPayload& p, core::wire::Writer& w);
void encode(const TgtRepPayload& p, core::wire::Writer& w);

}  // namespace kink::wire

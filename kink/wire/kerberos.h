// kink/wire/kerberos.h — the payloads that carry a Kerberos message:
// KINK_AP_REQ (RFC 4430 §4.2.1), KINK_AP_REP (§4.2.2) and KINK_KRB_ERROR
// (§4.2.3). The Kerberos messages are DER (RFC 4120 §5) and stay opaque
// here; kink/krb hands them to MIT krb5.
//
// KINK_AP_REQ and KINK_AP_REP:
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                            EPOCH                              |
//    +---------------+---------------+---------------+---------------+
//    |                                                               |
//    ~                  KRB_AP_REQ / KRB_AP_REP                      ~
//    |                                                               |
//    +---------------+---------------+---------------+---------------+
//
// KINK_KRB_ERROR:
//    +---------------+---------------+---------------+---------------+
//    | Next Payload  |   RESERVED    |         Payload Length        |
//    +---------------+---------------+---------------+---------------+
//    |                                                               |
//    ~                          KRB_ERROR                            ~
//    |                                                               |
//    +---------------+---------------+---------------+---------------+
//
// EPOCH is the time (seconds since 1970-01-01 UTC) at which the sender's
// SPD state began; a peer uses a change of EPOCH to detect a reboot.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/wire/writer.h"

namespace kink::wire {

// ApReqPayload is KINK_AP_REQ: EPOCH and a DER KRB_AP_REQ.
struct ApReqPayload {
  std::uint32_t epoch = 0;
  std::vector<std::uint8_t> krb_ap_req;

  bool operator==(const ApReqPayload&) const = default;
};

// ApRepPayload is KINK_AP_REP: EPOCH and a DER KRB_AP_REP.
struct ApRepPayload {
  std::uint32_t epoch = 0;
  std::vector<std::uint8_t> krb_ap_rep;

  bool operator==(const ApRepPayload&) const = default;
};

// KrbErrorPayload is KINK_KRB_ERROR: a DER KRB_ERROR.
struct KrbErrorPayload {
  std::vector<std::uint8_t> krb_error;

  bool operator==(const KrbErrorPayload&) const = default;
};

// decode_ap_req / decode_ap_rep fail Malformed when the body is shorter
// than the 4-octet EPOCH; decode_krb_error cannot fail.
core::Result<ApReqPayload> decode_ap_req(std::span<const std::uint8_t> body);
core::Result<ApRepPayload> decode_ap_rep(std::span<const std::uint8_t> body);
core::Result<KrbErrorPayload> decode_krb_error(std::span<const std::uint8_t> body);

// verify fails InvalidSyntax unless the Kerberos message is present and
// starts with its DER tag (RFC 4120 §5.5.1, §5.5.2, §5.9.1): [APPLICATION
// 14] 0x6e for KRB_AP_REQ, [APPLICATION 15] 0x6f for KRB_AP_REP and
// [APPLICATION 30] 0x7e for KRB_ERROR. The rest is for krb5 to judge.
core::Status verify(const ApReqPayload& p);
core::Status verify(const ApRepPayload& p);
core::Status verify(const KrbErrorPayload& p);

// encode appends the payload body (without the generic header).
void encode(const ApReqPayload& p, core::wire::Writer& w);
void encode(const ApRepPayload& p, core::wire::Writer& w);
void encode(const KrbErrorPayload& p, core::wire::Writer& w);

}  // namespace kink::wire

// kink/krb/ap.h — the Kerberos AP exchange (RFC 4120 §3.2) as KINK uses it
// in KINK_AP_REQ / KINK_AP_REP (RFC 4430 §4.2.1, §4.2.2): the initiator makes
// an AP-REQ from a service ticket and checks the AP-REP; the responder reads
// the AP-REQ with its keytab (or, user-to-user, its TGT's session key) and
// its replay cache, and answers with an AP-REP or a KRB_ERROR (error.h).
//
//   initiator                                   responder
//   auto req = make_ap_req(ctx, ticket);  --->  auto acc = rd_ap_req(ctx, me, kt, req->bytes);
//                                               if (!acc) mk_error(ctx, me, acc.error().code, ...);
//   rd_ap_rep(ctx, req->auth, rep)       <---   auto rep = mk_ap_rep(ctx, acc->auth);
//   req->key == acc->key  (the ticket's session key, RFC 4430's only key)
//
// Nothing here does network I/O; rd_ap_req reads the keytab and reads and
// writes the replay-cache file (a few small local file operations).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/result.h"
#include "kink/krb/context.h"
#include "kink/krb/error.h"
#include "kink/krb/handles.h"
#include "kink/krb/keys.h"

namespace kink::krb {

// ApReq is a KRB_AP_REQ made by the initiator and what it keeps for the
// AP-REP.
struct ApReq {
  std::vector<std::uint8_t> bytes;  // DER KRB_AP_REQ for KINK_AP_REQ
  SessionKey key;                   // the ticket's session key
  ClientTime client_time;           // the authenticator's ctime/cusec
  AuthContext auth;                 // for rd_ap_rep
};

// make_ap_req builds an AP-REQ for ticket with MUTUAL-REQUIRED (KINK always
// expects an AP-REP) and, for a user-to-user ticket, USE-SESSION-KEY (RFC
// 4120 §3.7). checksum_data, when not empty, is covered by the
// authenticator's checksum (RFC 4120 §5.5.1 cksum). No subkey is made: RFC
// 4430 keys everything with the ticket's session key.
core::Result<ApReq> make_ap_req(const Context& ctx, const Creds& ticket,
                                std::span<const std::uint8_t> checksum_data = {});

// rd_ap_rep checks the responder's AP-REP against the AP-REQ made with auth
// (decrypts with the session key, matches ctime/cusec: RFC 4120 §3.2.5).
// AuthFailed when it does not verify; Malformed when it does not decode.
core::Status rd_ap_rep(const Context& ctx, const AuthContext& auth, std::span<const std::uint8_t> ap_rep);

// AcceptedApReq is what the responder learns from a good AP-REQ.
struct AcceptedApReq {
  std::string client;     // the initiator's principal (name@REALM)
  std::string server;     // the ticket's server: our principal
  SessionKey key;         // the ticket's session key
  TicketTimes times;      // the ticket's times
  ClientTime client_time; // the authenticator's ctime/cusec
  bool mutual_required = false;
  bool user_to_user = false;
  AuthContext auth;       // for mk_ap_rep
};

// Rejection is a refused AP-REQ: the Kerberos error to send back in
// KINK_KRB_ERROR (RFC 4430 §3.5). client_time is for mk_error; rd_ap_req
// leaves it empty (MIT does not hand out the authenticator of a refused
// AP-REQ safely; ctime/cusec are optional in KRB_ERROR, RFC 4120 §5.9.1).
struct Rejection {
  ProtocolError code = ProtocolError::KrbErrGeneric;
  core::Error error;
  std::optional<ClientTime> client_time;
};

using ApReqResult = tl::expected<AcceptedApReq, Rejection>;

// rd_ap_req verifies an AP-REQ for server: the ticket decrypts with a key of
// keytab (or, when user_to_user_key is given, with that TGT session key,
// RFC 4120 §3.7), the authenticator decrypts and names the ticket's client,
// its time is within the clock skew (KRB_AP_ERR_SKEW), the ticket is
// current (KRB_AP_ERR_TKT_EXPIRED / _NYV) and the authenticator was not seen
// before in the Context's replay cache (KRB_AP_ERR_REPEAT; RFC 4120 §3.2.3).
// Anything else the ticket or authenticator gets wrong is refused with the
// code krb5 reports (e.g. KRB_AP_ERR_BAD_INTEGRITY, KRB_AP_ERR_MODIFIED).
ApReqResult rd_ap_req(const Context& ctx, const Principal& server, const Keytab* keytab,
                      std::span<const std::uint8_t> ap_req, const SessionKey* user_to_user_key = nullptr);

// mk_ap_rep answers an accepted AP-REQ (RFC 4120 §3.2.4).
core::Result<std::vector<std::uint8_t>> mk_ap_rep(const Context& ctx, const AuthContext& auth);

}  // namespace kink::krb

// kink/krb/kdc.h — KdcExchange: one conversation with the KDC (AS for a TGT
// from a keytab, then TGS for a service or user-to-user ticket) driven by
// MIT's krb5_init_creds_step / krb5_tkt_creds_step, with no I/O of its own.
//
//   auto x = KdcExchange::service_ticket(ctx, me, keytab, ccache, peer);
//   auto next = x->step({});                     // first request
//   while (next && *next) {                      // the caller owns the socket
//     send((*next)->message, (*next)->kdcs, (*next)->tcp);  ... later:
//     next = x->step(reply_bytes);
//   }
//   if (!next) fail;  auto creds = x->creds();
//
// The caller sends each KdcRequest to one of its KDCs (UDP, or TCP with the
// 4-octet length prefix of RFC 4120 §7.2.2 when `tcp`), retransmits and
// fails over on its own timers, and feeds the first reply back. Nothing here
// blocks: krb5 only encodes and decodes. The Context, keytab, ccache and
// principals given to a KdcExchange must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <krb5/krb5.h>

#include "core/net/address.h"
#include "core/result.h"
#include "kink/krb/context.h"
#include "kink/krb/handles.h"

namespace kink::krb {

// KdcRequest is one message for a KDC of realm.
struct KdcRequest {
  std::string realm;
  std::vector<std::uint8_t> message;      // DER AS-REQ or TGS-REQ
  bool tcp = false;                       // RFC 4120 §7.2.1: too big for UDP, or the KDC said so
  std::vector<core::net::Endpoint> kdcs;  // the realm's KDCs (krb5.conf), in order
};

// KdcExchange obtains one ticket. Moves, never copies.
class KdcExchange {
 public:
  // tgt runs the AS exchange for client with keys from keytab (RFC 4120
  // §3.1; krb5_get_init_creds_keytab without the network) and stores the
  // TGT in ccache, which is (re)initialized to client.
  static core::Result<KdcExchange> tgt(Context& ctx, const Principal& client, const Keytab& keytab, CCache& ccache);

  // service_ticket gets a ticket client -> server (RFC 4120 §3.3) with the
  // TGT in ccache, running the AS exchange first when ccache holds no TGT
  // valid for another minute. With a non-empty second_ticket (the peer's
  // DER TGT from KINK_TGT_REP) the ticket is user-to-user: the TGS-REQ has
  // KDC_OPT_ENC_TKT_IN_SKEY and the ticket is encrypted in that TGT's
  // session key (RFC 4120 §3.7, RFC 4430 §3.1). Tickets already in ccache
  // are reused without a KDC round trip.
  static core::Result<KdcExchange> service_ticket(Context& ctx, const Principal& client, const Keytab& keytab,
                                                  CCache& ccache, const Principal& server,
                                                  std::span<const std::uint8_t> second_ticket = {});

  KdcExchange(KdcExchange&&) noexcept = default;
  KdcExchange& operator=(KdcExchange&&) noexcept = default;
  ~KdcExchange();

  // step feeds the reply to the previous request (empty on the first call)
  // and returns the next request, or nullopt when the ticket is there.
  // A KRB_ERROR reply from the KDC fails AuthFailed (its code in the
  // detail; protocol_code of kdc_error() gives it exactly); undecodable
  // replies fail Malformed. After a failure the exchange is finished.
  core::Result<std::optional<KdcRequest>> step(std::span<const std::uint8_t> reply);

  // done is true once step returned nullopt.
  bool done() const { return phase_ == Phase::Done; }
  // creds is a copy of the obtained ticket; State before done.
  core::Result<Creds> creds() const;
  // kdc_error is the krb5 error code of the last failure (0: none).
  krb5_error_code kdc_error() const { return last_error_; }
  // round_trips counts requests handed out so far.
  int round_trips() const { return round_trips_; }

 private:
  enum class Phase { As, Tgs, Done, Failed };
  KdcExchange() = default;
  core::Result<std::optional<KdcRequest>> step_as(std::span<const std::uint8_t> reply);
  core::Result<std::optional<KdcRequest>> step_tgs(std::span<const std::uint8_t> reply);
  core::Status start_tgs();
  core::Result<std::optional<KdcRequest>> request(krb5_data& out, krb5_data& realm);
  core::Result<std::optional<KdcRequest>> after_step(krb5_error_code r, krb5_data& out, krb5_data& realm, bool more,
                                                     const char* what, bool* finished);
  core::Error failed(krb5_error_code r, std::string_view what);

  Context* ctx_ = nullptr;
  CCache* ccache_ = nullptr;
  std::optional<Principal> client_;
  std::optional<Principal> server_;  // nullopt: TGT only
  std::vector<std::uint8_t> second_ticket_;
  Handle<krb5_get_init_creds_opt*, &krb5_get_init_creds_opt_free> opts_;
  Handle<krb5_init_creds_context, &krb5_init_creds_free> as_;
  Handle<krb5_tkt_creds_context, &krb5_tkt_creds_free> tgs_;
  std::optional<Creds> result_;
  Phase phase_ = Phase::As;
  bool tcp_ = false;
  int round_trips_ = 0;
  krb5_error_code last_error_ = 0;
};

// tgs_principal is krbtgt/REALM@REALM, the TGT's server (RFC 4120 §7.3).
core::Result<Principal> tgs_principal(const Context& ctx, std::string_view realm);

}  // namespace kink::krb

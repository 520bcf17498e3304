// kink/krb/identity.h — Identity: one local KINK principal with its keytab
// and private memory ccache, as both initiator and responder use it.
//
//   auto me = Identity::create(ctx, "host/mn.example@EXAMPLE.TEST", "/etc/kagi/mn.keytab");
//   auto x = (*me)->fetch_ticket(peer);            // KdcExchange, driven by the caller
//   ... x->step(...) until done ...
//   auto req = make_ap_req(ctx, *x->creds());     // ap.h
//
//   auto acc = (*me)->accept(ap_req_bytes);         // responder (ap.h rd_ap_req)
//   auto tgt = (*me)->tgt();                        // GETTGT: our TGT for KINK_TGT_REP
//
// The Identity owns the objects its KdcExchanges point into, so it is
// handed out as a unique_ptr and must outlive them; the Context must
// outlive the Identity.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "kink/krb/ap.h"
#include "kink/krb/context.h"
#include "kink/krb/handles.h"
#include "kink/krb/kdc.h"

namespace kink::krb {

class Identity {
 public:
  // create parses principal, resolves keytab_path and makes the memory
  // ccache. The keytab file is first read when it is used.
  static core::Result<std::unique_ptr<Identity>> create(Context& ctx, std::string_view principal,
                                                        std::string_view keytab_path);

  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;

  const Principal& principal() const { return me_; }
  Context& context() const { return *ctx_; }

  // fetch_tgt starts an AS exchange for our TGT (needed as the responder of
  // GETTGT, RFC 4430 §3.1; the initiator gets its own via fetch_ticket).
  core::Result<KdcExchange> fetch_tgt();
  // fetch_ticket starts getting a service ticket for peer (AS first when no
  // TGT is cached; a cached ticket ends the exchange at the first step).
  core::Result<KdcExchange> fetch_ticket(const Principal& peer);
  // fetch_user_to_user starts getting a user-to-user ticket for peer,
  // encrypted in the session key of peer_tgt (the DER Ticket from the
  // peer's KINK_TGT_REP, RFC 4430 §3.1).
  core::Result<KdcExchange> fetch_user_to_user(const Principal& peer, std::span<const std::uint8_t> peer_tgt);

  // tgt is our cached TGT, valid at least until valid_until (seconds since
  // 1970; 0: now). NotFound when fetch_tgt has to run first.
  core::Result<Creds> tgt(std::int64_t valid_until = 0) const;

  // accept reads an AP-REQ addressed to us with our keytab and the
  // Context's replay cache (rd_ap_req).
  ApReqResult accept(std::span<const std::uint8_t> ap_req) const;
  // accept_user_to_user reads an AP-REQ whose ticket is encrypted in our
  // TGT's session key (RFC 4120 §3.7); KRB_AP_ERR_NOKEY (with a State
  // error) when no TGT is cached.
  ApReqResult accept_user_to_user(std::span<const std::uint8_t> ap_req) const;

 private:
  Identity(Context& ctx, Principal me, Keytab kt, CCache cc)
      : ctx_(&ctx), me_(std::move(me)), keytab_(std::move(kt)), ccache_(std::move(cc)) {}

  Context* ctx_;
  Principal me_;
  Keytab keytab_;
  CCache ccache_;
};

}  // namespace kink::krb

// kink/krb/ap.cc — AP-REQ / AP-REP over krb5_mk_req_extended, krb5_rd_rep,
// krb5_rd_req and krb5_mk_rep.
#include "kink/krb/ap.h"

#include <utility>

#include "core/log/log.h"
#include "kink/krb/der.h"

namespace kink::krb {

using core::ErrorCode;
using core::fail;

namespace {

std::vector<std::uint8_t> take_bytes(const Context& ctx, krb5_data& d) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(d.data);
  std::vector<std::uint8_t> out(p, p + d.length);
  krb5_free_data_contents(ctx.get(), &d);
  return out;
}

std::string unparse(const Context& ctx, krb5_const_principal p) {
  char* s = nullptr;
  if (p == nullptr || krb5_unparse_name(ctx.get(), p, &s) != 0 || s == nullptr) return {};
  std::string out = s;
  krb5_free_unparsed_name(ctx.get(), s);
  return out;
}

Rejection reject(const Context& ctx, krb5_error_code r) {
  Rejection out;
  out.error = ctx.error(r, "AP-REQ");
  // Local failures (a keytab without our key, ...) still need an answer on
  // the wire: KRB_AP_ERR_NOKEY says what the peer can act on, anything else
  // is generic (RFC 4120 §7.5.9).
  if (auto code = protocol_code(r)) {
    out.code = *code;
  } else if (r == KRB5_KT_NOTFOUND || r == KRB5_KT_KVNONOTFOUND) {
    out.code = ProtocolError::KrbApErrNokey;
  } else {
    out.code = ProtocolError::KrbErrGeneric;
  }
  if (out.error.code != ErrorCode::Malformed) out.error.code = ErrorCode::AuthFailed;
  // client_time stays empty: after a failed krb5_rd_req the auth context's
  // authenticator may be unset or half freed, and MIT offers no safe way to
  // tell. RFC 4120 §5.9.1 makes ctime/cusec optional in KRB_ERROR.
  return out;
}

}  // namespace

core::Result<ApReq> make_ap_req(const Context& ctx, const Creds& ticket, std::span<const std::uint8_t> checksum_data) {
  auto auth = AuthContext::create(ctx);
  if (!auth) return fail(auth.error());
  // krb5_mk_req_extended may rewrite the creds it is given; give it a copy.
  krb5_creds* copy = nullptr;
  krb5_error_code r = krb5_copy_creds(ctx.get(), ticket.get(), &copy);
  if (r != 0) return fail(ctx.error(r, "krb5_copy_creds"));
  Creds owned = Creds::adopt(ctx.get(), copy);

  krb5_flags options = AP_OPTS_MUTUAL_REQUIRED;
  if (copy->is_skey != 0) options |= AP_OPTS_USE_SESSION_KEY;
  krb5_data in = as_data(checksum_data);
  krb5_auth_context ac = auth->get();
  krb5_data out{};
  r = krb5_mk_req_extended(ctx.get(), &ac, options, checksum_data.empty() ? nullptr : &in, copy, &out);
  if (r != 0) return fail(ctx.error(r, "krb5_mk_req_extended"));
  ApReq req{take_bytes(ctx, out), ticket.session_key(), {}, std::move(*auth)};
  // MIT keeps no safe copy of the authenticator it made; read our own.
  auto t = ap_req_client_time(ctx, req.bytes, req.key);
  if (!t) return fail(t.error());
  req.client_time = *t;
  return req;
}

core::Status rd_ap_rep(const Context& ctx, const AuthContext& auth, std::span<const std::uint8_t> ap_rep) {
  if (auto st = check_envelope(ap_rep, 15, 15); !st) return st;
  krb5_data in = as_data(ap_rep);
  krb5_ap_rep_enc_part* part = nullptr;
  krb5_error_code r = krb5_rd_rep(ctx.get(), auth.get(), &in, &part);
  if (r != 0) {
    core::Error e = ctx.error(r, "AP-REP");
    if (e.code != ErrorCode::Malformed) e.code = ErrorCode::AuthFailed;
    return fail(std::move(e));
  }
  krb5_free_ap_rep_enc_part(ctx.get(), part);
  return core::ok();
}

ApReqResult rd_ap_req(const Context& ctx, const Principal& server, const Keytab* keytab,
                      std::span<const std::uint8_t> ap_req, const SessionKey* user_to_user_key) {
  if (auto st = check_envelope(ap_req, 14, 14); !st) {
    return tl::unexpected(Rejection{ProtocolError::KrbApErrMsgType, st.error(), std::nullopt});
  }
  auto auth = AuthContext::create(ctx);
  if (!auth) return tl::unexpected(Rejection{ProtocolError::KrbErrGeneric, auth.error(), std::nullopt});
  krb5_auth_context ac = auth->get();
  if (user_to_user_key != nullptr) {
    krb5_keyblock kb{};
    kb.magic = KV5M_KEYBLOCK;
    kb.enctype = user_to_user_key->enctype;
    kb.length = static_cast<unsigned int>(user_to_user_key->bytes.size());
    kb.contents = const_cast<krb5_octet*>(user_to_user_key->bytes.data());
    krb5_error_code r = krb5_auth_con_setuseruserkey(ctx.get(), ac, &kb);  // copies kb
    if (r != 0) return tl::unexpected(reject(ctx, r));
  }
  krb5_data in = as_data(ap_req);
  krb5_flags ap_options = 0;
  krb5_ticket* ticket = nullptr;
  // Naming the server makes krb5 check the ticket is ours and use the
  // default replay cache (ContextOptions::replay_cache).
  krb5_error_code r = krb5_rd_req(ctx.get(), &ac, &in, server.get(), keytab != nullptr ? keytab->get() : nullptr,
                                  &ap_options, &ticket);
  if (r != 0) {
    Rejection rej = reject(ctx, r);
    KLOG(Kink, Diag, "krb: AP-REQ for {} refused: {} ({})", server.name(), protocol_error_name(rej.code),
         rej.error.detail);
    return tl::unexpected(std::move(rej));
  }
  AcceptedApReq acc;
  acc.client = unparse(ctx, ticket->enc_part2->client);
  acc.server = unparse(ctx, ticket->server);
  const krb5_keyblock& k = *ticket->enc_part2->session;
  acc.key.enctype = k.enctype;
  acc.key.bytes = core::crypto::SecureBytes(std::span<const std::uint8_t>(k.contents, k.length));
  const krb5_ticket_times& t = ticket->enc_part2->times;
  acc.times.authtime = to_time(t.authtime);
  acc.times.starttime = t.starttime != 0 ? to_time(t.starttime) : acc.times.authtime;
  acc.times.endtime = to_time(t.endtime);
  acc.times.renew_till = to_time(t.renew_till);
  acc.mutual_required = (ap_options & AP_OPTS_MUTUAL_REQUIRED) != 0;
  acc.user_to_user = user_to_user_key != nullptr;
  krb5_free_ticket(ctx.get(), ticket);
  auto ct = auth->authenticator_time();
  if (!ct) return tl::unexpected(Rejection{ProtocolError::KrbErrGeneric, ct.error(), std::nullopt});
  acc.client_time = *ct;
  acc.auth = std::move(*auth);
  KLOG(Kink, Debug, "krb: AP-REQ from {} for {} accepted", acc.client, acc.server);
  return acc;
}

core::Result<std::vector<std::uint8_t>> mk_ap_rep(const Context& ctx, const AuthContext& auth) {
  krb5_data out{};
  krb5_error_code r = krb5_mk_rep(ctx.get(), auth.get(), &out);
  if (r != 0) return fail(ctx.error(r, "krb5_mk_rep"));
  return take_bytes(ctx, out);
}

}  // namespace kink::krb

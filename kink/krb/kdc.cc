// kink/krb/kdc.cc — KdcExchange over krb5_init_creds_step (AS) and
// krb5_tkt_creds_step (TGS).
#include "kink/krb/kdc.h"

#include <utility>

#include "core/log/log.h"
#include "kink/krb/error.h"

namespace kink::krb {

using core::ErrorCode;
using core::fail;

namespace {

// A TGT that expires within this margin is replaced before a TGS exchange,
// so the TGS-REQ does not race the TGT's end.
constexpr std::int64_t kTgtMargin = 60;

std::vector<std::uint8_t> bytes_of(const krb5_data& d) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(d.data);
  return std::vector<std::uint8_t>(p, p + d.length);
}

}  // namespace

core::Result<Principal> tgs_principal(const Context& ctx, std::string_view realm) {
  krb5_principal p = nullptr;
  std::string r(realm);
  krb5_error_code e = krb5_build_principal_ext(ctx.get(), &p, static_cast<unsigned int>(r.size()), r.data(),
                                               KRB5_TGS_NAME_SIZE, KRB5_TGS_NAME,
                                               static_cast<unsigned int>(r.size()), r.data(), 0);
  if (e != 0) return fail(ctx.error(e, "krbtgt principal"));
  auto out = Principal::copy_of(ctx, p);
  krb5_free_principal(ctx.get(), p);
  return out;
}

KdcExchange::~KdcExchange() = default;

core::Result<KdcExchange> KdcExchange::tgt(Context& ctx, const Principal& client, const Keytab& keytab,
                                           CCache& ccache) {
  KdcExchange x;
  x.ctx_ = &ctx;
  x.ccache_ = &ccache;
  auto c = Principal::copy_of(ctx, client.get());
  if (!c) return fail(c.error());
  x.client_ = std::move(*c);

  krb5_get_init_creds_opt* opt = nullptr;
  krb5_error_code r = krb5_get_init_creds_opt_alloc(ctx.get(), &opt);
  if (r != 0) return fail(ctx.error(r, "krb5_get_init_creds_opt_alloc"));
  x.opts_ = Handle<krb5_get_init_creds_opt*, &krb5_get_init_creds_opt_free>(ctx.get(), opt);

  krb5_init_creds_context icc = nullptr;
  r = krb5_init_creds_init(ctx.get(), x.client_->get(), nullptr, nullptr, 0, opt, &icc);
  if (r != 0) return fail(ctx.error(r, "krb5_init_creds_init"));
  x.as_ = Handle<krb5_init_creds_context, &krb5_init_creds_free>(ctx.get(), icc);
  r = krb5_init_creds_set_keytab(ctx.get(), icc, keytab.get());
  if (r != 0) return fail(ctx.error(r, "krb5_init_creds_set_keytab"));
  x.phase_ = Phase::As;
  return x;
}

core::Result<KdcExchange> KdcExchange::service_ticket(Context& ctx, const Principal& client, const Keytab& keytab,
                                                      CCache& ccache, const Principal& server,
                                                      std::span<const std::uint8_t> second_ticket) {
  auto x = tgt(ctx, client, keytab, ccache);
  if (!x) return fail(x.error());
  auto s = Principal::copy_of(ctx, server.get());
  if (!s) return fail(s.error());
  x->server_ = std::move(*s);
  x->second_ticket_.assign(second_ticket.begin(), second_ticket.end());

  auto krbtgt = tgs_principal(ctx, client.realm());
  if (!krbtgt) return fail(krbtgt.error());
  if (ccache.find(client, *krbtgt, ctx.now().first + kTgtMargin)) {
    // A usable TGT is cached: skip the AS exchange.
    x->as_.reset();
    if (auto st = x->start_tgs(); !st) return fail(st.error());
  }
  return x;
}

core::Error KdcExchange::failed(krb5_error_code r, std::string_view what) {
  phase_ = Phase::Failed;
  last_error_ = r;
  core::Error e = ctx_->error(r, what);
  KLOG(Kink, Diag, "krb: {} for {} failed: {}", what, client_->name(), e.detail);
  return e;
}

core::Result<std::optional<KdcRequest>> KdcExchange::request(krb5_data& out, krb5_data& realm) {
  KdcRequest req;
  req.realm.assign(realm.data != nullptr ? realm.data : "", realm.length);
  req.message = bytes_of(out);
  krb5_free_data_contents(ctx_->get(), &out);
  krb5_free_data_contents(ctx_->get(), &realm);
  // RFC 4120 §7.2.1: a request longer than the UDP limit goes over TCP.
  req.tcp = tcp_ || req.message.size() > ctx_->udp_preference_limit();
  auto kdcs = ctx_->kdcs(req.realm);
  if (!kdcs) {
    phase_ = Phase::Failed;
    return fail(kdcs.error());
  }
  req.kdcs = std::move(*kdcs);
  ++round_trips_;
  return std::optional<KdcRequest>(std::move(req));
}

core::Result<std::optional<KdcRequest>> KdcExchange::step(std::span<const std::uint8_t> reply) {
  switch (phase_) {
    case Phase::As:
      return step_as(reply);
    case Phase::Tgs:
      return step_tgs(reply);
    case Phase::Done:
      return std::optional<KdcRequest>();
    case Phase::Failed:
      break;
  }
  return fail(ErrorCode::State, "KDC exchange for {} already failed", client_ ? client_->name() : "?");
}

// after_step interprets one krb5 *_step result, the same for AS and TGS:
// another request to send (more, or the previous one again over TCP when
// the KDC said RESPONSE_TOO_BIG, as krb5's own k5_init_creds_get does), an
// error, or *finished with the credentials ready to be taken.
core::Result<std::optional<KdcRequest>> KdcExchange::after_step(krb5_error_code r, krb5_data& out, krb5_data& realm,
                                                               bool more, const char* what, bool* finished) {
  *finished = false;
  if (r == KRB5KRB_ERR_RESPONSE_TOO_BIG && !tcp_) {
    tcp_ = true;
    return request(out, realm);
  }
  if (r == 0 && more) return request(out, realm);
  krb5_free_data_contents(ctx_->get(), &out);
  krb5_free_data_contents(ctx_->get(), &realm);
  if (r != 0) return fail(failed(r, what));
  *finished = true;
  return std::optional<KdcRequest>();
}

core::Result<std::optional<KdcRequest>> KdcExchange::step_as(std::span<const std::uint8_t> reply) {
  krb5_data in = as_data(reply);
  krb5_data out{};
  krb5_data realm{};
  unsigned int flags = 0;
  krb5_error_code r = krb5_init_creds_step(ctx_->get(), as_.get(), &in, &out, &realm, &flags);
  bool finished = false;
  auto next = after_step(r, out, realm, (flags & KRB5_INIT_CREDS_STEP_FLAG_CONTINUE) != 0, "AS exchange", &finished);
  if (!next || !finished) return next;

  krb5_creds got{};
  r = krb5_init_creds_get_creds(ctx_->get(), as_.get(), &got);
  if (r != 0) return fail(failed(r, "krb5_init_creds_get_creds"));
  auto creds = Creds::take_contents(*ctx_, got);
  if (!creds) return fail(creds.error());
  if (auto st = ccache_->initialize(*client_); !st) return fail(st.error());
  if (auto st = ccache_->store(*creds); !st) return fail(st.error());
  KLOG(Kink, Debug, "krb: TGT for {} until {}", client_->name(), creds->times().endtime);
  as_.reset();
  if (!server_) {
    result_ = std::move(*creds);
    phase_ = Phase::Done;
    return std::optional<KdcRequest>();
  }
  if (auto st = start_tgs(); !st) return fail(st.error());
  return step_tgs({});
}

core::Status KdcExchange::start_tgs() {
  krb5_creds in{};
  in.client = client_->get();
  in.server = server_->get();
  krb5_flags options = 0;
  if (!second_ticket_.empty()) {
    options |= KRB5_GC_USER_USER;
    in.second_ticket = as_data(second_ticket_);
  }
  krb5_tkt_creds_context tcc = nullptr;
  krb5_error_code r = krb5_tkt_creds_init(ctx_->get(), ccache_->get(), &in, options, &tcc);
  if (r != 0) return fail(failed(r, "krb5_tkt_creds_init"));
  tgs_ = Handle<krb5_tkt_creds_context, &krb5_tkt_creds_free>(ctx_->get(), tcc);
  phase_ = Phase::Tgs;
  tcp_ = false;
  return core::ok();
}

core::Result<std::optional<KdcRequest>> KdcExchange::step_tgs(std::span<const std::uint8_t> reply) {
  krb5_data in = as_data(reply);
  krb5_data out{};
  krb5_data realm{};
  unsigned int flags = 0;
  krb5_error_code r = krb5_tkt_creds_step(ctx_->get(), tgs_.get(), &in, &out, &realm, &flags);
  bool finished = false;
  auto next = after_step(r, out, realm, (flags & KRB5_TKT_CREDS_STEP_FLAG_CONTINUE) != 0, "TGS exchange", &finished);
  if (!next || !finished) return next;

  krb5_creds got{};
  r = krb5_tkt_creds_get_creds(ctx_->get(), tgs_.get(), &got);
  if (r != 0) return fail(failed(r, "krb5_tkt_creds_get_creds"));
  auto creds = Creds::take_contents(*ctx_, got);
  if (!creds) return fail(creds.error());
  KLOG(Kink, Debug, "krb: ticket {} -> {}{} until {}", client_->name(), server_->name(),
       second_ticket_.empty() ? "" : " (user-to-user)", creds->times().endtime);
  tgs_.reset();
  result_ = std::move(*creds);
  phase_ = Phase::Done;
  return std::optional<KdcRequest>();
}

core::Result<Creds> KdcExchange::creds() const {
  if (phase_ != Phase::Done || !result_) return fail(ErrorCode::State, "KDC exchange not finished");
  krb5_creds* copy = nullptr;
  krb5_error_code r = krb5_copy_creds(ctx_->get(), result_->get(), &copy);
  if (r != 0) return fail(ctx_->error(r, "krb5_copy_creds"));
  return Creds::adopt(ctx_->get(), copy);
}

}  // namespace kink::krb

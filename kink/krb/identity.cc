// kink/krb/identity.cc — Identity: principal + keytab + memory ccache.
#include "kink/krb/identity.h"

#include <utility>

namespace kink::krb {

using core::ErrorCode;
using core::fail;

core::Result<std::unique_ptr<Identity>> Identity::create(Context& ctx, std::string_view principal,
                                                         std::string_view keytab_path) {
  auto me = Principal::parse(ctx, principal);
  if (!me) return fail(me.error());
  auto kt = Keytab::open(ctx, keytab_path);
  if (!kt) return fail(kt.error());
  auto cc = CCache::memory(ctx);
  if (!cc) return fail(cc.error());
  if (auto st = cc->initialize(*me); !st) return fail(st.error());
  return std::unique_ptr<Identity>(new Identity(ctx, std::move(*me), std::move(*kt), std::move(*cc)));
}

core::Result<KdcExchange> Identity::fetch_tgt() { return KdcExchange::tgt(*ctx_, me_, keytab_, ccache_); }

core::Result<KdcExchange> Identity::fetch_ticket(const Principal& peer) {
  return KdcExchange::service_ticket(*ctx_, me_, keytab_, ccache_, peer);
}

core::Result<KdcExchange> Identity::fetch_user_to_user(const Principal& peer, std::span<const std::uint8_t> peer_tgt) {
  if (peer_tgt.empty()) return fail(ErrorCode::InvalidSyntax, "user-to-user ticket for {} without a TGT", peer.name());
  return KdcExchange::service_ticket(*ctx_, me_, keytab_, ccache_, peer, peer_tgt);
}

core::Result<Creds> Identity::tgt(std::int64_t valid_until) const {
  auto krbtgt = tgs_principal(*ctx_, me_.realm());
  if (!krbtgt) return fail(krbtgt.error());
  return ccache_.find(me_, *krbtgt, valid_until != 0 ? valid_until : ctx_->now().first);
}

ApReqResult Identity::accept(std::span<const std::uint8_t> ap_req) const {
  return rd_ap_req(*ctx_, me_, &keytab_, ap_req);
}

ApReqResult Identity::accept_user_to_user(std::span<const std::uint8_t> ap_req) const {
  auto t = tgt();
  if (!t) {
    return tl::unexpected(Rejection{ProtocolError::KrbApErrNokey,
                                    core::Error{ErrorCode::State, "user-to-user AP-REQ but no TGT of ours is cached"},
                                    std::nullopt});
  }
  SessionKey key = t->session_key();
  return rd_ap_req(*ctx_, me_, nullptr, ap_req, &key);
}

}  // namespace kink::krb

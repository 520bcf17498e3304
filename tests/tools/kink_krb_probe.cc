// tests/tools/kink_krb_probe.cc — proves kink/krb against a real MIT KDC
// (scenarios/kink_krb.sh). It plays both KINK peers in one process, each
// with its own krb5 Context, and is the "caller" that carries KdcExchange
// requests to the KDC over UDP or TCP (blocking: a test tool, not kagid).
//
//   kink_krb_probe run    --krb5-conf C [--tcp-krb5-conf C2] --rcache-dir D
//                         --initiator P --initiator-keytab K
//                         --responder P --responder-keytab K --wrong-keytab K
//                         --save-ap-req FILE
//   kink_krb_probe replay --krb5-conf C --rcache-dir D --responder P
//                         --responder-keytab K --ap-req FILE
// Prints one line per check, "ok NAME [detail]" or "FAIL NAME: why"; exits
// 0 only when every check passed.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/loop/unique_fd.h"
#include "core/wire/reader.h"
#include "core/wire/writer.h"
#include "kink/krb/ap.h"
#include "kink/krb/error.h"
#include "kink/krb/identity.h"
#include "kink/krb/kdc.h"
#include "kink/krb/keys.h"

using namespace kink::krb;
using Bytes = std::vector<std::uint8_t>;

namespace {

int failures = 0;
int tcp_requests = 0;

void ok(const std::string& name, const std::string& detail = {}) {
  std::printf("ok %s%s%s\n", name.c_str(), detail.empty() ? "" : " ", detail.c_str());
  std::fflush(stdout);
}
void bad(const std::string& name, const std::string& why) {
  ++failures;
  std::printf("FAIL %s: %s\n", name.c_str(), why.c_str());
  std::fflush(stdout);
}

// --- a blocking KDC client -------------------------------------------------

bool wait_readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) == 1;
}

bool read_full(int fd, std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    if (!wait_readable(fd, 3000)) return false;
    ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

core::Result<Bytes> ask_one(const KdcRequest& req, const core::net::Endpoint& kdc) {
  sockaddr_storage ss{};
  socklen_t len = kdc.addr.to_sockaddr(ss, kdc.port);
  int type = req.tcp ? SOCK_STREAM : SOCK_DGRAM;
  core::UniqueFd fd(::socket(ss.ss_family, type | SOCK_CLOEXEC, 0));
  if (!fd) return core::fail(core::ErrorCode::System, "socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return core::fail(core::ErrorCode::System, "connect {}", kdc.to_string());
  }
  if (req.tcp) {
    // RFC 4120 §7.2.2: a 4-octet big-endian length, then the message.
    ++tcp_requests;
    core::wire::Writer w;
    w.u32(static_cast<std::uint32_t>(req.message.size()));
    w.bytes(req.message);
    Bytes out = w.take();
    if (::write(fd.get(), out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
      return core::fail(core::ErrorCode::System, "write to {}", kdc.to_string());
    }
    std::uint8_t hdr[4];
    if (!read_full(fd.get(), hdr, 4)) return core::fail(core::ErrorCode::Timeout, "no TCP reply from {}", kdc.to_string());
    std::uint32_t rlen = 0;
    core::wire::Reader(hdr).u32(rlen);
    if (rlen > (1u << 20)) return core::fail(core::ErrorCode::Malformed, "TCP reply of {} octets", rlen);
    Bytes reply(rlen);
    if (!read_full(fd.get(), reply.data(), rlen)) return core::fail(core::ErrorCode::Timeout, "short TCP reply");
    return reply;
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (::send(fd.get(), req.message.data(), req.message.size(), 0) < 0) {
      return core::fail(core::ErrorCode::System, "send to {}", kdc.to_string());
    }
    if (!wait_readable(fd.get(), 1000)) continue;
    Bytes reply(65536);
    ssize_t r = ::recv(fd.get(), reply.data(), reply.size(), 0);
    if (r <= 0) continue;
    reply.resize(static_cast<std::size_t>(r));
    return reply;
  }
  return core::fail(core::ErrorCode::Timeout, "no UDP reply from {}", kdc.to_string());
}

// drive carries the exchange's requests until it is done.
core::Status drive(KdcExchange& x) {
  auto next = x.step({});
  while (next && *next) {
    core::Result<Bytes> reply = core::fail(core::ErrorCode::NotFound, "no KDC");
    for (const auto& kdc : (*next)->kdcs) {
      reply = ask_one(**next, kdc);
      if (reply) break;
    }
    if (!reply) return core::fail(reply.error());
    next = x.step(*reply);
  }
  if (!next) return core::fail(next.error());
  return core::ok();
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

std::string rcache_of(const std::string& dir) { return "file2:" + dir + "/kink.rcache2"; }

struct Options {
  std::string conf, tcp_conf, rcache_dir, initiator, initiator_kt, responder, responder_kt, wrong_kt, ap_req;
};

// expect_refusal checks that rd_ap_req refused with code.
void expect_refusal(const std::string& name, const ApReqResult& r, ProtocolError code) {
  if (r) return bad(name, "accepted");
  if (r.error().code != code) {
    return bad(name, "refused with " + protocol_error_name(r.error().code) + " (" + r.error().error.detail + ")");
  }
  ok(name, "code=" + protocol_error_name(code));
}

int run(const Options& o) {
  auto ctx_i = Context::open({o.conf, ""});
  auto ctx_r = Context::open({o.conf, rcache_of(o.rcache_dir)});
  if (!ctx_i || !ctx_r) return bad("contexts", "cannot open " + o.conf), 1;
  auto ini = Identity::create(*ctx_i, o.initiator, o.initiator_kt);
  auto rsp = Identity::create(*ctx_r, o.responder, o.responder_kt);
  if (!ini || !rsp) return bad("identities", "cannot create"), 1;
  auto peer = Principal::parse(*ctx_i, o.responder).value();

  // 1. A service ticket through the caller-driven KDC exchange.
  auto x = (*ini)->fetch_ticket(peer);
  if (!x) return bad("service-ticket", x.error().detail), 1;
  if (auto st = drive(*x); !st) return bad("service-ticket", st.error().detail), 1;
  auto ticket = x->creds().value();
  ok("service-ticket", "round_trips=" + std::to_string(x->round_trips()) + " server=" + ticket.server());
  auto again = (*ini)->fetch_ticket(peer).value();
  if (auto st = drive(again); st && again.round_trips() == 0) {
    ok("service-ticket-cached");
  } else {
    bad("service-ticket-cached", "round_trips=" + std::to_string(again.round_trips()));
  }

  // 2. AP-REQ -> accepted; AP-REP -> verified; one key on both sides.
  auto req = make_ap_req(*ctx_i, ticket).value();
  auto acc = (*rsp)->accept(req.bytes);
  if (!acc) return bad("ap-req-accepted", acc.error().error.detail), 1;
  ok("ap-req-accepted", "client=" + acc->client);
  if (acc->key == req.key && acc->client == (*ini)->principal().name()) {
    ok("session-key-shared", "enctype=" + std::to_string(acc->key.enctype));
  } else {
    bad("session-key-shared", "keys or client differ");
  }
  auto rep = mk_ap_rep(*ctx_r, acc->auth).value();
  if (auto st = rd_ap_rep(*ctx_i, req.auth, rep); st) {
    ok("ap-rep-verified");
  } else {
    bad("ap-rep-verified", st.error().detail);
  }
  Bytes seed = {0x03, 0x12, 0x34, 0x56, 0x78, 'n', 'i', 'n', 'r'};
  auto km_i = prf_plus(*ctx_i, req.key, seed, 80).value();
  auto km_r = prf_plus(*ctx_r, acc->key, seed, 80).value();
  auto ct = encrypt(*ctx_i, req.key, seed).value();
  auto ck = make_checksum(*ctx_r, acc->key, seed).value();
  auto pt = decrypt(*ctx_r, acc->key, ct);
  if (km_i == km_r && pt && Bytes(pt->begin(), pt->end()) == seed && verify_checksum(*ctx_i, req.key, seed, ck)) {
    ok("kink-crypto", "keymat, KINK_ENCRYPT and Cksum agree");
  } else {
    bad("kink-crypto", "disagree");
  }
  {
    std::ofstream out(o.ap_req, std::ios::binary);
    out.write(reinterpret_cast<const char*>(req.bytes.data()), static_cast<std::streamsize>(req.bytes.size()));
  }

  // 3. The same AP-REQ again: a replay; its KRB_ERROR reaches the initiator.
  auto replay = (*rsp)->accept(req.bytes);
  expect_refusal("replay-refused", replay, ProtocolError::KrbApErrRepeat);
  if (!replay) {
    auto der = mk_error(*ctx_r, (*rsp)->principal(), replay.error().code, replay.error().client_time).value();
    auto e = rd_error(*ctx_i, der);
    if (e && e->code == ProtocolError::KrbApErrRepeat) {
      ok("krb-error-read", "code=" + protocol_error_name(e->code) + " server=" + e->server);
    } else {
      bad("krb-error-read", e ? protocol_error_name(e->code) : e.error().detail);
    }
  }

  // 4. A responder holding a keytab with other keys for its name.
  auto wrong_ctx = Context::open({o.conf, "none:"}).value();
  auto wrong = Identity::create(wrong_ctx, o.responder, o.wrong_kt).value();
  auto fresh = make_ap_req(*ctx_i, ticket).value();
  expect_refusal("wrong-keytab-refused", wrong->accept(fresh.bytes), ProtocolError::KrbApErrBadIntegrity);

  // 5. The initiator's clock 10 minutes ahead; then corrected from stime.
  (void)ctx_i->set_time_offset(600);
  auto skewed = make_ap_req(*ctx_i, ticket).value();
  auto skew = (*rsp)->accept(skewed.bytes);
  expect_refusal("skew-refused", skew, ProtocolError::KrbApErrSkew);
  if (!skew) {
    auto e = rd_error(*ctx_i, mk_error(*ctx_r, (*rsp)->principal(), skew.error().code, skew.error().client_time).value());
    if (e && e->code == ProtocolError::KrbApErrSkew) {
      auto [local, us] = ctx_i->now();
      (void)us;
      (void)ctx_i->set_time_offset(600 + (e->stime - local));
      auto corrected = (*rsp)->accept(make_ap_req(*ctx_i, ticket).value().bytes);
      if (corrected) {
        ok("skew-corrected", "offset from KRB_ERROR stime");
      } else {
        bad("skew-corrected", corrected.error().error.detail);
      }
    } else {
      bad("skew-corrected", "KRB_ERROR unreadable");
    }
  }
  (void)ctx_i->set_time_offset(0);

  // 6. Past the ticket's end: krb5_mk_req_extended still makes an AP-REQ up
  // to the clock skew (300 s) after it, so the initiator is 200 s past the
  // end and the responder 400 s (their clocks 200 s apart, within the skew).
  auto late_i = Context::open({o.conf, ""}).value();
  auto late_r = Context::open({o.conf, "none:"}).value();
  std::int64_t to_end = ticket.times().endtime - ctx_i->now().first;
  (void)late_i.set_time_offset(to_end + 200);
  (void)late_r.set_time_offset(to_end + 400);
  auto late_rsp = Identity::create(late_r, o.responder, o.responder_kt).value();
  auto late_req = make_ap_req(late_i, ticket);
  if (!late_req) {
    bad("expired-refused", "no AP-REQ: " + late_req.error().detail);
  } else {
    expect_refusal("expired-refused", late_rsp->accept(late_req->bytes), ProtocolError::KrbApErrTktExpired);
  }

  // 7. User-to-user: the responder's TGT (GETTGT, RFC 4430 §3.1) and a
  // ticket encrypted in its session key.
  auto tx = (*rsp)->fetch_tgt().value();
  if (auto st = drive(tx); !st) return bad("user-to-user", "responder TGT: " + st.error().detail), 1;
  auto tgt = (*rsp)->tgt().value();
  Bytes tgt_bytes(tgt.ticket().begin(), tgt.ticket().end());
  ok("responder-tgt", std::to_string(tgt_bytes.size()) + " octets, server=" + tgt.server());
  auto ux = (*ini)->fetch_user_to_user(peer, tgt_bytes);
  if (!ux) return bad("user-to-user", ux.error().detail), 1;
  if (auto st = drive(*ux); !st) return bad("user-to-user", st.error().detail), 1;
  auto u2u = ux->creds().value();
  auto ureq_kt = make_ap_req(*ctx_i, u2u).value();
  auto by_keytab = (*rsp)->accept(ureq_kt.bytes);
  auto ureq = make_ap_req(*ctx_i, u2u).value();
  auto uacc = (*rsp)->accept_user_to_user(ureq.bytes);
  if (!uacc) {
    bad("user-to-user", uacc.error().error.detail);
  } else if (!uacc->user_to_user || uacc->client != (*ini)->principal().name() || !(uacc->key == ureq.key)) {
    bad("user-to-user", "wrong client or key");
  } else if (auto urep = mk_ap_rep(*ctx_r, uacc->auth); !urep || !rd_ap_rep(*ctx_i, ureq.auth, *urep)) {
    bad("user-to-user", "AP-REP does not verify");
  } else {
    ok("user-to-user", "ticket in the TGT session key accepted, AP-REP verified");
  }
  if (!by_keytab) {
    ok("user-to-user-not-by-keytab", "code=" + protocol_error_name(by_keytab.error().code));
  } else {
    bad("user-to-user-not-by-keytab", "accepted with the long-term key");
  }

  // 8. Every KDC request over TCP (udp_preference_limit = 1).
  if (!o.tcp_conf.empty()) {
    auto tcp_ctx = Context::open({o.tcp_conf, ""}).value();
    auto tcp_ini = Identity::create(tcp_ctx, o.initiator, o.initiator_kt).value();
    auto tcp_peer = Principal::parse(tcp_ctx, o.responder).value();
    int before = tcp_requests;
    auto tx2 = tcp_ini->fetch_ticket(tcp_peer).value();
    auto st = drive(tx2);
    if (st && tcp_requests - before == tx2.round_trips() && tx2.round_trips() >= 2) {
      ok("tcp-ticket", "round_trips=" + std::to_string(tx2.round_trips()));
    } else {
      bad("tcp-ticket", st ? "tcp=" + std::to_string(tcp_requests - before) : st.error().detail);
    }
  }
  return failures == 0 ? 0 : 1;
}

int replay(const Options& o) {
  auto ctx = Context::open({o.conf, rcache_of(o.rcache_dir)});
  if (!ctx) return bad("replay-after-restart", ctx.error().detail), 1;
  auto rsp = Identity::create(*ctx, o.responder, o.responder_kt);
  if (!rsp) return bad("replay-after-restart", rsp.error().detail), 1;
  expect_refusal("replay-after-restart", (*rsp)->accept(read_file(o.ap_req)), ProtocolError::KrbApErrRepeat);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kink_krb_probe: kink/krb against a real KDC"};
  app.require_subcommand(1);
  Options o;
  auto* r = app.add_subcommand("run", "both peers, every check");
  auto* p = app.add_subcommand("replay", "a responder after a restart sees a saved AP-REQ");
  for (auto* sc : {r, p}) {
    sc->add_option("--krb5-conf", o.conf)->required();
    sc->add_option("--rcache-dir", o.rcache_dir)->required();
    sc->add_option("--responder", o.responder)->required();
    sc->add_option("--responder-keytab", o.responder_kt)->required();
  }
  r->add_option("--tcp-krb5-conf", o.tcp_conf);
  r->add_option("--initiator", o.initiator)->required();
  r->add_option("--initiator-keytab", o.initiator_kt)->required();
  r->add_option("--wrong-keytab", o.wrong_kt)->required();
  r->add_option("--save-ap-req", o.ap_req)->required();
  p->add_option("--ap-req", o.ap_req)->required();
  CLI11_PARSE(app, argc, argv);
  return r->parsed() ? run(o) : replay(o);
}

// tests/unit/kink/krb_ap_test.cc — kink/krb/ap and identity: two peers, each
// with its own Context, run the AP exchange over tickets forged as a KDC
// would make them (krb_forge.h): acceptance and the shared session key, the
// AP-REP, the replay cache (also across a restart), clock skew, an expired
// ticket, a wrong keytab, modified messages and user-to-user.
#include <catch2/catch.hpp>

#include <krb5/krb5.h>

#include <memory>

#include "bitflip.h"
#include "kink/krb/ap.h"
#include "kink/krb/identity.h"
#include "kink/krb/keys.h"
#include "krb_forge.h"

using namespace kink::krb;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Peers: initiator host/a.example, responder host/b.example whose keytab
// holds svc_key at kvno 2.
struct Peers {
  forge::Realm realm;
  Context ctx_a = Context::open({realm.conf(), ""}).value();
  Context ctx_b = Context::open({realm.conf(), realm.rcache()}).value();
  Principal a = Principal::parse(ctx_a, "host/a.example").value();
  Principal b = Principal::parse(ctx_b, "host/b.example").value();
  Principal b_seen_by_a = Principal::parse(ctx_a, "host/b.example").value();
  SessionKey svc_key = random_key(ctx_b, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  SessionKey session = random_key(ctx_a, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  std::string kt_path = realm.dir + "/b.keytab";
  std::int64_t now = ctx_a.now().first;

  Peers() { forge::add_key(ctx_b, "FILE:" + kt_path, b, svc_key, 2); }
  Keytab keytab() const { return Keytab::open(ctx_b, kt_path).value(); }
  Creds ticket(std::int64_t authtime, std::int64_t endtime) const {
    return forge::ticket(ctx_a, a, b_seen_by_a, svc_key, session, {authtime, endtime, 2, false});
  }
  Creds ticket() const { return ticket(now - 60, now + 3600); }
};

Bytes to_bytes(const core::crypto::SecureBytes& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

TEST_CASE("krb ap: AP-REQ accepted, same session key both sides, AP-REP verified", "[kink][krb]") {
  Peers p;
  Creds t = p.ticket();
  Bytes cksum_data = {'K', 'I', 'N', 'K'};
  auto req = make_ap_req(p.ctx_a, t, cksum_data);
  REQUIRE(req);
  CHECK(req->bytes.at(0) == 0x6e);  // [APPLICATION 14] (RFC 4120 §5.5.1)
  CHECK(req->key == p.session);
  CHECK(std::llabs(req->client_time.ctime - p.now) <= 2);

  Keytab kt = p.keytab();
  auto acc = rd_ap_req(p.ctx_b, p.b, &kt, req->bytes);
  REQUIRE(acc);
  CHECK(acc->client == "host/a.example@EXAMPLE.TEST");
  CHECK(acc->server == "host/b.example@EXAMPLE.TEST");
  CHECK(acc->key == p.session);
  CHECK(acc->client_time == req->client_time);
  CHECK(acc->times.endtime == p.now + 3600);
  CHECK(acc->mutual_required);
  CHECK(!acc->user_to_user);

  auto rep = mk_ap_rep(p.ctx_b, acc->auth);
  REQUIRE(rep);
  CHECK(rep->at(0) == 0x6f);  // [APPLICATION 15]
  CHECK(rd_ap_rep(p.ctx_a, req->auth, *rep));

  // Both ends now derive the same KINK keys from the ticket's session key.
  Bytes seed = {0x03, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4};
  CHECK(to_bytes(prf_plus(p.ctx_a, req->key, seed, 64).value()) ==
        to_bytes(prf_plus(p.ctx_b, acc->key, seed, 64).value()));
  auto ct = encrypt(p.ctx_a, req->key, seed).value();
  CHECK(to_bytes(decrypt(p.ctx_b, acc->key, ct).value()) == seed);
  auto ck = make_checksum(p.ctx_b, acc->key, seed).value();
  CHECK(verify_checksum(p.ctx_a, req->key, seed, ck));
}

TEST_CASE("krb ap: a replayed AP-REQ is refused, also after a restart", "[kink][krb]") {
  Peers p;
  Creds t = p.ticket();
  Keytab kt = p.keytab();
  auto req = make_ap_req(p.ctx_a, t).value();
  REQUIRE(rd_ap_req(p.ctx_b, p.b, &kt, req.bytes));

  auto again = rd_ap_req(p.ctx_b, p.b, &kt, req.bytes);
  REQUIRE(!again);
  CHECK(again.error().code == ProtocolError::KrbApErrRepeat);
  CHECK(again.error().error.code == core::ErrorCode::AuthFailed);

  // A new authenticator with the same ticket is fine.
  auto fresh = make_ap_req(p.ctx_a, t).value();
  CHECK(rd_ap_req(p.ctx_b, p.b, &kt, fresh.bytes));

  // "Restart": a new Context on the same replay cache file.
  auto restarted = Context::open({p.realm.conf(), p.realm.rcache()}).value();
  auto b2 = Principal::parse(restarted, "host/b.example").value();
  auto kt2 = Keytab::open(restarted, p.kt_path).value();
  auto after = rd_ap_req(restarted, b2, &kt2, req.bytes);
  REQUIRE(!after);
  CHECK(after.error().code == ProtocolError::KrbApErrRepeat);
  auto other = rd_ap_req(restarted, b2, &kt2, fresh.bytes);
  REQUIRE(!other);
  CHECK(other.error().code == ProtocolError::KrbApErrRepeat);

  // Without a replay cache (rcache type "none") the same bytes pass: the
  // refusals above came from the cache.
  auto no_rc = Context::open({p.realm.conf(), "none:"}).value();
  auto b3 = Principal::parse(no_rc, "host/b.example").value();
  auto kt3 = Keytab::open(no_rc, p.kt_path).value();
  CHECK(rd_ap_req(no_rc, b3, &kt3, req.bytes));
}

TEST_CASE("krb ap: an initiator clock 10 minutes ahead gives KRB_AP_ERR_SKEW", "[kink][krb]") {
  Peers p;
  Creds t = p.ticket(p.now - 60, p.now + 7200);
  REQUIRE(p.ctx_a.set_time_offset(600));
  auto req = make_ap_req(p.ctx_a, t).value();
  CHECK(req.client_time.ctime >= p.now + 598);
  Keytab kt = p.keytab();
  auto acc = rd_ap_req(p.ctx_b, p.b, &kt, req.bytes);
  REQUIRE(!acc);
  CHECK(acc.error().code == ProtocolError::KrbApErrSkew);

  // The KRB_ERROR tells the initiator the responder's time (RFC 4430 §3.5).
  auto err = mk_error(p.ctx_b, p.b, acc.error().code, acc.error().client_time).value();
  auto e = rd_error(p.ctx_a, err).value();
  CHECK(e.code == ProtocolError::KrbApErrSkew);
  CHECK(std::llabs(e.stime - p.now) <= 2);
  CHECK(!e.client_time);  // rd_ap_req gives none for a refused AP-REQ
  // With the initiator's own record of the authenticator it is echoed.
  auto echoed = rd_error(p.ctx_a, mk_error(p.ctx_b, p.b, acc.error().code, req.client_time).value()).value();
  CHECK(echoed.client_time == req.client_time);
  // Correcting the clock by it makes the next AP-REQ acceptable.
  REQUIRE(p.ctx_a.set_time_offset(0));
  CHECK(rd_ap_req(p.ctx_b, p.b, &kt, make_ap_req(p.ctx_a, t).value().bytes));
}

TEST_CASE("krb ap: an expired ticket gives KRB_AP_ERR_TKT_EXPIRED", "[kink][krb]") {
  Peers p;
  // krb5_mk_req_extended itself refuses a ticket expired by more than the
  // clock skew (300 s), so: expired 200 s ago for the initiator, 400 s ago
  // for the responder whose clock runs 200 s ahead (still within the skew).
  Creds t = p.ticket(p.now - 7200, p.now - 200);
  CHECK(make_ap_req(p.ctx_a, p.ticket(p.now - 7200, p.now - 400)).error().code == core::ErrorCode::AuthFailed);
  auto req = make_ap_req(p.ctx_a, t);
  REQUIRE(req);
  REQUIRE(p.ctx_b.set_time_offset(200));
  Keytab kt = p.keytab();
  auto acc = rd_ap_req(p.ctx_b, p.b, &kt, req->bytes);
  REQUIRE(!acc);
  CHECK(acc.error().code == ProtocolError::KrbApErrTktExpired);
}

TEST_CASE("krb ap: a keytab with the wrong key or without our key refuses", "[kink][krb]") {
  Peers p;
  Creds t = p.ticket();
  auto req = make_ap_req(p.ctx_a, t).value();

  std::string wrong_path = p.realm.dir + "/wrong.keytab";
  forge::add_key(p.ctx_b, "FILE:" + wrong_path, p.b, random_key(p.ctx_b, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value(), 2);
  auto wrong = Keytab::open(p.ctx_b, wrong_path).value();
  auto acc = rd_ap_req(p.ctx_b, p.b, &wrong, req.bytes);
  REQUIRE(!acc);
  CHECK(acc.error().code == ProtocolError::KrbApErrBadIntegrity);

  std::string other_path = p.realm.dir + "/other.keytab";
  auto c = Principal::parse(p.ctx_b, "host/c.example").value();
  forge::add_key(p.ctx_b, "FILE:" + other_path, c, p.svc_key, 2);
  auto other = Keytab::open(p.ctx_b, other_path).value();
  auto acc2 = rd_ap_req(p.ctx_b, p.b, &other, req.bytes);
  REQUIRE(!acc2);
  CHECK(acc2.error().code == ProtocolError::KrbApErrNokey);

  // The right keytab still takes the untouched AP-REQ.
  Keytab kt = p.keytab();
  CHECK(rd_ap_req(p.ctx_b, p.b, &kt, req.bytes));
}

TEST_CASE("krb ap: mutated AP-REQs never yield another identity or key; AP-REP mutants fail", "[kink][krb]") {
  Peers p;
  Creds t = p.ticket();
  auto req = make_ap_req(p.ctx_a, t).value();
  // No replay cache here, so an accepted mutant does not hide the next one.
  auto ctx = Context::open({p.realm.conf(), "none:"}).value();
  auto b = Principal::parse(ctx, "host/b.example").value();
  auto kt = Keytab::open(ctx, p.kt_path).value();
  std::size_t accepted = 0;
  std::size_t wrong = 0;
  testing::for_each_mutation(req.bytes, [&](std::span<const std::uint8_t> m) {
    auto acc = rd_ap_req(ctx, b, &kt, m);
    if (!acc) return;
    ++accepted;
    if (acc->client != "host/a.example@EXAMPLE.TEST" || !(acc->key == p.session)) ++wrong;
  });
  CHECK(wrong == 0);
  CHECK(accepted < req.bytes.size());  // only bits outside the encrypted parts

  // A byte flipped inside the authenticator's ciphertext (the last octets).
  Bytes modified = req.bytes;
  modified[modified.size() - 3] ^= 0x40;
  auto acc = rd_ap_req(ctx, b, &kt, modified);
  REQUIRE(!acc);
  CHECK(acc.error().code == ProtocolError::KrbApErrBadIntegrity);

  auto good = rd_ap_req(ctx, b, &kt, req.bytes);
  REQUIRE(good);
  auto rep = mk_ap_rep(ctx, good->auth).value();
  std::size_t rep_accepted = 0;
  testing::for_each_mutation(rep, [&](std::span<const std::uint8_t> m) {
    if (rd_ap_rep(p.ctx_a, req.auth, m)) ++rep_accepted;
  });
  CHECK(rep_accepted == 0);
  CHECK(rd_ap_rep(p.ctx_a, req.auth, rep));
}

TEST_CASE("krb ap: user-to-user ticket in the responder's TGT session key (RFC 4430 §3.1)", "[kink][krb]") {
  Peers p;
  SessionKey tgt_key = random_key(p.ctx_b, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  Creds u2u = forge::ticket(p.ctx_a, p.a, p.b_seen_by_a, tgt_key, p.session, {p.now - 60, p.now + 3600, 0, true});
  auto req = make_ap_req(p.ctx_a, u2u);
  REQUIRE(req);
  Keytab kt = p.keytab();
  auto by_keytab = rd_ap_req(p.ctx_b, p.b, &kt, req->bytes);
  CHECK(!by_keytab);  // not decryptable with a long-term key

  auto acc = rd_ap_req(p.ctx_b, p.b, nullptr, req->bytes, &tgt_key);
  REQUIRE(acc);
  CHECK(acc->user_to_user);
  CHECK(acc->client == "host/a.example@EXAMPLE.TEST");
  CHECK(acc->key == p.session);
  CHECK(rd_ap_rep(p.ctx_a, req->auth, mk_ap_rep(p.ctx_b, acc->auth).value()));

  auto wrong_tgt = random_key(p.ctx_b, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  auto req2 = make_ap_req(p.ctx_a, u2u).value();
  auto refused = rd_ap_req(p.ctx_b, p.b, nullptr, req2.bytes, &wrong_tgt);
  REQUIRE(!refused);
  CHECK(refused.error().code == ProtocolError::KrbApErrBadIntegrity);
}

TEST_CASE("krb identity: accept with the keytab, user-to-user needs a cached TGT", "[kink][krb]") {
  Peers p;
  auto id = Identity::create(p.ctx_b, "host/b.example", p.kt_path);
  REQUIRE(id);
  CHECK((*id)->principal().name() == "host/b.example@EXAMPLE.TEST");
  Creds t = p.ticket();
  auto req = make_ap_req(p.ctx_a, t).value();
  auto acc = (*id)->accept(req.bytes);
  REQUIRE(acc);
  CHECK(acc->key == p.session);
  CHECK((*id)->accept(req.bytes).error().code == ProtocolError::KrbApErrRepeat);

  CHECK((*id)->tgt().error().code == core::ErrorCode::NotFound);
  auto u2u = (*id)->accept_user_to_user(req.bytes);
  REQUIRE(!u2u);
  CHECK(u2u.error().code == ProtocolError::KrbApErrNokey);
  CHECK(u2u.error().error.code == core::ErrorCode::State);
  CHECK((*id)->fetch_user_to_user(p.b, {}).error().code == core::ErrorCode::InvalidSyntax);
}

// tests/unit/kink/krb_error_test.cc — kink/krb/error: KRB_ERROR encode and
// decode (RFC 4120 §5.9.1) with the codes KINK acts on (RFC 4430 §3.5), a
// hand-written DER vector, and the bit-flip sweep over rd_error.
#include <catch2/catch.hpp>

#include <krb5/krb5.h>

#include <cstdlib>

#include "bitflip.h"
#include "kink/krb/context.h"
#include "kink/krb/error.h"
#include "krb_forge.h"

using namespace kink::krb;
using forge::Bytes;

namespace {

struct Fixture {
  forge::Realm realm;
  Context ctx = Context::open({realm.conf(), realm.rcache()}).value();
  Principal me = Principal::parse(ctx, "kink/b.example").value();
};

}  // namespace

TEST_CASE("krb error: mk_error/rd_error round trip for the codes KINK acts on", "[kink][krb]") {
  Fixture f;
  const ProtocolError codes[] = {ProtocolError::KrbApErrSkew, ProtocolError::KrbApErrTktExpired,
                                 ProtocolError::KrbApErrRepeat, ProtocolError::KrbApErrModified,
                                 ProtocolError::KrbApErrBadIntegrity, ProtocolError::KrbErrGeneric};
  for (auto code : codes) {
    INFO(protocol_error_name(code));
    ClientTime ct{1700000000, 123456};
    auto der = mk_error(f.ctx, f.me, code, ct, "because");
    REQUIRE(der);
    CHECK((*der)[0] == 0x7e);  // [APPLICATION 30]
    auto e = rd_error(f.ctx, *der);
    REQUIRE(e);
    CHECK(e->code == code);
    REQUIRE(e->client_time);
    CHECK(*e->client_time == ct);
    CHECK(e->server == "kink/b.example@EXAMPLE.TEST");
    CHECK(e->client.empty());
    CHECK(e->text == "because");
    CHECK(std::llabs(e->stime - f.ctx.now().first) <= 2);
  }
}

TEST_CASE("krb error: without an authenticator there is no ctime; stime follows the clock", "[kink][krb]") {
  Fixture f;
  REQUIRE(f.ctx.set_time_offset(3600));
  auto e = rd_error(f.ctx, mk_error(f.ctx, f.me, ProtocolError::KrbApErrNokey).value()).value();
  CHECK(!e.client_time);
  CHECK(e.text == "KRB_AP_ERR_NOKEY");
  CHECK(std::llabs(e.stime - (static_cast<std::int64_t>(std::time(nullptr)) + 3600)) <= 2);
}

// Table 2 — a KRB-ERROR written by hand from the ASN.1 of RFC 4120 §5.9.1:
// pvno 5, msg-type 30, ctime 2006-03-01 00:00:00Z, cusec 42, stime
// 2006-03-01 00:06:00Z, susec 7, error-code 37 (KRB_AP_ERR_SKEW), realm
// EXAMPLE.TEST, sname kink/b.example (NT-SRV-HST 3), e-text "skew".
TEST_CASE("krb error: rd_error reads a hand-written KRB-ERROR (RFC 4120 §5.9.1)", "[kink][krb]") {
  Fixture f;
  using namespace forge;
  const std::int64_t t0 = 1141171200;  // 2006-03-01T00:00:00Z
  Bytes sname = seq({ctx(0, integer(3)), ctx(1, seq({gstring("kink"), gstring("b.example")}))});
  Bytes der = app(30, seq({ctx(0, integer(5)), ctx(1, integer(30)), ctx(2, gtime(t0)), ctx(3, integer(42)),
                           ctx(4, gtime(t0 + 360)), ctx(5, integer(7)), ctx(6, integer(37)),
                           ctx(9, gstring("EXAMPLE.TEST")), ctx(10, sname), ctx(11, gstring("skew"))}));
  auto e = rd_error(f.ctx, der);
  REQUIRE(e);
  CHECK(e->code == ProtocolError::KrbApErrSkew);
  REQUIRE(e->client_time);
  CHECK(e->client_time->ctime == t0);
  CHECK(e->client_time->cusec == 42);
  CHECK(e->stime == t0 + 360);
  CHECK(e->susec == 7);
  CHECK(e->server == "kink/b.example@EXAMPLE.TEST");
  CHECK(e->text == "skew");

  // And what mk_error writes for the same content decodes the same way.
  auto again = rd_error(f.ctx, mk_error(f.ctx, f.me, ProtocolError::KrbApErrSkew, ClientTime{t0, 42}, "skew").value());
  REQUIRE(again);
  CHECK(again->code == e->code);
  CHECK(again->client_time == e->client_time);
  CHECK(again->server == e->server);
}

TEST_CASE("krb error: rd_error refuses what is not a KRB-ERROR and survives every mutation", "[kink][krb]") {
  Fixture f;
  CHECK(rd_error(f.ctx, Bytes{}).error().code == core::ErrorCode::Malformed);
  CHECK(rd_error(f.ctx, Bytes{0x7e, 0x00}).error().code == core::ErrorCode::Malformed);
  CHECK(rd_error(f.ctx, Bytes{0x6e, 0x03, 0x30, 0x01, 0x00}).error().code == core::ErrorCode::Malformed);
  auto der = mk_error(f.ctx, f.me, ProtocolError::KrbApErrRepeat, ClientTime{1700000000, 1}).value();
  std::size_t decoded = 0;
  std::size_t n = testing::for_each_mutation(der, [&](std::span<const std::uint8_t> m) {
    auto e = rd_error(f.ctx, m);
    if (e) ++decoded;
  });
  CHECK(n > der.size() * 8);
  CHECK(decoded < n);  // many mutants still decode (e.g. inside e-text); none crash
}

TEST_CASE("krb error: protocol codes, names and krb5 library codes", "[kink][krb]") {
  CHECK(protocol_error_name(ProtocolError::KrbApErrSkew) == "KRB_AP_ERR_SKEW");
  CHECK(protocol_error_name(ProtocolError::KrbApErrTktExpired) == "KRB_AP_ERR_TKT_EXPIRED");
  CHECK(protocol_error_name(static_cast<ProtocolError>(99)) == "ERROR_99");
  CHECK(protocol_code(KRB5KRB_AP_ERR_SKEW) == ProtocolError::KrbApErrSkew);
  CHECK(protocol_code(KRB5KRB_AP_ERR_REPEAT) == ProtocolError::KrbApErrRepeat);
  CHECK(protocol_code(KRB5KRB_AP_ERR_MODIFIED) == ProtocolError::KrbApErrModified);
  CHECK(protocol_code(KRB5KRB_AP_ERR_TKT_EXPIRED) == ProtocolError::KrbApErrTktExpired);
  CHECK(!protocol_code(KRB5_KT_NOTFOUND));
  CHECK(!protocol_code(ENOMEM));
  CHECK(to_krb5(ProtocolError::KrbApErrSkew) == KRB5KRB_AP_ERR_SKEW);
  // RFC 4120 §7.5.9 numbers.
  CHECK(static_cast<int>(ProtocolError::KrbApErrTktExpired) == 32);
  CHECK(static_cast<int>(ProtocolError::KrbApErrRepeat) == 34);
  CHECK(static_cast<int>(ProtocolError::KrbApErrSkew) == 37);
  CHECK(static_cast<int>(ProtocolError::KrbApErrModified) == 41);
}

// tests/unit/kink/krb_der_test.cc — kink/krb/der: KerberosTime, the
// message envelope check, and the authenticator time of our own AP-REQ,
// with bit-flip sweeps over both readers.
#include <catch2/catch.hpp>

#include <krb5/krb5.h>

#include <string>

#include "bitflip.h"
#include "kink/krb/ap.h"
#include "kink/krb/der.h"
#include "krb_forge.h"

using namespace kink::krb;
using forge::Bytes;

namespace {

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

// Table 4 — KerberosTime (RFC 4120 §5.2.3: GeneralizedTime, UTC, no
// fractional seconds).
TEST_CASE("krb der: parse_generalized_time", "[kink][krb]") {
  struct {
    const char* in;
    std::int64_t out;  // -1: refused
  } table[] = {
      {"19700101000000Z", 0},
      {"20060301000000Z", 1141171200},
      {"20380119031408Z", 2147483648},
      {"21060207062815Z", 4294967295},
      {"20060301000000", -1},
      {"20060301000000z", -1},
      {"2006030100000Z", -1},
      {"20061301000000Z", -1},
      {"20060300000000Z", -1},
      {"20060301240000Z", -1},
      {"2006030100000xZ", -1},
      {"20060301000000.5Z", -1},
  };
  int n = 0;
  for (const auto& t : table) {
    INFO("4." << ++n << " " << t.in);
    auto v = parse_generalized_time(text(t.in));
    if (t.out < 0) {
      CHECK(!v);
    } else {
      REQUIRE(v);
      CHECK(*v == t.out);
    }
  }
}

TEST_CASE("krb der: check_envelope accepts one message of the right kind only", "[kink][krb]") {
  using namespace forge;
  Bytes body = seq({ctx(0, integer(5)), ctx(1, integer(15)), ctx(2, seq({ctx(0, integer(18))}))});
  Bytes rep = app(15, body);
  CHECK(check_envelope(rep, 15, 15));
  CHECK(!check_envelope(rep, 14, 14));
  CHECK(!check_envelope(rep, 15, 14));
  Bytes junk = rep;
  junk.push_back(0);
  CHECK(check_envelope(junk, 15, 15).error().code == core::ErrorCode::Malformed);
  CHECK(!check_envelope(app(15, seq({ctx(0, integer(4)), ctx(1, integer(15))})), 15, 15));
  CHECK(!check_envelope(app(15, seq({ctx(1, integer(15))})), 15, 15));
  CHECK(!check_envelope(Bytes{}, 15, 15));
  CHECK(!check_envelope(Bytes{0x6f, 0x80, 0x00, 0x00}, 15, 15));  // indefinite length
  std::size_t ok = 0;
  testing::for_each_mutation(rep, [&](std::span<const std::uint8_t> m) {
    if (check_envelope(m, 15, 15)) ++ok;
  });
  CHECK(ok > 0);  // flips inside [2] keep the envelope
  CHECK(ok < rep.size() * 8);
}

TEST_CASE("krb der: the authenticator time of an AP-REQ, and its mutants", "[kink][krb]") {
  forge::Realm realm;
  auto ctx = Context::open({realm.conf(), ""}).value();
  auto a = Principal::parse(ctx, "host/a.example").value();
  auto b = Principal::parse(ctx, "host/b.example").value();
  SessionKey svc = random_key(ctx, ENCTYPE_AES128_CTS_HMAC_SHA256_128).value();
  SessionKey sess = random_key(ctx, ENCTYPE_AES128_CTS_HMAC_SHA256_128).value();
  auto now = ctx.now().first;
  Creds t = forge::ticket(ctx, a, b, svc, sess, {now - 10, now + 600});
  auto req = make_ap_req(ctx, t).value();
  auto ct = ap_req_client_time(ctx, req.bytes, sess);
  REQUIRE(ct);
  CHECK(*ct == req.client_time);
  CHECK(std::llabs(ct->ctime - now) <= 2);
  CHECK(ct->cusec >= 0);
  CHECK(ct->cusec <= 999999);
  CHECK(ap_req_client_time(ctx, req.bytes, svc).error().code == core::ErrorCode::AuthFailed);
  CHECK(ap_req_client_time(ctx, Bytes{0x6e, 0x00}, sess).error().code == core::ErrorCode::Malformed);

  std::size_t same = 0;
  testing::for_each_mutation(req.bytes, [&](std::span<const std::uint8_t> m) {
    auto r = ap_req_client_time(ctx, m, sess);
    if (r && *r == req.client_time) ++same;
    if (r) CHECK(*r == req.client_time);  // a mutant never reads as another time
  });
  CHECK(same > 0);
}

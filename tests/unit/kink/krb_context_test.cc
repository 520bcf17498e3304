// tests/unit/kink/krb_context_test.cc — kink/krb/context and handles: the
// profile from a given krb5.conf, the replay-cache override, the KDC list,
// principals, keytabs and the memory ccache.
#include <catch2/catch.hpp>

#include <profile.h>

#include <fstream>

#include "kink/krb/context.h"
#include "kink/krb/handles.h"
#include "kink/krb/kdc.h"
#include "krb_forge.h"

using namespace kink::krb;

TEST_CASE("krb context: the given krb5.conf is read, the replay cache overridden", "[kink][krb]") {
  forge::Realm realm;
  auto ctx = Context::open({realm.conf(), realm.rcache()});
  REQUIRE(ctx);
  CHECK(ctx->default_realm() == "EXAMPLE.TEST");
  CHECK(ctx->udp_preference_limit() == 1000);

  profile_t prof = nullptr;
  REQUIRE(krb5_get_profile(ctx->get(), &prof) == 0);
  char* rc = nullptr;
  REQUIRE(profile_get_string(prof, "libdefaults", "default_rcache_name", nullptr, nullptr, &rc) == 0);
  REQUIRE(rc != nullptr);
  CHECK(std::string(rc) == realm.rcache());
  profile_release_string(rc);
  // Iteration passes through to the file: the realm's section is there.
  const char* names[] = {"realms", nullptr};
  char** subs = nullptr;
  REQUIRE(profile_get_subsection_names(prof, names, &subs) == 0);
  REQUIRE(subs != nullptr);
  CHECK(std::string(subs[0]) == "EXAMPLE.TEST");
  CHECK(subs[1] == nullptr);
  profile_free_list(subs);
  profile_release(prof);

  // Without an override the profile's own value (none here) shows through.
  auto plain = Context::open({realm.conf(), ""}).value();
  REQUIRE(krb5_get_profile(plain.get(), &prof) == 0);
  rc = nullptr;
  profile_get_string(prof, "libdefaults", "default_rcache_name", nullptr, "none", &rc);
  CHECK(std::string(rc) == "none");
  profile_release_string(rc);
  profile_release(prof);
}

TEST_CASE("krb context: a krb5.conf that does not parse fails Config", "[kink][krb]") {
  forge::Realm realm;
  std::string bad = realm.dir + "/bad.conf";
  std::ofstream(bad) << "[libdefaults\n default_realm = X\n";
  auto ctx = Context::open({bad, ""});
  REQUIRE(!ctx);
  CHECK(ctx.error().code == core::ErrorCode::Config);
}

TEST_CASE("krb context: KDCs of a realm come from the profile, literal addresses only", "[kink][krb]") {
  forge::Realm realm;
  auto ctx = Context::open({realm.conf(), ""}).value();
  auto kdcs = ctx.kdcs("EXAMPLE.TEST");
  REQUIRE(kdcs);
  REQUIRE(kdcs->size() == 2);
  CHECK((*kdcs)[0].addr.to_string() == "192.0.2.2");
  CHECK((*kdcs)[0].port == 88);
  CHECK((*kdcs)[1].addr.to_string() == "2001:db8::2");
  CHECK((*kdcs)[1].port == 750);
  CHECK(ctx.kdcs("OTHER.TEST").error().code == core::ErrorCode::NotFound);
}

// Table 3 — krb5.conf "kdc" values (MIT krb5.conf(5) [realms] kdc).
TEST_CASE("krb context: parse_kdc_address", "[kink][krb]") {
  struct {
    const char* text;
    const char* addr;  // nullptr: refused
    std::uint16_t port;
    core::ErrorCode err;
  } table[] = {
      {"192.0.2.2", "192.0.2.2", 88, {}},
      {"192.0.2.2:750", "192.0.2.2", 750, {}},
      {"udp/192.0.2.2:88", "192.0.2.2", 88, {}},
      {"tcp/[2001:db8::2]:88", "2001:db8::2", 88, {}},
      {"[2001:db8::2]", "2001:db8::2", 88, {}},
      {"2001:db8::2", "2001:db8::2", 88, {}},
      {"kdc.example.test", nullptr, 0, core::ErrorCode::Unsupported},
      {"kdc.example.test:88", nullptr, 0, core::ErrorCode::Unsupported},
      {"192.0.2.2:0", nullptr, 0, core::ErrorCode::InvalidSyntax},
      {"192.0.2.2:65536", nullptr, 0, core::ErrorCode::InvalidSyntax},
      {"192.0.2.2:8x", nullptr, 0, core::ErrorCode::InvalidSyntax},
      {"[2001:db8::2", nullptr, 0, core::ErrorCode::InvalidSyntax},
      {"[2001:db8::2]x", nullptr, 0, core::ErrorCode::InvalidSyntax},
  };
  int n = 0;
  for (const auto& t : table) {
    INFO("3." << ++n << " " << t.text);
    auto ep = parse_kdc_address(t.text);
    if (t.addr == nullptr) {
      REQUIRE(!ep);
      CHECK(ep.error().code == t.err);
    } else {
      REQUIRE(ep);
      CHECK(ep->addr.to_string() == t.addr);
      CHECK(ep->port == t.port);
    }
  }
}

TEST_CASE("krb handles: principals, keytab, memory ccache", "[kink][krb]") {
  forge::Realm realm;
  auto ctx = Context::open({realm.conf(), ""}).value();
  auto a = Principal::parse(ctx, "host/a.example");
  REQUIRE(a);
  CHECK(a->name() == "host/a.example@EXAMPLE.TEST");
  CHECK(a->realm() == "EXAMPLE.TEST");
  auto a2 = Principal::parse(ctx, "host/a.example@EXAMPLE.TEST").value();
  CHECK(a->equals(a2));
  CHECK(!a->equals(Principal::parse(ctx, "host/b.example").value()));
  CHECK(Principal::parse(ctx, "a@B@C").error().code == core::ErrorCode::InvalidSyntax);
  CHECK(tgs_principal(ctx, "EXAMPLE.TEST").value().name() == "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST");

  // A keytab that does not exist resolves but has no key: rd_req would say
  // so; here the handle just opens and closes.
  CHECK(Keytab::open(ctx, realm.dir + "/none.keytab"));

  auto cc = CCache::memory(ctx);
  REQUIRE(cc);
  REQUIRE(cc->initialize(*a));
  // Store a forged ticket and find it again, only while it is valid.
  SessionKey svc = random_key(ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  SessionKey sess = random_key(ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96).value();
  auto b = Principal::parse(ctx, "host/b.example").value();
  auto now = ctx.now().first;
  Creds t = forge::ticket(ctx, *a, b, svc, sess, {now, now + 600});
  REQUIRE(cc->store(t));
  auto found = cc->find(*a, b, now + 60);
  REQUIRE(found);
  CHECK(found->session_key() == sess);
  CHECK(found->server() == "host/b.example@EXAMPLE.TEST");
  CHECK(found->times().endtime == now + 600);
  CHECK(std::vector<std::uint8_t>(found->ticket().begin(), found->ticket().end()) ==
        std::vector<std::uint8_t>(t.ticket().begin(), t.ticket().end()));
  CHECK(cc->find(*a, b, now + 601).error().code == core::ErrorCode::NotFound);
}

TEST_CASE("krb kdc: service_ticket answers from the ccache without a KDC", "[kink][krb]") {
  forge::Realm realm;
  auto ctx = Context::open({realm.conf(), ""}).value();
  auto a = Principal::parse(ctx, "host/a.example").value();
  auto b = Principal::parse(ctx, "host/b.example").value();
  auto kt = Keytab::open(ctx, realm.dir + "/a.keytab").value();
  auto cc = CCache::memory(ctx).value();
  REQUIRE(cc.initialize(a));
  auto now = ctx.now().first;
  SessionKey k = random_key(ctx, ENCTYPE_AES128_CTS_HMAC_SHA1_96).value();
  auto krbtgt = tgs_principal(ctx, "EXAMPLE.TEST").value();
  REQUIRE(cc.store(forge::ticket(ctx, a, krbtgt, k, k, {now, now + 3600})));
  REQUIRE(cc.store(forge::ticket(ctx, a, b, k, k, {now, now + 3600})));

  auto x = KdcExchange::service_ticket(ctx, a, kt, cc, b);
  REQUIRE(x);
  auto step = x->step({});
  REQUIRE(step);
  CHECK(!*step);  // finished at once: no request for a KDC
  CHECK(x->done());
  CHECK(x->round_trips() == 0);
  CHECK(x->creds().value().server() == "host/b.example@EXAMPLE.TEST");

  // Without a TGT the exchange starts with an AS-REQ for the realm's KDCs.
  auto cc2 = CCache::memory(ctx).value();
  REQUIRE(cc2.initialize(a));
  auto y = KdcExchange::service_ticket(ctx, a, kt, cc2, b);
  REQUIRE(y);
  auto req = y->step({});
  REQUIRE(req);
  REQUIRE(*req);
  CHECK((*req)->realm == "EXAMPLE.TEST");
  CHECK((*req)->message.at(0) == 0x6a);  // [APPLICATION 10] AS-REQ (RFC 4120 §5.4.1)
  CHECK((*req)->kdcs.size() == 2);
  CHECK(!(*req)->tcp);
  CHECK(!y->done());
  // A reply that is not Kerberos fails the exchange.
  auto bad = y->step(std::vector<std::uint8_t>{0x30, 0x00});
  CHECK(!bad);
  CHECK(!y->step({}));
}

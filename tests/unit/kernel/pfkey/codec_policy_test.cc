// X_SPDADD and friends byte for byte, both flavors (Linux priority and
// 16-byte ipsecrequest; KAME reserved2 and 8-byte ipsecrequest).
#include <catch2/catch.hpp>

#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"
#include "layout.h"

using namespace kernel::pfkey;
using core::net::Address;
using core::net::Prefix;
using layout::Bytes;

namespace {

Address addr(const char* s) { return *Address::parse(s); }

core::ipsec::PolicySpec tunnel_policy() {
  core::ipsec::PolicySpec p;
  p.selector.src = *Prefix::parse("10.1.0.0/16");
  p.selector.dst = *Prefix::parse("10.2.0.0/16");
  p.selector.proto = core::net::proto::kTcp;
  p.selector.dport = core::net::PortRange::single(443);
  p.dir = core::ipsec::Dir::Out;
  p.priority = 0x2000;
  core::ipsec::Template t;
  t.proto = core::ipsec::Proto::Esp;
  t.mode = core::ipsec::Mode::Tunnel;
  t.src = addr("192.0.2.1");
  t.dst = addr("198.51.100.7");
  t.reqid = 0x1234;
  t.level = core::ipsec::Level::Require;
  p.templates.push_back(t);
  return p;
}

}  // namespace

TEST_CASE("X_SPDADD with a tunnel ipsecrequest matches the Linux layout", "[pfkey][policy]") {
  const auto p = tunnel_policy();
  auto m = make_spd(SADB_X_SPDADD, p, Stamp{11, 4242}, Dialect::linux_af_key());
  REQUIRE(m);
  auto bytes = encode_message(*m, Dialect::linux_af_key());
  REQUIRE(bytes);
  const Bytes rq = layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_REQUIRE, 0x1234,
                                         layout::cat({layout::lin4("192.0.2.1"), layout::lin4("198.51.100.7")}));
  REQUIRE(rq.size() == 48);  // af_key set_ipsecrequest: 16 + PFKEY_ALIGN8(2 * 16)
  const Bytes want = layout::message(
      layout::header(SADB_X_SPDADD, SADB_SATYPE_UNSPEC, 11, 4242),
      {layout::address(SADB_EXT_ADDRESS_SRC, IPPROTO_TCP, 16, layout::lin4("10.1.0.0")),
       layout::address(SADB_EXT_ADDRESS_DST, IPPROTO_TCP, 16, layout::lin4("10.2.0.0", 443)),
       layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, 0x2000, rq)});
  CHECK(*bytes == want);

  // The kernel's reply names the policy id it chose.
  auto dm = decode_message(layout::message(layout::header(SADB_X_SPDADD, 0, 11, 4242),
                                           {layout::address(SADB_EXT_ADDRESS_SRC, IPPROTO_TCP, 16, layout::lin4("10.1.0.0")),
                                            layout::address(SADB_EXT_ADDRESS_DST, IPPROTO_TCP, 16, layout::lin4("10.2.0.0", 443)),
                                            layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0x71, 0x2000, rq)}),
                           Dialect::linux_af_key());
  REQUIRE(dm);
  auto back = policy_of(*dm, Dialect::linux_af_key());
  REQUIRE(back);
  CHECK(back->index == 0x71);
  CHECK(back->selector == p.selector);
  CHECK(back->dir == p.dir);
  CHECK(back->priority == p.priority);
  CHECK(back->action == core::ipsec::Action::Protect);
  CHECK(back->templates == p.templates);
}

TEST_CASE("X_SPDADD on KAME: 8-byte ipsecrequest, no priority, BSD sockaddrs", "[pfkey][policy][kame]") {
  auto p = tunnel_policy();
  p.priority = 0;
  p.templates[0].level = core::ipsec::Level::Unique;
  const auto d = Dialect::kame_netbsd();
  auto bytes = encode_message(*make_spd(SADB_X_SPDADD, p, Stamp{2, 3}, d), d);
  REQUIRE(bytes);
  const Bytes rq = layout::kame_request(IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE, 0x1234,
                                        layout::cat({layout::bsd4("192.0.2.1"), layout::bsd4("198.51.100.7")}));
  REQUIRE(rq.size() == 40);  // KAME: PFKEY_ALIGN8(8 + 2 * 16)
  const Bytes want = layout::message(
      layout::header(SADB_X_SPDADD, 0, 2, 3),
      {layout::address(SADB_EXT_ADDRESS_SRC, IPPROTO_TCP, 16, layout::bsd4("10.1.0.0")),
       layout::address(SADB_EXT_ADDRESS_DST, IPPROTO_TCP, 16, layout::bsd4("10.2.0.0", 443)),
       layout::kame_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0, rq)});
  CHECK(*bytes == want);
  auto back = policy_of(*decode_message(want, d), d);
  REQUIRE(back);
  CHECK(back->templates == p.templates);
  CHECK(back->selector == p.selector);

  // A reqid beyond KAME's u_int16_t cannot be written.
  p.templates[0].reqid = 0x10000;
  auto big = make_spd(SADB_X_SPDADD, p, {}, d);
  REQUIRE(big);
  CHECK(encode_message(*big, d).error().code == core::ErrorCode::Unsupported);
}

TEST_CASE("Bypass, discard and transport policies", "[pfkey][policy]") {
  core::ipsec::PolicySpec p;
  p.selector.src = *Prefix::parse("2001:db8::/32");
  p.selector.dst = *Prefix::parse("2001:db8:ff::1/128");
  p.selector.proto = core::net::proto::kMh;
  p.selector.sport = core::net::PortRange::single(5);  // MH type 5 (BU) in the source-port field
  p.dir = core::ipsec::Dir::In;
  p.action = core::ipsec::Action::Bypass;
  auto m = make_spd(SADB_X_SPDUPDATE, p, {}, Dialect::linux_af_key());
  REQUIRE(m);
  CHECK(m->policy->type == IPSEC_POLICY_NONE);  // af_key refuses IPSEC_POLICY_BYPASS
  CHECK(m->src->sa.port == 5);
  auto back = policy_of(*decode_message(*encode_message(*m, Dialect::linux_af_key()), Dialect::linux_af_key()),
                        Dialect::linux_af_key());
  REQUIRE(back);
  CHECK(back->selector == p.selector);
  CHECK(back->action == core::ipsec::Action::Bypass);

  p.action = core::ipsec::Action::Protect;
  core::ipsec::Template t;  // transport: no endpoints on the wire
  t.proto = core::ipsec::Proto::Ah;
  p.templates = {t};
  auto tm = make_spd(SADB_X_SPDADD, p, {}, Dialect::linux_af_key());
  REQUIRE(tm);
  auto enc = encode_message(*tm, Dialect::linux_af_key());
  REQUIRE(enc);
  auto rq = layout::linux_request(IPPROTO_AH, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_REQUIRE, 0);
  CHECK(rq.size() == 16);
  const Bytes tail = layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0, 0, rq);
  REQUIRE(enc->size() > tail.size());
  CHECK(Bytes(enc->end() - static_cast<long>(tail.size()), enc->end()) == tail);
}

TEST_CASE("Selectors PF_KEY cannot express are refused", "[pfkey][policy]") {
  auto p = tunnel_policy();
  p.selector.sport = {1000, 2000};
  CHECK(make_spd(SADB_X_SPDADD, p, {}, Dialect::linux_af_key()).error().code == core::ErrorCode::Unsupported);
  p = tunnel_policy();
  p.dir = core::ipsec::Dir::Fwd;
  CHECK(make_spd(SADB_X_SPDADD, p, {}, Dialect::linux_af_key()));
  CHECK_FALSE(make_spd(SADB_X_SPDADD, p, {}, Dialect::kame_netbsd()));
  p = tunnel_policy();
  p.mark = {7, 0xffffffff};
  CHECK_FALSE(make_spd(SADB_X_SPDADD, p, {}, Dialect::linux_af_key()));
  p = tunnel_policy();
  p.templates.clear();
  CHECK(make_spd(SADB_X_SPDADD, p, {}, Dialect::linux_af_key()).error().code == core::ErrorCode::InvalidSyntax);
}

TEST_CASE("X_SPDDELETE by selector, X_SPDDELETE2 and X_SPDGET by id", "[pfkey][policy]") {
  core::ipsec::PolicyKey key{tunnel_policy().selector, core::ipsec::Dir::In, {}};
  auto del = encode_message(*make_spddelete(key, Stamp{4, 1}, Dialect::linux_af_key()), Dialect::linux_af_key());
  REQUIRE(del);
  CHECK(*del == layout::message(layout::header(SADB_X_SPDDELETE, 0, 4, 1),
                                {layout::address(SADB_EXT_ADDRESS_SRC, IPPROTO_TCP, 16, layout::lin4("10.1.0.0")),
                                 layout::address(SADB_EXT_ADDRESS_DST, IPPROTO_TCP, 16, layout::lin4("10.2.0.0", 443)),
                                 layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_INBOUND, 0, 0)}));
  auto del2 = encode_message(make_spd_by_id(SADB_X_SPDDELETE2, 0x71, Stamp{5, 1}), Dialect::linux_af_key());
  REQUIRE(del2);
  CHECK(*del2 == layout::message(layout::header(SADB_X_SPDDELETE2, 0, 5, 1), {layout::linux_policy(IPSEC_POLICY_IPSEC, 0, 0x71, 0)}));
}

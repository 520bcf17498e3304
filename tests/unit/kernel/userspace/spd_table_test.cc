// kernel/userspace SpdTable: keys, Linux-style indices, lookup order
// (priority, then specificity, then age), marks, MIGRATE's selector search.
#include <catch2/catch.hpp>

#include "core/net/selector.h"
#include "kernel/userspace/packet.h"
#include "kernel/userspace/spd_table.h"

using core::ErrorCode;
using core::ipsec::Action;
using core::ipsec::Dir;
using core::ipsec::PolicySpec;
using core::net::Address;
using core::net::Prefix;
using kernel::userspace::IpPacket;
using kernel::userspace::policy_key;
using kernel::userspace::SpdTable;

namespace {

core::net::Selector sel(const char* src, const char* dst, std::uint8_t proto = 0) {
  core::net::Selector s;
  s.src = *Prefix::parse(src);
  s.dst = *Prefix::parse(dst);
  s.proto = proto;
  return s;
}

PolicySpec pol(core::net::Selector s, Dir dir, std::uint32_t priority = 100,
               Action action = Action::Protect) {
  PolicySpec p;
  p.selector = s;
  p.dir = dir;
  p.priority = priority;
  p.action = action;
  return p;
}

IpPacket pkt(const char* src, const char* dst, std::uint8_t proto = 17, std::uint16_t sport = 1000,
             std::uint16_t dport = 53) {
  IpPacket p;
  p.src = *Address::parse(src);
  p.dst = *Address::parse(dst);
  p.proto = proto;
  p.sport = sport;
  p.dport = dport;
  p.has_ports = true;
  return p;
}

}  // namespace

TEST_CASE("SpdTable: keys, indices, update and remove", "[kernel][userspace][spd]") {
  SpdTable t;
  auto out = pol(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out);
  auto idx = t.add(out);
  REQUIRE(idx);
  CHECK((*idx & 7) == 1);
  CHECK(t.add(out).error().code == ErrorCode::Exists);

  auto in = out;
  in.dir = Dir::In;
  auto in_idx = t.add(in);
  REQUIRE(in_idx);
  CHECK((*in_idx & 7) == 0);
  CHECK(*in_idx != 0);
  auto fwd = out;
  fwd.dir = Dir::Fwd;
  auto fwd_idx = t.add(fwd);
  REQUIRE(fwd_idx);
  CHECK((*fwd_idx & 7) == 2);
  auto marked = out;
  marked.mark = {0x10, 0xff};
  REQUIRE(t.add(marked));
  CHECK(t.size() == 4);

  out.priority = 5;
  auto again = t.update(out);
  REQUIRE(again);
  CHECK(*again == *idx);
  REQUIRE(t.by_index(*idx));
  CHECK(t.by_index(*idx)->priority == 5);
  CHECK(t.size() == 4);

  auto gone = t.remove(policy_key(out));
  REQUIRE(gone);
  CHECK(gone->index == *idx);
  CHECK(t.remove(policy_key(out)).error().code == ErrorCode::NotFound);
  CHECK(t.find(policy_key(out)) == nullptr);
  CHECK(t.by_index(*idx) == nullptr);

  auto list = t.list();
  REQUIRE(list.size() == 3);
  CHECK(list[0].index < list[1].index);
  CHECK(list[1].index < list[2].index);
}

TEST_CASE("SpdTable: invalid policies are refused", "[kernel][userspace][spd]") {
  SpdTable t;
  auto mixed = pol(sel("10.0.0.0/24", "2001:db8::/64"), Dir::Out);
  CHECK(t.add(mixed).error().code == ErrorCode::InvalidSyntax);
  auto bad_index = pol(sel("10.0.0.0/24", "10.1.0.0/24"), Dir::Out);
  bad_index.index = 16;  // encodes In (0), not Out (1)
  CHECK(t.add(bad_index).error().code == ErrorCode::InvalidSyntax);
  bad_index.index = 17;
  auto idx = t.add(bad_index);
  REQUIRE(idx);
  CHECK(*idx == 17);  // a free index that encodes the direction is kept
  CHECK(t.size() == 1);
}

TEST_CASE("SpdTable: lookup order is priority, then specificity, then age", "[kernel][userspace][spd]") {
  SpdTable t;
  auto wide = t.add(pol(sel("0.0.0.0/0", "203.0.113.0/24"), Dir::Out, 100));
  auto narrow = t.add(pol(sel("198.51.100.0/24", "203.0.113.1/32"), Dir::Out, 100));
  auto udp = t.add(pol(sel("198.51.100.0/24", "203.0.113.1/32", 17), Dir::Out, 100));
  REQUIRE((wide && narrow && udp));

  const auto* p = t.lookup(Dir::Out, pkt("198.51.100.7", "203.0.113.1"));
  REQUIRE(p);
  CHECK(p->index == *udp);  // most specific: same prefixes plus a protocol
  p = t.lookup(Dir::Out, pkt("198.51.100.7", "203.0.113.1", 6));
  REQUIRE(p);
  CHECK(p->index == *narrow);
  p = t.lookup(Dir::Out, pkt("192.0.2.9", "203.0.113.200", 6));
  REQUIRE(p);
  CHECK(p->index == *wide);
  CHECK(t.lookup(Dir::Out, pkt("192.0.2.9", "192.0.2.10")) == nullptr);
  CHECK(t.lookup(Dir::In, pkt("198.51.100.7", "203.0.113.1")) == nullptr);
  CHECK(t.lookup(Dir::Out, pkt("2001:db8::1", "2001:db8::2")) == nullptr);

  // A lower priority value beats any specificity.
  auto bypass = t.add(pol(sel("0.0.0.0/0", "0.0.0.0/0"), Dir::Out, 10, Action::Bypass));
  REQUIRE(bypass);
  p = t.lookup(Dir::Out, pkt("198.51.100.7", "203.0.113.1"));
  REQUIRE(p);
  CHECK(p->index == *bypass);

  // update re-sorts: the bypass falls behind once its priority rises.
  auto b = *t.by_index(*bypass);
  b.priority = 1000;
  REQUIRE(t.update(b));
  p = t.lookup(Dir::Out, pkt("198.51.100.7", "203.0.113.1"));
  REQUIRE(p);
  CHECK(p->index == *udp);

  // Equal in every way but age: the first added wins.
  SpdTable u;
  auto first = u.add(pol(sel("10.0.0.0/8", "10.1.0.0/16"), Dir::Out, 50));
  auto second = u.add(pol(sel("10.1.0.0/16", "10.0.0.0/8"), Dir::Out, 50));
  REQUIRE((first && second));
  p = u.lookup(Dir::Out, pkt("10.1.2.3", "10.1.2.4"));
  REQUIRE(p);
  CHECK(p->index == *first);
}

TEST_CASE("SpdTable: ports, ICMP types, MH types and marks", "[kernel][userspace][spd]") {
  SpdTable t;
  auto dns = pol(sel("192.0.2.0/24", "192.0.2.0/24", 17), Dir::Out);
  dns.selector.dport = core::net::PortRange::single(53);
  auto echo = pol(sel("192.0.2.0/24", "192.0.2.0/24", 1), Dir::Out);
  echo.selector.sport = core::net::PortRange::single(8);  // ICMP type 8
  auto bu = pol(sel("2001:db8::/32", "2001:db8::/32", 135), Dir::Out);
  bu.selector.sport = core::net::PortRange::single(5);  // MH type 5
  auto marked = pol(sel("198.51.100.0/24", "198.51.100.0/24"), Dir::Out);
  marked.mark = {0x4b41, 0xffff};
  auto di = t.add(dns);
  auto ei = t.add(echo);
  auto bi = t.add(bu);
  auto mi = t.add(marked);
  REQUIRE((di && ei && bi && mi));

  CHECK(t.lookup(Dir::Out, pkt("192.0.2.1", "192.0.2.2", 17, 999, 53))->index == *di);
  CHECK(t.lookup(Dir::Out, pkt("192.0.2.1", "192.0.2.2", 17, 999, 54)) == nullptr);
  CHECK(t.lookup(Dir::Out, pkt("192.0.2.1", "192.0.2.2", 1, 8, 0))->index == *ei);
  CHECK(t.lookup(Dir::Out, pkt("192.0.2.1", "192.0.2.2", 1, 0, 0)) == nullptr);
  CHECK(t.lookup(Dir::Out, pkt("2001:db8::1", "2001:db8::2", 135, 5, 0))->index == *bi);
  CHECK(t.lookup(Dir::Out, pkt("2001:db8::1", "2001:db8::2", 135, 6, 0)) == nullptr);
  CHECK(t.lookup(Dir::Out, pkt("198.51.100.1", "198.51.100.2")) == nullptr);
  CHECK(t.lookup(Dir::Out, pkt("198.51.100.1", "198.51.100.2"), 0x4b41)->index == *mi);
}

TEST_CASE("SpdTable: find_selector and set_templates serve MIGRATE", "[kernel][userspace][spd]") {
  SpdTable t;
  auto p = pol(sel("2001:db8:a::1/128", "2001:db8:b::1/128", 135), Dir::Out);
  auto idx = t.add(p);
  REQUIRE(idx);
  CHECK(t.find_selector(Dir::Out, p.selector, false)->index == *idx);
  // A mobility daemon's MIGRATE names no protocol: any protocol matches.
  auto any = sel("2001:db8:a::1/128", "2001:db8:b::1/128");
  CHECK(t.find_selector(Dir::Out, any, false) == nullptr);
  REQUIRE(t.find_selector(Dir::Out, any, true));
  CHECK(t.find_selector(Dir::In, any, true) == nullptr);

  core::ipsec::Template tmpl;
  tmpl.reqid = 9;
  CHECK(t.set_templates(*idx, {tmpl}));
  CHECK(t.by_index(*idx)->templates.size() == 1);
  CHECK_FALSE(t.set_templates(*idx + 8, {}));
}

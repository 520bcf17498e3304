#include <catch2/catch.hpp>

#include "core/net/address.h"
#include "core/net/selector.h"

using namespace core::net;

static Address A(const char* s) { return *Address::parse(s); }
static Prefix P(const char* s) { return *Prefix::parse(s); }

TEST_CASE("Addresses parse and print in both families", "[net]") {
  CHECK(A("192.0.2.1").to_string() == "192.0.2.1");
  CHECK(A("2001:db8::1").to_string() == "2001:db8::1");
  CHECK(A("fe80::1%3").scope_id() == 3);
  CHECK(A("fe80::1%lo").scope_id() > 0);
  CHECK_FALSE(Address::parse("192.0.2.256"));
  CHECK_FALSE(Address::parse("192.0.2.1%3"));
  CHECK_FALSE(Address::parse("example"));
  CHECK(A("0.0.0.0").is_unspecified());
  CHECK(A("::").is_unspecified());
  CHECK(A("192.0.2.1") < A("192.0.2.2"));
}

TEST_CASE("Prefixes convert exactly to ranges, including /0", "[net]") {
  auto all6 = P("::/0").to_range();
  CHECK(all6.start == A("::"));
  CHECK(all6.end == A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  auto all4 = P("0.0.0.0/0").to_range();
  CHECK(all4.end == A("255.255.255.255"));
  CHECK(P("192.0.2.77/25").to_range().start == A("192.0.2.0"));
  CHECK(P("192.0.2.77/25").to_range().end == A("192.0.2.127"));
  CHECK(P("2001:db8::/33").to_range().end == A("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"));
  for (unsigned len = 0; len <= 128; ++len) {
    Prefix p(A("2001:db8:1234:5678:9abc:def0:1234:5678"), static_cast<std::uint8_t>(len));
    auto back = Prefix::from_range(p.to_range());
    REQUIRE(back);
    CHECK(back->length() == len);
    CHECK(*back == p);
  }
  CHECK_FALSE(Prefix::from_range({A("192.0.2.1"), A("192.0.2.2")}));
  CHECK_FALSE(Prefix::parse("192.0.2.0/33"));
  CHECK_FALSE(Prefix::parse("2001:db8::/129"));
  CHECK_FALSE(Prefix::parse("2001:db8::/"));
}

TEST_CASE("Ranges split into the minimal prefix list", "[net]") {
  auto ps = range_to_prefixes({A("192.0.2.1"), A("192.0.2.6")});
  REQUIRE(ps.size() == 4);
  CHECK(ps[0].to_string() == "192.0.2.1/32");
  CHECK(ps[1].to_string() == "192.0.2.2/31");
  CHECK(ps[2].to_string() == "192.0.2.4/31");
  CHECK(ps[3].to_string() == "192.0.2.6/32");
  auto whole = range_to_prefixes(Range::all(Family::V6));
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].length() == 0);
  auto worst = range_to_prefixes({A("::1"), A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")});
  CHECK(worst.size() == 254);
}

TEST_CASE("Range intersection and containment", "[net]") {
  Range a{A("192.0.2.0"), A("192.0.2.100")};
  Range b{A("192.0.2.50"), A("192.0.2.200")};
  auto i = a.intersect(b);
  REQUIRE(i);
  CHECK(i->start == A("192.0.2.50"));
  CHECK(i->end == A("192.0.2.100"));
  CHECK_FALSE(a.intersect({A("192.0.2.101"), A("192.0.2.102")}));
  CHECK_FALSE(a.intersect(Range::all(Family::V6)));
  CHECK(P("2001:db8::/32").contains(P("2001:db8:1::/48")));
  CHECK_FALSE(P("2001:db8:1::/48").contains(P("2001:db8::/32")));
}

TEST_CASE("Selectors carry ICMPv6 type/code and MH type in port fields", "[net]") {
  Selector s{P("2001:db8:a::1"), P("2001:db8:b::1"), proto::kMh, PortRange::single(5), PortRange::any()};
  CHECK(s.mh_type() == 5);
  CHECK(s.to_string() == "2001:db8:a::1/128 -> 2001:db8:b::1/128 mh mh-type 5");
  auto r = s.reversed();
  CHECK(r.src == s.dst);
  CHECK(r.mh_type() == 5);
  Selector icmp{P("::/0"), P("::/0"), proto::kIcmpv6, PortRange::single(135), PortRange::single(0)};
  CHECK(icmp.icmp_type() == 135);
  CHECK(icmp.icmp_code() == 0);
  Selector udp{P("192.0.2.0/24"), P("198.51.100.0/24"), proto::kUdp, PortRange::any(), PortRange::single(1701)};
  CHECK(udp.matches(A("192.0.2.9"), A("198.51.100.3"), proto::kUdp, 4000, 1701));
  CHECK_FALSE(udp.matches(A("192.0.2.9"), A("198.51.100.3"), proto::kTcp, 4000, 1701));
  CHECK(udp.reversed().sport == PortRange::single(1701));
  CHECK(parse_protocol("icmp6") == proto::kIcmpv6);
  CHECK(parse_protocol("135") == proto::kMh);
  CHECK_FALSE(parse_protocol("256"));
}

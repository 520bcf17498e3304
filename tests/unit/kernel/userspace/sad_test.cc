// kernel/userspace Sad: the SAD's indices (inbound by SPI, outbound by
// reqid and endpoints, newest first) and MIGRATE's re-addressing, over a
// stand-in crypto type.
#include <catch2/catch.hpp>

#include "kernel/userspace/sad.h"

using core::ipsec::Mode;
using core::ipsec::SaId;
using core::net::Address;

namespace {

struct Token {
  int n = 0;
};
using Sad = kernel::userspace::Sad<Token>;
using Entry = Sad::Entry;

Address A(const char* s) { return *Address::parse(s); }

Entry sa(const char* src, const char* dst, std::uint32_t spi, std::uint32_t reqid, bool inbound,
         int token = 0, Mode mode = Mode::Tunnel) {
  Entry e;
  e.spec.src = A(src);
  e.spec.dst = A(dst);
  e.spec.spi = spi;
  e.spec.reqid = reqid;
  e.spec.mode = mode;
  e.inbound = inbound;
  e.crypto = std::make_unique<Token>(Token{token});
  return e;
}

auto any = [](const Entry&) { return true; };

}  // namespace

TEST_CASE("Sad: inbound SAs by SPI", "[kernel][userspace][sad]") {
  Sad t;
  t.insert(sa("192.0.2.2", "192.0.2.1", 0x1000, 1, true, 7));
  t.insert(sa("192.0.2.1", "192.0.2.2", 0x2000, 1, false));
  REQUIRE(t.inbound(0x1000));
  CHECK(t.inbound(0x1000)->crypto->n == 7);
  CHECK(t.inbound(0x2000) == nullptr);  // outbound SPIs are the peer's choice
  CHECK(t.spi_taken(0x1000));
  SaId self{A("192.0.2.1"), 0x1000};
  CHECK_FALSE(t.spi_taken(0x1000, &self));
  CHECK_FALSE(t.spi_taken(0x2000));
  CHECK(t.size() == 2);

  auto gone = t.erase(self);
  REQUIRE(gone);
  CHECK(gone->crypto->n == 7);
  CHECK(t.inbound(0x1000) == nullptr);
  CHECK_FALSE(t.erase(self));
  CHECK(t.size() == 1);
}

TEST_CASE("Sad: outbound by reqid and endpoints, newest first", "[kernel][userspace][sad]") {
  Sad t;
  t.insert(sa("192.0.2.1", "192.0.2.2", 0x10, 5, false, 1));
  t.insert(sa("192.0.2.1", "192.0.2.2", 0x11, 5, false, 2));  // the rekeyed successor
  t.insert(sa("192.0.2.1", "192.0.2.2", 0x12, 6, false, 3));
  t.insert(sa("192.0.2.1", "192.0.2.2", 0x13, 5, true, 4));  // odd, but inbound never serves output
  auto larval = sa("192.0.2.1", "192.0.2.2", 0x14, 5, false, 5);
  larval.larval = true;
  t.insert(std::move(larval));

  auto* e = t.outbound(5, A("192.0.2.1"), A("192.0.2.2"), any);
  REQUIRE(e);
  CHECK(e->crypto->n == 2);
  CHECK(t.outbound(6, A("192.0.2.1"), A("192.0.2.2"), any)->crypto->n == 3);
  CHECK(t.outbound(5, A("192.0.2.2"), A("192.0.2.1"), any) == nullptr);
  CHECK(t.outbound(7, A("192.0.2.1"), A("192.0.2.2"), any) == nullptr);
  // accept filters (the data plane checks mode and selector there).
  auto* older = t.outbound(5, A("192.0.2.1"), A("192.0.2.2"),
                           [](const Entry& x) { return x.spec.spi == 0x10; });
  REQUIRE(older);
  CHECK(older->crypto->n == 1);

  // Deleting the newest falls back to the older one.
  REQUIRE(t.erase(SaId{A("192.0.2.2"), 0x11}));
  CHECK(t.outbound(5, A("192.0.2.1"), A("192.0.2.2"), any)->crypto->n == 1);
}

TEST_CASE("Sad: readdress moves an SA with its crypto", "[kernel][userspace][sad]") {
  Sad t;
  t.insert(sa("2001:db8:1::1", "2001:db8:2::1", 0x20, 3, false, 11));
  t.insert(sa("2001:db8:2::1", "2001:db8:1::1", 0x21, 3, true, 12));
  t.insert(sa("2001:db8:1::1", "2001:db8:9::1", 0x20, 4, false, 13));

  auto* out = t.readdress(SaId{A("2001:db8:2::1"), 0x20}, A("2001:db8:1::1"), A("2001:db8:3::1"));
  REQUIRE(out);
  CHECK(out->crypto->n == 11);
  CHECK(out->spec.dst == A("2001:db8:3::1"));
  CHECK_FALSE(t.contains(SaId{A("2001:db8:2::1"), 0x20}));
  CHECK(t.contains(SaId{A("2001:db8:3::1"), 0x20}));
  CHECK(t.outbound(3, A("2001:db8:1::1"), A("2001:db8:3::1"), any) == out);
  CHECK(t.outbound(3, A("2001:db8:1::1"), A("2001:db8:2::1"), any) == nullptr);

  auto* in = t.readdress(SaId{A("2001:db8:1::1"), 0x21}, A("2001:db8:3::1"), A("2001:db8:1::1"));
  REQUIRE(in);
  CHECK(t.inbound(0x21) == in);
  CHECK(in->spec.src == A("2001:db8:3::1"));

  // Landing on an id another SA holds is refused and changes nothing.
  CHECK(t.readdress(SaId{A("2001:db8:3::1"), 0x20}, A("2001:db8:1::1"), A("2001:db8:9::1")) == nullptr);
  CHECK(t.contains(SaId{A("2001:db8:3::1"), 0x20}));
  CHECK(t.readdress(SaId{A("2001:db8:7::1"), 0x99}, A("2001:db8:1::1"), A("2001:db8:9::1")) == nullptr);
  CHECK(t.size() == 3);
}

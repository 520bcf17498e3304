// FakeKernel lifetimes: seconds on simulated time, bytes and packets on
// add_traffic, soft once then hard once, larval SAs timing out.
#include <catch2/catch.hpp>

#include "fake_fixture.h"

using namespace fake_test;
using namespace std::chrono_literals;
using core::ipsec::ExpireEvent;
using core::ipsec::Proto;

TEST_CASE("FakeKernel: seconds lifetimes expire soft, then hard, each once", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 5);
  sa.lifetime.soft_seconds = 100;
  sa.lifetime.hard_seconds = 120;
  REQUIRE(f.k.add_sa(sa));

  f.time.advance(99s);
  CHECK(f.seen.empty());
  f.time.advance(1s);
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].sa == sa.id());
  CHECK(ev[0].reqid == 5);
  CHECK_FALSE(ev[0].hard);
  CHECK(f.k.has_sa(sa.id()));  // soft expiry only reports

  f.time.advance(19s);
  CHECK(f.seen.size() == 1);
  f.time.advance(1s);
  ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].hard);
  CHECK_FALSE(f.k.has_sa(sa.id()));  // hard expiry deletes

  f.time.advance(1000s);
  CHECK(f.seen.size() == 2);
}

TEST_CASE("FakeKernel: a hard limit not after the soft one reports only hard", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 5);
  sa.lifetime.soft_seconds = 60;
  sa.lifetime.hard_seconds = 60;
  REQUIRE(f.k.add_sa(sa));
  f.time.advance(60s);
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].hard);
}

TEST_CASE("FakeKernel: byte and packet limits expire on traffic", "[kernel][fake]") {
  Fixture f;
  auto bytes = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
  bytes.lifetime.soft_bytes = 1000;
  bytes.lifetime.hard_bytes = 2000;
  auto packets = esp_sa("192.0.2.2", "192.0.2.1", 0x2000, 2);
  packets.lifetime.soft_packets = 3;
  packets.lifetime.hard_packets = 5;
  REQUIRE(f.k.add_sa(bytes));
  REQUIRE(f.k.add_sa(packets));

  REQUIRE(f.k.add_traffic(bytes.id(), 999));
  CHECK(f.seen.empty());
  REQUIRE(f.k.add_traffic(bytes.id(), 1));
  REQUIRE(f.k.add_traffic(bytes.id(), 500));  // soft is reported once
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK_FALSE(ev[0].hard);
  CHECK(ev[0].reqid == 1);
  REQUIRE(f.k.add_traffic(bytes.id(), 500));
  ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].hard);
  CHECK_FALSE(f.k.has_sa(bytes.id()));
  CHECK(f.k.add_traffic(bytes.id(), 1).error().code == core::ErrorCode::NotFound);

  for (int i = 0; i < 4; ++i) REQUIRE(f.k.add_traffic(packets.id(), 100, 1));
  ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 3);
  CHECK(ev[2].sa == packets.id());
  CHECK_FALSE(ev[2].hard);
  auto info = f.k.get_sa(packets.id());
  REQUIRE(info);
  CHECK(info->counters.packets == 4);
  CHECK(info->counters.bytes == 400);
  REQUIRE(f.k.add_traffic(packets.id(), 100, 1));
  ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 4);
  CHECK(ev[3].hard);
}

TEST_CASE("FakeKernel: one burst past both limits reports only hard", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
  sa.lifetime.soft_bytes = 1000;
  sa.lifetime.hard_bytes = 2000;
  REQUIRE(f.k.add_sa(sa));
  REQUIRE(f.k.add_traffic(sa.id(), 5000));
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].hard);
}

TEST_CASE("FakeKernel: soft traffic expiry then the seconds timer does not repeat soft",
          "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
  sa.lifetime.soft_bytes = 10;
  sa.lifetime.soft_seconds = 30;
  sa.lifetime.hard_seconds = 60;
  REQUIRE(f.k.add_sa(sa));
  REQUIRE(f.k.add_traffic(sa.id(), 10));
  f.time.advance(60s);
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 2);
  CHECK_FALSE(ev[0].hard);
  CHECK(ev[1].hard);
}

TEST_CASE("FakeKernel: update_sa re-arms lifetimes from the original add time", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
  sa.lifetime.soft_seconds = 50;
  sa.lifetime.hard_seconds = 100;
  REQUIRE(f.k.add_sa(sa));
  f.time.advance(60s);
  REQUIRE(f.seen.size() == 1);  // soft at 50 s

  // Longer lifetimes: a fresh soft report at 150 s, hard at 200 s after add.
  sa.lifetime.soft_seconds = 150;
  sa.lifetime.hard_seconds = 200;
  REQUIRE(f.k.update_sa(sa));
  f.time.advance(89s);  // t = 149
  CHECK(f.seen.size() == 1);
  f.time.advance(1s);  // t = 150
  REQUIRE(f.seen.size() == 2);
  CHECK_FALSE(f.seen_of<ExpireEvent>()[1].hard);
  f.time.advance(50s);  // t = 200
  REQUIRE(f.seen.size() == 3);
  CHECK(f.seen_of<ExpireEvent>()[2].hard);
}

TEST_CASE("FakeKernel: deleting an SA cancels its timers", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
  sa.lifetime.soft_seconds = 10;
  sa.lifetime.hard_seconds = 20;
  REQUIRE(f.k.add_sa(sa));
  CHECK(f.time.pending() == 2);
  REQUIRE(f.k.del_sa(sa.id()));
  CHECK(f.time.pending() == 0);
  f.time.advance(30s);
  CHECK(f.seen.empty());
}

TEST_CASE("FakeKernel: a larval SA expires after larval_lifetime with a hard expire",
          "[kernel][fake]") {
  Fixture f({.larval_lifetime = 30s});
  auto spi = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 8);
  REQUIRE(spi);
  f.time.advance(29s);
  CHECK(f.k.sa_count() == 1);
  f.time.advance(1s);
  CHECK(f.k.sa_count() == 0);
  auto ev = f.seen_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].hard);
  CHECK(ev[0].sa.spi == *spi);
  CHECK(ev[0].reqid == 8);

  // Completing a larval SA in time replaces its larval timer with the SA's.
  auto spi2 = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 9);
  REQUIRE(spi2);
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.2", "192.0.2.1", *spi2, 9)));
  f.time.advance(3600s);
  CHECK(f.k.sa_count() == 1);
  CHECK(f.seen.size() == 1);
}

TEST_CASE("FakeKernel: destroying the kernel cancels its timers", "[kernel][fake]") {
  core::SimulatedTime time;
  {
    kernel::FakeKernel k(time, time);
    auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1000, 1);
    sa.lifetime.hard_seconds = 10;
    REQUIRE(k.add_sa(sa));
    REQUIRE(k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1));
    CHECK(time.pending() == 2);
  }
  CHECK(time.pending() == 0);
  CHECK(time.advance(1000s) == 0);
}

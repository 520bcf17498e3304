// FakeKernel SAD: SPI allocation, SA add/update/delete/get/list, the call
// log and failure injection.
#include <catch2/catch.hpp>

#include <set>

#include "fake_fixture.h"

using namespace fake_test;
using core::ErrorCode;
using core::ipsec::Proto;
using core::ipsec::SaId;
using kernel::fake::Op;

TEST_CASE("FakeKernel: 10,000 SPI allocations to one destination are unique and in range",
          "[kernel][fake]") {
  Fixture f;
  std::set<std::uint32_t> spis;
  for (int i = 0; i < 10000; ++i) {
    auto spi = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 7);
    REQUIRE(spi);
    CHECK(*spi >= 0x100);
    spis.insert(*spi);
  }
  CHECK(spis.size() == 10000);
  CHECK(f.k.sa_count() == 10000);
  CHECK(f.k.is_larval({A("192.0.2.1"), *spis.begin(), Proto::Esp}));
}

TEST_CASE("FakeKernel: a small SPI range fills up exactly, then fails with Exists",
          "[kernel][fake]") {
  Fixture f;
  std::set<std::uint32_t> spis;
  for (int i = 0; i < 1000; ++i) {
    auto spi = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1, 0x1000, 0x1000 + 999);
    REQUIRE(spi);
    CHECK(*spi >= 0x1000);
    CHECK(*spi <= 0x1000 + 999);
    spis.insert(*spi);
  }
  CHECK(spis.size() == 1000);
  auto full = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1, 0x1000, 0x1000 + 999);
  REQUIRE_FALSE(full);
  CHECK(full.error().code == ErrorCode::Exists);
  CHECK_FALSE(f.k.calls().back().ok);

  // Uniqueness is per (dst, proto): AH and another destination still get SPIs.
  CHECK(f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Ah, 1, 0x1000, 0x1000 + 999));
  CHECK(f.k.alloc_spi(A("192.0.2.1"), A("192.0.2.9"), Proto::Esp, 1, 0x1000, 0x1000 + 999));

  // Freeing one makes exactly that one available again.
  SaId freed{A("192.0.2.1"), 0x1000 + 500, Proto::Esp};
  REQUIRE(f.k.del_sa(freed));
  auto again = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1, 0x1000, 0x1000 + 999);
  REQUIRE(again);
  CHECK(*again == 0x1000 + 500);
}

TEST_CASE("FakeKernel: SPI allocation is repeatable from the seed", "[kernel][fake]") {
  auto run = [](std::uint64_t seed) {
    Fixture f({.seed = seed});
    std::vector<std::uint32_t> out;
    for (int i = 0; i < 50; ++i) out.push_back(*f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1));
    return out;
  };
  CHECK(run(42) == run(42));
  CHECK(run(42) != run(43));
}

TEST_CASE("FakeKernel: alloc_spi rejects an empty range and mixed families", "[kernel][fake]") {
  Fixture f;
  auto r = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1, 0x2000, 0x1000);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Kernel);
  CHECK(r.error().detail.find("Invalid argument") != std::string::npos);
  CHECK_FALSE(f.k.alloc_spi(A("192.0.2.2"), A("2001:db8::1"), Proto::Esp, 1));
  auto one = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1, 0x4242, 0x4242);
  REQUIRE(one);
  CHECK(*one == 0x4242);
}

TEST_CASE("FakeKernel: add_sa completes a larval SA; a second add is Exists", "[kernel][fake]") {
  Fixture f;
  auto spi = f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 3);
  REQUIRE(spi);
  SaId id{A("192.0.2.1"), *spi, Proto::Esp};
  auto larval = f.k.get_sa(id);
  REQUIRE(larval);
  CHECK(larval->spec.enc.key.empty());
  CHECK(larval->spec.reqid == 3);

  auto sa = esp_sa("192.0.2.2", "192.0.2.1", *spi, 3);
  REQUIRE(f.k.add_sa(sa));
  CHECK_FALSE(f.k.is_larval(id));
  auto got = f.k.get_sa(id);
  REQUIRE(got);
  CHECK(got->spec.enc == sa.enc);
  CHECK(got->spec.src == A("192.0.2.2"));
  CHECK(f.k.sa_count() == 1);

  auto dup = f.k.add_sa(sa);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == ErrorCode::Exists);
  CHECK(dup.error().detail == fmt::format("add SA esp spi 0x{:08x} dst 192.0.2.1: File exists", *spi));

  // An SPI never reserved can be added directly.
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.1", "192.0.2.2", 0xc0000001, 3)));
  CHECK(f.k.sa_count() == 2);
}

TEST_CASE("FakeKernel: update, delete and get of missing SAs say NotFound like the kernel",
          "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 1);
  auto up = f.k.update_sa(sa);
  REQUIRE_FALSE(up);
  CHECK(up.error().code == ErrorCode::NotFound);
  CHECK(up.error().detail == "update SA esp spi 0x00001234 dst 192.0.2.1: No such process");

  auto del = f.k.del_sa(sa.id());
  REQUIRE_FALSE(del);
  CHECK(del.error().code == ErrorCode::NotFound);
  CHECK(del.error().detail == "delete SA esp spi 0x00001234 dst 192.0.2.1: No such process");

  auto get = f.k.get_sa(sa.id());
  REQUIRE_FALSE(get);
  CHECK(get.error().code == ErrorCode::NotFound);

  REQUIRE(f.k.add_sa(sa));
  REQUIRE(f.k.del_sa(sa.id()));
  CHECK_FALSE(f.k.has_sa(sa.id()));
  CHECK_FALSE(f.k.del_sa(sa.id()));
}

TEST_CASE("FakeKernel: update_sa replaces parameters and keeps counters", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 1);
  REQUIRE(f.k.add_sa(sa));
  REQUIRE(f.k.add_traffic(sa.id(), 1500, 3));
  sa.replay_window = 128;
  sa.encap = core::ipsec::Encap{};
  REQUIRE(f.k.update_sa(sa));
  auto got = f.k.get_sa(sa.id());
  REQUIRE(got);
  CHECK(got->spec.replay_window == 128);
  CHECK(got->spec.encap.has_value());
  CHECK(got->counters.bytes == 1500);
  CHECK(got->counters.packets == 3);
  CHECK(got->counters.add_time == 1704067200);  // SimulatedTime's wall start
}

TEST_CASE("FakeKernel: list_sas returns valid and larval SAs in SaId order", "[kernel][fake]") {
  Fixture f;
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.2", "192.0.2.1", 0x3000, 1)));
  REQUIRE(f.k.add_sa(esp_sa("192.0.2.1", "192.0.2.2", 0x2000, 1)));
  REQUIRE(f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 2, 0x1000, 0x1000));
  auto all = f.k.list_sas();
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].spec.spi == 0x1000);
  CHECK((*all)[1].spec.spi == 0x3000);
  CHECK((*all)[2].spec.dst == A("192.0.2.2"));
}

TEST_CASE("FakeKernel: the call log names each call and whether it succeeded", "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 9);
  REQUIRE(f.k.add_sa(sa));
  CHECK_FALSE(f.k.add_sa(sa));
  REQUIRE(f.k.get_sa(sa.id()));
  const auto& calls = f.k.calls();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].op == Op::AddSa);
  CHECK(calls[0].ok);
  CHECK(calls[0].summary == "esp spi 0x00001234 dst 192.0.2.1 src 192.0.2.2 reqid 9 tunnel");
  CHECK_FALSE(calls[1].ok);
  CHECK(calls[2].op == Op::GetSa);
  CHECK(f.k.count(Op::AddSa) == 2);
  CHECK(kernel::fake::op_name(Op::MigrateSa) == "migrate_sa");
  f.k.clear_log();
  CHECK(f.k.calls().empty());
}

TEST_CASE("FakeKernel: fail_next fails the next call of that op, once, changing nothing",
          "[kernel][fake]") {
  Fixture f;
  auto sa = esp_sa("192.0.2.2", "192.0.2.1", 0x1234, 1);
  f.k.fail_next(Op::AddSa, {ErrorCode::Kernel, "add SA: Requested type not found"});
  f.k.fail_next(Op::AddSa, {ErrorCode::Kernel, "add SA: No buffer space available"});
  f.k.fail_next(Op::AllocSpi, {ErrorCode::Kernel, "alloc SPI: Operation not permitted"});

  // Other ops are untouched.
  REQUIRE(f.k.add_policy(policy(sel("10.0.0.0/24", "10.1.0.0/24"), core::ipsec::Dir::Out,
                                {tunnel("192.0.2.2", "192.0.2.1", 1)})));

  auto first = f.k.add_sa(sa);
  REQUIRE_FALSE(first);
  CHECK(first.error().detail == "add SA: Requested type not found");
  CHECK_FALSE(f.k.has_sa(sa.id()));
  auto second = f.k.add_sa(sa);
  REQUIRE_FALSE(second);
  CHECK(second.error().detail == "add SA: No buffer space available");
  CHECK(f.k.add_sa(sa));
  CHECK(f.k.has_sa(sa.id()));

  CHECK_FALSE(f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1));
  CHECK(f.k.sa_count() == 1);  // no larval SA was left behind
  CHECK(f.k.alloc_spi(A("192.0.2.2"), A("192.0.2.1"), Proto::Esp, 1));

  std::size_t failed = 0;
  for (const auto& c : f.k.calls()) failed += !c.ok;
  CHECK(failed == 3);
}

TEST_CASE("FakeKernel: capabilities and name", "[kernel][fake]") {
  Fixture plain;
  CHECK(plain.k.name() == "fake");
  auto c = plain.k.capabilities();
  CHECK(c.migrate);
  CHECK(c.migrate_state);
  CHECK(c.km_address);
  CHECK_FALSE(c.acquire_packet);
  Fixture with_packet({.acquire_packet = true});
  CHECK(with_packet.k.capabilities().acquire_packet);
}

TEST_CASE("FakeKernel: inject hands an event to the handler and changes nothing",
          "[kernel][fake]") {
  Fixture f;
  core::ipsec::ExpireEvent ev{{A("192.0.2.1"), 0x99, Proto::Esp}, 4, true};
  f.k.inject(ev);
  REQUIRE(f.seen_of<core::ipsec::ExpireEvent>().size() == 1);
  CHECK(f.seen_of<core::ipsec::ExpireEvent>()[0].reqid == 4);
  CHECK(f.k.events().size() == 1);
  CHECK(f.k.sa_count() == 0);
}

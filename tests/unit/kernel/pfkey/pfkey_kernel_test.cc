// The PF_KEY socket layer: open() on this machine (no af_key: errno 97),
// and request/reply matching against a datagram socketpair standing in for
// the kernel, with replies queued before each call (the kernel answers
// inside send(), so a reply is always already queued).
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>

#include "core/loop/unique_fd.h"
#include "kernel/pfkey/pfkey_kernel.h"
#include "layout.h"

using namespace kernel::pfkey;
using core::net::Address;
using layout::Bytes;

namespace {

Address addr(const char* s) { return *Address::parse(s); }

constexpr std::uint32_t kPid = 4242;

// FakeKernel is the far end of a socketpair: it queues replies and reads
// back what the backend sent.
struct FakeKernel {
  core::UniqueFd peer;
  std::unique_ptr<PfkeyKernel> k;
  std::vector<core::ipsec::KernelEvent> events;

  explicit FakeKernel(const Dialect& d) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) == 0);
    peer.reset(fds[1]);
    k = PfkeyKernel::adopt(fds[0], d, kPid);
    k->set_event_handler([this](const core::ipsec::KernelEvent& ev) { events.push_back(ev); });
  }
  void queue(const Bytes& b) { REQUIRE(::send(peer.get(), b.data(), b.size(), 0) == static_cast<ssize_t>(b.size())); }
  Message sent() {
    Bytes buf(1 << 16);
    const ssize_t n = ::recv(peer.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    REQUIRE(n > 0);
    buf.resize(static_cast<std::size_t>(n));
    auto m = decode_message(buf, k->dialect());
    REQUIRE(m);
    return *m;
  }
};

Bytes spd_entry(std::uint8_t type, std::uint32_t seq, std::uint32_t pid, std::uint32_t id) {
  return layout::message(layout::header(type, 0, seq, pid),
                         {layout::address(SADB_EXT_ADDRESS_SRC, 255, 24, layout::lin4("10.1.1.0")),
                          layout::address(SADB_EXT_ADDRESS_DST, 255, 24, layout::lin4("10.2.2.0")),
                          layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, id, 0,
                                               layout::linux_request(IPPROTO_ESP, IPSEC_MODE_TRANSPORT, 2, 0))});
}

}  // namespace

TEST_CASE("open() explains a missing PF_KEY instead of failing obscurely", "[pfkey][socket]") {
  errno = 0;
  const int probe = ::socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
  const int e = errno;
  auto k = PfkeyKernel::open(Flavor::Linux);
  if (probe >= 0) {
    ::close(probe);
    WARN("this kernel has af_key: checking that open() succeeds instead");
    REQUIRE(k);
    CHECK((*k)->name() == "pfkey");
    return;
  }
  REQUIRE_FALSE(k);
  if (e == EAFNOSUPPORT) {
    // The machines kagi is tested on: no af_key module, errno 97.
    CHECK(k.error().code == core::ErrorCode::Unsupported);
    CHECK(k.error().detail ==
          "PF_KEY is not available on this system (socket(PF_KEY): Address family not supported by protocol); "
          "use --backend xfrm or userspace");
  } else {
    WARN("socket(PF_KEY) failed with errno " << e << ", not EAFNOSUPPORT");
    CHECK(k.error().code == core::ErrorCode::System);
    CHECK(k.error().detail == std::string("socket(PF_KEY): ") + std::strerror(e));
  }
}

TEST_CASE("A reply is matched by seq and pid; notifications in between are delivered after", "[pfkey][socket]") {
  FakeKernel fk(Dialect::linux_af_key());
  fk.queue(layout::message(layout::header(SADB_ACQUIRE, SADB_SATYPE_ESP, 77, 0),
                           {layout::address(SADB_EXT_ADDRESS_SRC, 0, 32, layout::lin4("192.0.2.1")),
                            layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("192.0.2.2")),
                            layout::linux_policy(IPSEC_POLICY_IPSEC, IPSEC_DIR_OUTBOUND, 0x10, 0)}));
  fk.queue(layout::message(layout::header(SADB_GETSPI, SADB_SATYPE_ESP, 1, 999),  // someone else's
                           {layout::sa(0x1111, 0, 0, 0, 0)}));
  fk.queue(layout::message(layout::header(SADB_GETSPI, SADB_SATYPE_ESP, 1, kPid), {layout::sa(0xabc, 0, 0, 0, 0)}));
  auto spi = fk.k->alloc_spi(addr("192.0.2.2"), addr("192.0.2.1"), core::ipsec::Proto::Esp, 9, 0x100, 0xffff);
  REQUIRE(spi);
  CHECK(*spi == 0xabc);
  REQUIRE(fk.events.size() == 1);
  CHECK(std::get<core::ipsec::AcquireEvent>(fk.events[0]).policy_index == 0x10);
  const Message req = fk.sent();
  CHECK(req.header.type == SADB_GETSPI);
  CHECK(req.header.seq == 1);
  CHECK(req.header.pid == kPid);
  CHECK(req.spirange->min == 0x100);
  CHECK(req.sa2->reqid == 9);
}

TEST_CASE("A reply's errno becomes Error{Kernel, \"<op>: <strerror>\"}", "[pfkey][socket]") {
  FakeKernel fk(Dialect::linux_af_key());
  fk.queue(layout::message(layout::header(SADB_ADD, SADB_SATYPE_ESP, 1, kPid, EEXIST), {}));
  core::ipsec::SaSpec sa;
  sa.src = addr("192.0.2.1");
  sa.dst = addr("192.0.2.2");
  sa.spi = 0x100;
  sa.enc = {12, 128, Bytes(16, 1)};
  sa.integ = {2, 0, Bytes(20, 2)};
  auto st = fk.k->add_sa(sa);
  REQUIRE_FALSE(st);
  CHECK(st.error().code == core::ErrorCode::Kernel);
  CHECK(st.error().detail == std::string("add SA: ") + std::strerror(EEXIST));
  CHECK(fk.sent().header.type == SADB_ADD);
}

TEST_CASE("KAME deletes name the source the SA was installed with", "[pfkey][socket][kame]") {
  FakeKernel fk(Dialect::kame_netbsd());
  core::ipsec::SaSpec sa;
  sa.src = addr("192.0.2.1");
  sa.dst = addr("192.0.2.2");
  sa.spi = 0x100;
  sa.integ = {12, 0, Bytes(32, 2)};
  sa.proto = core::ipsec::Proto::Ah;
  fk.queue(layout::message(layout::header(SADB_ADD, SADB_SATYPE_AH, 1, kPid), {}));
  REQUIRE(fk.k->add_sa(sa));
  CHECK(fk.sent().src->sa.addr == sa.src);
  fk.queue(layout::message(layout::header(SADB_DELETE, SADB_SATYPE_AH, 2, kPid), {}));
  REQUIRE(fk.k->del_sa(sa.id()));
  const Message del = fk.sent();
  CHECK(del.header.type == SADB_DELETE);
  CHECK(del.src->sa.addr == sa.src);
  CHECK(del.sa->spi == 0x100);
}

TEST_CASE("Dumps collect entries until sequence 0", "[pfkey][socket]") {
  FakeKernel fk(Dialect::linux_af_key());
  fk.queue(spd_entry(SADB_X_SPDDUMP, 1, kPid, 0x41));
  fk.queue(spd_entry(SADB_X_SPDADD, 0, 555, 0x99));  // another key manager's add, mid-dump
  fk.queue(spd_entry(SADB_X_SPDDUMP, 0, kPid, 0x42));
  auto pols = fk.k->list_policies();
  REQUIRE(pols);
  REQUIRE(pols->size() == 2);
  CHECK((*pols)[0].index == 0x41);
  CHECK((*pols)[1].index == 0x42);
  REQUIRE(fk.events.size() == 1);
  CHECK(std::get<core::ipsec::PolicyEvent>(fk.events[0]).policy.index == 0x99);

  fk.queue(layout::message(layout::header(SADB_DUMP, 0, 0, kPid, ENOENT), {}));  // empty SAD
  auto sas = fk.k->list_sas();
  REQUIRE(sas);
  CHECK(sas->empty());
}

TEST_CASE("migrate: no reply is success, an errno reply is failure", "[pfkey][socket][migrate]") {
  FakeKernel fk(Dialect::linux_af_key());
  core::ipsec::MigrateRequest r;
  r.selector.src = core::net::Prefix::host(addr("10.0.0.1"));
  r.selector.dst = core::net::Prefix::host(addr("10.0.0.2"));
  r.entries.push_back({core::ipsec::Proto::Esp, core::ipsec::Mode::Tunnel, 5, addr("192.0.2.1"), addr("192.0.2.2"),
                       addr("192.0.2.3"), addr("192.0.2.2")});
  REQUIRE(fk.k->migrate(r));
  CHECK(fk.sent().header.type == SADB_X_MIGRATE);
  fk.queue(layout::message(layout::header(SADB_X_MIGRATE, SADB_SATYPE_ESP, 2, kPid, EINVAL), {}));
  auto st = fk.k->migrate(r);
  REQUIRE_FALSE(st);
  CHECK(st.error().detail == std::string("migrate: ") + std::strerror(EINVAL));
  CHECK(fk.k->migrate_sa({addr("192.0.2.2"), 1, core::ipsec::Proto::Esp}, addr("192.0.2.3"), addr("192.0.2.2"),
                         std::nullopt)
            .error()
            .code == core::ErrorCode::Unsupported);
}

TEST_CASE("on_readable skips what does not decode and delivers the rest", "[pfkey][socket]") {
  FakeKernel fk(Dialect::linux_af_key());
  fk.queue(Bytes{2, 8, 0, 3, 9, 0});  // truncated header
  fk.queue(layout::message(layout::header(SADB_EXPIRE, SADB_SATYPE_ESP, 0, 0),
                           {layout::sa(0x77, 0, 2, 0, 0), layout::lifetime(SADB_EXT_LIFETIME_HARD, 0, 0, 1),
                            layout::address(SADB_EXT_ADDRESS_DST, 0, 32, layout::lin4("192.0.2.9"))}));
  fk.k->on_readable();
  REQUIRE(fk.events.size() == 1);
  const auto& ex = std::get<core::ipsec::ExpireEvent>(fk.events[0]);
  CHECK(ex.hard);
  CHECK(ex.sa.spi == 0x77);
  CHECK(fk.k->capabilities().km_address);
  CHECK_FALSE(fk.k->capabilities().acquire_packet);
}

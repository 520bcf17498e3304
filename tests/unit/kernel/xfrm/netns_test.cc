// Real-kernel tests of the XFRM backend, each in a forked child inside its
// own network namespace (netns_child.h). They run only as root where
// unshare(CLONE_NEWNET) works, and are skipped with a warning elsewhere.
// Addresses are documentation ranges (RFC 5737, RFC 3849).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "core/crypto/transform_ids.h"
#include "kernel/xfrm/xfrm_kernel.h"
#include "tests/fuzz/kernel/xfrm_compare.h"
#include "tests/unit/kernel/xfrm/netns_child.h"

using namespace core::ipsec;
using kernel::xfrm::XfrmKernel;
using xfrm_test::Checks;
using xfrm_test::sh;

namespace {

core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

core::net::Selector S(const char* src, const char* dst, std::uint8_t proto = 0) {
  core::net::Selector s;
  s.src = P(src);
  s.dst = P(dst);
  s.proto = proto;
  return s;
}

// Harness opens the backend in the child and records its events.
struct Harness {
  std::unique_ptr<XfrmKernel> k;
  std::vector<KernelEvent> events;

  bool open(Checks& c) {
    auto r = XfrmKernel::open();
    if (!c.check(bool(r), "XfrmKernel::open: " + (r ? "" : r.error().detail))) return false;
    k = std::move(*r);
    k->set_event_handler([this](const KernelEvent& e) { events.push_back(e); });
    return true;
  }

  // wait_for reads events until one satisfies pred or ms milliseconds pass.
  template <typename T>
  std::optional<T> wait_for(const std::function<bool(const T&)>& pred, int ms) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::size_t seen = 0;
    for (;;) {
      for (; seen < events.size(); ++seen)
        if (auto* e = std::get_if<T>(&events[seen]); e && pred(*e)) return *e;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      end - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return std::nullopt;
      pollfd p{k->event_fd(), POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::min<long>(left, 200))) > 0) k->on_readable();
    }
  }

  const PolicySpec* find(const std::vector<PolicySpec>& list, const core::net::Selector& s,
                         Dir d) {
    for (const auto& p : list)
      if (p.selector == s && p.dir == d) return &p;
    return nullptr;
  }
};

void require_ran(const std::optional<std::string>& r) {
  if (!r) {
    WARN("skipped: needs root and unshare(CLONE_NEWNET)");
    return;
  }
  INFO(*r);
  CHECK(r->empty());
}

std::string err_text(const core::Status& st) { return st ? "" : st.error().detail; }

}  // namespace

TEST_CASE("Policies are added, updated, listed, deleted and flushed", "[xfrm][netns]") {
  require_ran(xfrm_test::run_in_netns([](Checks& c) {
    Harness h;
    if (!h.open(c)) return;
    XfrmKernel& k = *h.k;
    c.check(k.capabilities().migrate, "MIGRATE capability probed");
    c.check(!k.capabilities().migrate_state, "no MIGRATE_STATE");

    // Another program's policy, which flush_own must leave alone.
    c.check(sh("ip xfrm policy add src 203.0.113.0/24 dst 198.51.100.0/24 dir out action block"),
            "ip xfrm policy add (foreign)");
    auto foreign = h.wait_for<PolicyEvent>(
        [](const PolicyEvent& e) {
          return e.kind == PolicyEvent::Kind::Added && e.policy.selector.src == P("203.0.113.0/24");
        },
        2000);
    c.check(foreign && foreign->policy.action == Action::Discard, "PolicyEvent for foreign add");

    PolicySpec mh;  // Binding Update to the home agent (MH type 5)
    mh.selector = S("2001:db8::1/128", "2001:db8::2/128", core::net::proto::kMh);
    mh.selector.sport = core::net::PortRange::single(5);
    mh.priority = 10;
    mh.templates.push_back({Proto::Esp, Mode::Transport, {}, {}, 1, Level::Use});
    PolicySpec icmp;  // ICMPv6 echo request, type 128 code 0
    icmp.selector = S("2001:db8::2/128", "2001:db8::1/128", core::net::proto::kIcmpv6);
    icmp.selector.sport = core::net::PortRange::single(128);
    icmp.selector.dport = core::net::PortRange::single(0);
    icmp.dir = Dir::In;
    icmp.templates.push_back({Proto::Esp, Mode::Transport, {}, {}, 2, Level::Require});
    PolicySpec fwd;
    fwd.selector = S("192.0.2.0/24", "198.51.100.0/24");
    fwd.dir = Dir::Fwd;
    fwd.priority = 100;
    fwd.templates.push_back(
        {Proto::Esp, Mode::Tunnel, A("203.0.113.1"), A("203.0.113.2"), 3, Level::Unique});
    PolicySpec ssh;
    ssh.selector = S("192.0.2.0/24", "192.0.2.0/24", core::net::proto::kTcp);
    ssh.selector.dport = core::net::PortRange::single(22);
    ssh.action = Action::Bypass;
    ssh.priority = 5;

    for (PolicySpec* p : {&mh, &icmp, &fwd, &ssh}) {
      auto idx = k.add_policy(*p);
      if (!c.check(bool(idx), "add_policy " + p->to_string() + ": " +
                                  (idx ? "" : idx.error().detail)))
        return;
      c.check(*idx != 0, "kernel index for " + p->to_string());
      p->index = *idx;
    }
    auto again = k.add_policy(mh);
    c.check(!again && again.error().code == core::ErrorCode::Kernel &&
                again.error().detail.find("File exists") != std::string::npos,
            "second add of the same policy fails with EEXIST");

    auto list = k.list_policies();
    if (!c.check(bool(list), "list_policies")) return;
    for (const PolicySpec* p : {&mh, &icmp, &fwd, &ssh}) {
      const PolicySpec* got = h.find(*list, p->selector, p->dir);
      c.check(got && xfrm_test::same(*got, *p), "listed as added: " + p->to_string() + " got " +
                                                    (got ? got->to_string() : "nothing"));
    }

    fwd.priority = 50;
    auto upd = k.update_policy(fwd);
    c.check(upd && *upd == fwd.index, "update_policy keeps the index");
    list = k.list_policies();
    const PolicySpec* got = list ? h.find(*list, fwd.selector, Dir::Fwd) : nullptr;
    c.check(got && got->priority == 50, "updated priority listed");

    c.check(bool(k.del_policy({icmp.selector, Dir::In, {}})), "del_policy");
    list = k.list_policies();
    c.check(list && !h.find(*list, icmp.selector, Dir::In), "deleted policy gone");

    // Our own changes are not echoed back as events.
    h.wait_for<PolicyEvent>([](const PolicyEvent&) { return false; }, 200);
    for (const auto& e : h.events)
      if (auto* pe = std::get_if<PolicyEvent>(&e))
        c.check(pe->policy.selector.src == P("203.0.113.0/24"),
                "unexpected echo of our own policy " + pe->policy.to_string());

    c.check(bool(k.flush_own()), "flush_own");
    c.check(k.own_policy_count() == 0, "nothing of ours left");
    list = k.list_policies();
    c.check(list && list->size() == 1 &&
                h.find(*list, S("203.0.113.0/24", "198.51.100.0/24"), Dir::Out),
            "only the foreign policy survives the flush");
    c.check(sh("ip xfrm policy list | grep -q 203.0.113.0/24"), "ip xfrm still lists it");
  }));
}

TEST_CASE("ALLOCSPI reserves an SPI; ESP SAs fail clearly without kernel ESP", "[xfrm][netns]") {
  require_ran(xfrm_test::run_in_netns([](Checks& c) {
    Harness h;
    if (!h.open(c)) return;
    XfrmKernel& k = *h.k;
    auto spi = k.alloc_spi(A("192.0.2.1"), A("192.0.2.2"), Proto::Esp, 5, 0x1000, 0x1fff);
    if (!c.check(bool(spi), "alloc_spi: " + (spi ? "" : spi.error().detail))) return;
    c.check(*spi >= 0x1000 && *spi <= 0x1fff, "SPI in the asked range");
    SaId id{A("192.0.2.2"), *spi, Proto::Esp};
    auto sas = k.list_sas();
    bool listed = false;
    if (sas)
      for (const auto& sa : *sas)
        listed |= sa.spec.id() == id && sa.spec.reqid == 5 && sa.spec.src == A("192.0.2.1");
    c.check(listed, "reserved SPI listed with its reqid");
    auto got = k.get_sa(id);
    c.check(got && got->spec.reqid == 5, "get_sa of the reserved SPI");

    SaSpec sa;
    sa.src = A("192.0.2.1");
    sa.dst = A("192.0.2.2");
    sa.spi = *spi;
    sa.mode = Mode::Tunnel;
    sa.reqid = 5;
    sa.enc = {core::crypto::EncrId::AesCbc, 128, std::vector<std::uint8_t>(16, 1)};
    sa.integ = {core::crypto::IntegId::HmacSha1_96, 0, std::vector<std::uint8_t>(20, 2)};
    SaSpec fresh = sa;
    fresh.spi = 0x2000;
    for (const SaSpec* s : {&sa, &fresh}) {
      auto st = k.add_sa(*s);
      if (k.capabilities().esp) {
        c.check(bool(st), "add_sa with kernel ESP: " + err_text(st));
        continue;
      }
      std::string d = err_text(st);
      c.check(!st && st.error().code == core::ErrorCode::Kernel, "add_sa refused: " + d);
      c.check(d.find("add SA esp spi 0x") == 0, "error names the SA: " + d);
      c.check(d.find("Requested type not found") != std::string::npos ||
                  d.find("Protocol not supported") != std::string::npos,
              "error says there is no ESP: " + d);
    }
    c.check(bool(k.flush_own()), "flush_own");
    c.check(!k.get_sa(id), "reserved SPI released by flush_own");
  }));
}

TEST_CASE("A packet matching a template policy raises ACQUIRE, then EXPIRE", "[xfrm][netns]") {
  require_ran(xfrm_test::run_in_netns([](Checks& c) {
    if (!c.check(sh("ip link add v0 type veth peer name v1") &&
                     sh("ip addr add 192.0.2.1/24 dev v0") && sh("ip link set v0 up") &&
                     sh("ip link set v1 up"),
                 "veth with 192.0.2.1/24"))
      return;
    // Larval SAs of this namespace expire after 1 s instead of 30.
    std::ofstream("/proc/sys/net/core/xfrm_acq_expires") << "1";
    Harness h;
    if (!h.open(c)) return;
    PolicySpec p;
    p.selector = S("192.0.2.1/32", "192.0.2.2/32", core::net::proto::kUdp);
    p.templates.push_back(
        {Proto::Esp, Mode::Tunnel, A("192.0.2.1"), A("192.0.2.2"), 7, Level::Require});
    auto idx = h.k->add_policy(p);
    if (!c.check(bool(idx), "add_policy")) return;

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in src{}, dst{};
    src.sin_family = dst.sin_family = AF_INET;
    inet_pton(AF_INET, "192.0.2.1", &src.sin_addr);
    inet_pton(AF_INET, "192.0.2.2", &dst.sin_addr);
    dst.sin_port = htons(9);
    c.check(bind(s, reinterpret_cast<sockaddr*>(&src), sizeof(src)) == 0, "bind 192.0.2.1");
    // With xfrm_larval_drop the packet is dropped; only the ACQUIRE matters.
    (void)sendto(s, "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst));
    close(s);

    auto acq = h.wait_for<AcquireEvent>([](const AcquireEvent&) { return true; }, 3000);
    if (!c.check(bool(acq), "AcquireEvent received")) return;
    c.check(acq->policy_index == *idx, "acquire names the policy index");
    c.check(acq->tmpl == p.templates[0], "acquire carries the template");
    c.check(acq->src == A("192.0.2.1") && acq->dst == A("192.0.2.2"), "acquire endpoints");
    c.check(acq->selector.proto == core::net::proto::kUdp &&
                acq->selector.dport == core::net::PortRange::single(9),
            "acquire selector is the packet's: " + acq->selector.to_string());

    auto exp = h.wait_for<ExpireEvent>(
        [](const ExpireEvent& e) { return e.hard && e.reqid == 7; }, 5000);
    c.check(exp && exp->sa.dst == A("192.0.2.2") && exp->sa.proto == Proto::Esp,
            "hard ExpireEvent for the larval SA");
  }));
}

TEST_CASE("MIGRATE with KM address moves the template and is broadcast", "[xfrm][netns]") {
  require_ran(xfrm_test::run_in_netns([](Checks& c) {
    Harness h;
    if (!h.open(c)) return;
    XfrmKernel& k = *h.k;
    PolicySpec p;
    p.selector = S("2001:db8:a::1/128", "2001:db8:b::1/128");
    p.templates.push_back(
        {Proto::Esp, Mode::Tunnel, A("2001:db8:c::1"), A("2001:db8:d::1"), 9, Level::Require});
    if (!c.check(bool(k.add_policy(p)), "add_policy")) return;

    MigrateRequest req;
    req.selector = p.selector;
    req.dir = Dir::Out;
    req.entries.push_back({Proto::Esp, Mode::Tunnel, 9, A("2001:db8:c::1"), A("2001:db8:d::1"),
                           A("2001:db8:e::1"), A("2001:db8:d::1")});
    req.new_km = KmAddress{A("2001:db8:e::1"), A("2001:db8:d::1")};
    auto st = k.migrate(req);
    if (!c.check(bool(st), "migrate: " + err_text(st))) return;

    auto ev = h.wait_for<MigrateEvent>([](const MigrateEvent&) { return true; }, 2000);
    c.check(ev && xfrm_test::same(ev->request, req), "MigrateEvent equals the request");

    auto list = k.list_policies();
    const PolicySpec* got = list ? h.find(*list, p.selector, Dir::Out) : nullptr;
    c.check(got && got->templates.size() == 1 && got->templates[0].src == A("2001:db8:e::1") &&
                got->templates[0].dst == A("2001:db8:d::1"),
            "template moved to the new care-of address");

    MigrateRequest none = req;
    none.selector = S("2001:db8:f::1/128", "2001:db8:b::1/128");
    auto missing = k.migrate(none);
    c.check(!missing && missing.error().detail.find("No such file") != std::string::npos,
            "MIGRATE of a missing policy: " + err_text(missing));
    c.check(bool(k.flush_own()), "flush_own");
  }));
}

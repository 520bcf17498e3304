// UserspaceKernel packet paths between two detached data planes: tunnel and
// transport mode over IPv4 and IPv6, acquires, bypass/discard, the inbound
// policy check, ESP drops, UDP encapsulation, byte/packet lifetimes, and
// traffic that keeps flowing through update_sa and MIGRATE.
#include <catch2/catch.hpp>

#include "usp_fixture.h"

using namespace usp_test;
using namespace std::chrono_literals;
using core::ipsec::AcquireEvent;
using core::ipsec::Action;
using core::ipsec::Dir;
using core::ipsec::ExpireEvent;
using core::ipsec::Mode;
using core::ipsec::Proto;
using core::ipsec::SaId;
using kernel::userspace::parse_ip_packet;

TEST_CASE("datapath: tunnel mode, IPv4 and IPv6, both ways", "[kernel][userspace][datapath]") {
  TunnelPair t;
  REQUIRE(t.ok);
  Bytes v4 = udp_packet("198.51.100.1", "203.0.113.1");
  t.a.k->on_tun_packet(v4);
  REQUIRE(t.a.io.esp.size() == 1);
  CHECK(t.a.io.esp[0].src == A("192.0.2.1"));
  CHECK(t.a.io.esp[0].dst == A("192.0.2.2"));
  CHECK(t.a.io.esp[0].esp.size() > v4.size());
  t.a_to_b();
  REQUIRE(t.b.io.tun.size() == 1);
  CHECK(t.b.io.tun[0] == v4);

  Bytes v6 = udp_packet("2001:db8:b::1", "2001:db8:a::1", 5000, 5001, 1200);
  t.b.k->on_tun_packet(v6);
  REQUIRE(t.b.io.esp.size() == 1);
  CHECK(t.b.io.esp[0].src == A("2001:db8:1::2"));
  t.b_to_a();
  REQUIRE(t.a.io.tun.size() == 1);
  CHECK(t.a.io.tun[0] == v6);

  const auto& sa = t.a.k->statistics();
  CHECK(sa.packets_out == 1);
  CHECK(sa.packets_in == 1);
  CHECK(sa.bytes_in == v6.size());
  auto info = t.a.k->get_sa(SaId{A("192.0.2.2"), 0x1001});
  REQUIRE(info);
  CHECK(info->counters.packets == 1);
  CHECK(info->counters.bytes == v4.size());
}

TEST_CASE("datapath: transport mode rebuilds the IP header", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  Node a(time), b(time);
  for (auto [local, remote] : {std::pair{"192.0.2.1", "192.0.2.2"}, std::pair{"2001:db8:1::1", "2001:db8:1::2"}}) {
    std::string l(local), r(remote);
    std::string lp = l + (l.find(':') == std::string::npos ? "/32" : "/128");
    std::string rp = r + (r.find(':') == std::string::npos ? "/32" : "/128");
    std::uint32_t spi = l.find(':') == std::string::npos ? 0x3000 : 0x3100;
    REQUIRE(a.k->add_sa(gcm_sa(local, remote, spi, 4, false, Mode::Transport)));
    REQUIRE(b.k->add_sa(gcm_sa(local, remote, spi, 4, true, Mode::Transport)));
    REQUIRE(a.k->add_policy(policy(lp.c_str(), rp.c_str(), Dir::Out, {tmpl(local, remote, 4, Mode::Transport)},
                                   Action::Protect, 17)));
    REQUIRE(b.k->add_policy(policy(lp.c_str(), rp.c_str(), Dir::In, {tmpl(local, remote, 4, Mode::Transport)},
                                   Action::Protect, 17)));
    Bytes p = udp_packet(local, remote, 1701, 1701, 40);
    a.k->on_tun_packet(p);
    REQUIRE(a.io.esp.size() == 1);
    // Only the UDP part is inside: the ESP packet is shorter than tunnel mode's would be.
    CHECK(a.io.esp[0].esp.size() < p.size() + 8 + 8 + 16);
    b.k->on_esp_packet(a.io.esp[0].esp, a.io.esp[0].src, a.io.esp[0].dst);
    a.io.esp.clear();
    REQUIRE(b.io.tun.size() == 1);
    auto in = parse_ip_packet(b.io.tun[0]);
    auto sent = parse_ip_packet(p);
    REQUIRE((in && sent));
    CHECK(in->src == sent->src);
    CHECK(in->dst == sent->dst);
    CHECK(in->proto == 17);
    CHECK(in->sport == 1701);
    CHECK(Bytes(b.io.tun[0].begin() + in->l4_offset, b.io.tun[0].end()) ==
          Bytes(p.begin() + sent->l4_offset, p.end()));
    b.io.tun.clear();
  }
  // Protocols other than the policy's pass in clear (no policy matches them).
  a.k->on_tun_packet(udp_packet("192.0.2.1", "192.0.2.2") /* UDP */);
  CHECK(a.io.esp.size() == 1);
  Bytes icmp;
  REQUIRE(kernel::userspace::build_ip_packet(A("192.0.2.1"), A("192.0.2.2"), 1, 64, Bytes{8, 0, 0, 0, 0, 1, 0, 1},
                                             icmp));
  a.k->on_tun_packet(icmp);
  CHECK(a.io.clear.size() == 1);
  CHECK(a.k->statistics().passed_clear == 1);
}

TEST_CASE("datapath: no SA raises one acquire per second with the packet", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  Node a(time);
  auto out = policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)});
  auto idx = a.k->add_policy(out);
  REQUIRE(idx);
  Bytes p = udp_packet("198.51.100.1", "203.0.113.1", 4000, 53);
  a.k->on_tun_packet(p);
  auto acq = a.events_of<AcquireEvent>();
  REQUIRE(acq.size() == 1);
  CHECK(acq[0].policy_index == *idx);
  CHECK(acq[0].tmpl.reqid == 1);
  CHECK(acq[0].src == A("192.0.2.1"));
  CHECK(acq[0].dst == A("192.0.2.2"));
  CHECK(acq[0].selector.src == P("198.51.100.1/32"));
  CHECK(acq[0].selector.dst == P("203.0.113.1/32"));
  CHECK(acq[0].selector.proto == 17);
  CHECK(acq[0].selector.dport == core::net::PortRange::single(53));
  REQUIRE(acq[0].packet);
  CHECK(*acq[0].packet == p);
  CHECK(a.k->statistics().drops.no_sa == 1);

  a.k->on_tun_packet(p);
  a.k->on_tun_packet(udp_packet("198.51.100.2", "203.0.113.9"));  // same policy, same gateway
  CHECK(a.events_of<AcquireEvent>().size() == 1);
  CHECK(a.k->statistics().drops.no_sa == 3);
  time.advance(1s);
  a.k->on_tun_packet(p);
  CHECK(a.events_of<AcquireEvent>().size() == 2);
  CHECK(a.k->statistics().acquires == 2);
  CHECK(a.io.esp.empty());
  CHECK(a.io.clear.empty());

  // Once the SA is there the packet goes out.
  REQUIRE(a.k->add_sa(gcm_sa("192.0.2.1", "192.0.2.2", 0x77, 1, false)));
  a.k->on_tun_packet(p);
  CHECK(a.io.esp.size() == 1);
}

TEST_CASE("datapath: an optional (Use) template passes in clear without an SA", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  Node a(time);
  REQUIRE(a.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out,
                                 {tmpl("192.0.2.1", "192.0.2.2", 1, Mode::Tunnel, core::ipsec::Level::Use)})));
  a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.1"));
  CHECK(a.events_of<AcquireEvent>().size() == 1);
  CHECK(a.io.clear.size() == 1);
  CHECK(a.k->statistics().drops.no_sa == 0);
}

TEST_CASE("datapath: bypass, discard and unmatched packets", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  kernel::userspace::Options strict;
  strict.clear_unmatched = false;
  Node a(time, strict);
  REQUIRE(a.k->add_policy(policy("0.0.0.0/0", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)})));
  REQUIRE(a.k->add_policy(policy("0.0.0.0/0", "203.0.113.5/32", Dir::Out, {}, Action::Bypass, 0, 10)));
  REQUIRE(a.k->add_policy(policy("0.0.0.0/0", "203.0.113.6/32", Dir::Out, {}, Action::Discard, 0, 10)));
  a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.5"));
  a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.6"));
  a.k->on_tun_packet(udp_packet("198.51.100.1", "192.0.2.99"));
  a.k->on_tun_packet(Bytes{0x45, 0, 0});
  // The TUN link's own traffic (an MLD report, a broadcast) never leaves.
  a.k->on_tun_packet(udp_packet("fe80::1", "ff02::16"));
  a.k->on_tun_packet(udp_packet("198.51.100.1", "255.255.255.255"));
  const auto& s = a.k->statistics();
  CHECK(a.io.clear.size() == 1);
  CHECK(s.passed_clear == 1);
  CHECK(s.drops.discard == 1);
  CHECK(s.drops.no_policy == 1);
  CHECK(s.drops.malformed == 1);
  CHECK(s.tun_local == 2);
  CHECK(a.events.empty());
  // A failing socket is counted, not fatal.
  a.io.fail = true;
  a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.5"));
  CHECK(s.drops.send_failed == 1);
}

TEST_CASE("datapath: inbound checks: SPI, policy, replay, integrity", "[kernel][userspace][datapath]") {
  TunnelPair t;
  REQUIRE(t.ok);
  // A packet whose inner addresses fall under no inbound policy of the SA.
  t.a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.1"));
  REQUIRE(t.a.io.esp.size() == 1);
  auto esp = t.a.io.esp[0];
  t.a.io.esp.clear();
  REQUIRE(t.b.k->del_policy(core::ipsec::PolicyKey{policy("198.51.100.0/24", "203.0.113.0/24", Dir::In, {}).selector,
                                                   Dir::In, {}}));
  REQUIRE(t.b.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::In, {tmpl("192.0.2.1", "192.0.2.2", 99)})));
  auto copy = esp.esp;
  t.b.k->on_esp_packet(copy, esp.src, esp.dst);
  CHECK(t.b.io.tun.empty());
  CHECK(t.b.k->statistics().drops.policy_mismatch == 1);

  // A Fwd policy of the SA's reqid admits it (this host is the gateway).
  REQUIRE(t.b.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::Fwd, {tmpl("192.0.2.1", "192.0.2.2", 1)})));
  t.a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.1"));
  t.a_to_b();
  CHECK(t.b.io.tun.size() == 1);

  // Replayed, tampered, unknown and truncated ESP.
  copy = esp.esp;
  t.b.k->on_esp_packet(copy, esp.src, esp.dst);  // seq 1 was seen (its inner packet refused later)
  t.a.k->on_tun_packet(udp_packet("198.51.100.1", "203.0.113.1"));
  REQUIRE(t.a.io.esp.size() == 1);
  copy = t.a.io.esp[0].esp;  // seq 3, never seen
  copy[copy.size() - 1] ^= 1;
  t.b.k->on_esp_packet(copy, esp.src, esp.dst);
  copy = esp.esp;
  copy[3] ^= 0x40;
  t.b.k->on_esp_packet(copy, esp.src, esp.dst);
  Bytes tiny{0, 0};
  t.b.k->on_esp_packet(tiny, esp.src, esp.dst);
  const auto& s = t.b.k->statistics();
  CHECK(s.drops.esp_replay == 1);
  CHECK(s.drops.esp_integrity == 1);
  CHECK(s.drops.unknown_spi == 1);
  CHECK(s.drops.malformed == 1);
  CHECK(t.b.io.tun.size() == 1);
}

TEST_CASE("datapath: UDP encapsulation goes through the daemon's socket", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  Node a(time), b(time);
  auto out = gcm_sa("192.0.2.1", "192.0.2.2", 0x4000, 1, false);
  out.encap = core::ipsec::Encap{4500, 4501};
  auto in = out;
  in.inbound = true;
  REQUIRE(a.k->add_sa(out));
  REQUIRE(b.k->add_sa(in));
  REQUIRE(a.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)})));
  REQUIRE(b.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::In, {tmpl("192.0.2.1", "192.0.2.2", 1)})));
  Bytes p = udp_packet("198.51.100.1", "203.0.113.1");
  a.k->on_tun_packet(p);  // no sender yet
  CHECK(a.k->statistics().drops.send_failed == 1);

  struct Datagram {
    Bytes data;
    core::net::Endpoint local, remote;
  };
  std::vector<Datagram> sent;
  a.k->set_udp_sender([&](std::span<const std::uint8_t> d, const core::net::Endpoint& l,
                          const core::net::Endpoint& r) { sent.push_back({Bytes(d.begin(), d.end()), l, r}); });
  a.k->on_tun_packet(p);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].local == core::net::Endpoint{A("192.0.2.1"), 4500});
  CHECK(sent[0].remote == core::net::Endpoint{A("192.0.2.2"), 4501});
  CHECK(a.io.esp.empty());
  b.k->on_udp_esp(sent[0].data, sent[0].remote, sent[0].local);
  REQUIRE(b.io.tun.size() == 1);
  CHECK(b.io.tun[0] == p);
}

TEST_CASE("datapath: packet limits expire the SA", "[kernel][userspace][datapath]") {
  core::SimulatedTime time;
  Node a(time);
  auto out = gcm_sa("192.0.2.1", "192.0.2.2", 0x5000, 1, false);
  out.lifetime.soft_packets = 2;
  out.lifetime.hard_packets = 3;
  REQUIRE(a.k->add_sa(out));
  REQUIRE(a.k->add_policy(policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out, {tmpl("192.0.2.1", "192.0.2.2", 1)})));
  Bytes p = udp_packet("198.51.100.1", "203.0.113.1");
  a.k->on_tun_packet(p);
  CHECK(a.events.empty());
  a.k->on_tun_packet(p);
  auto ev = a.events_of<ExpireEvent>();
  REQUIRE(ev.size() == 1);
  CHECK_FALSE(ev[0].hard);
  a.k->on_tun_packet(p);
  ev = a.events_of<ExpireEvent>();
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].hard);
  CHECK(ev[1].sa == out.id());
  CHECK(a.io.esp.size() == 3);
  CHECK(a.k->get_sa(out.id()).error().code == core::ErrorCode::NotFound);
  a.k->on_tun_packet(p);  // now an acquire
  CHECK(a.events_of<AcquireEvent>().size() == 1);
}

TEST_CASE("datapath: traffic flows on through update_sa and MIGRATE", "[kernel][userspace][datapath]") {
  TunnelPair t;
  REQUIRE(t.ok);
  Bytes p = udp_packet("198.51.100.1", "203.0.113.1");
  for (int i = 0; i < 3; ++i) t.a.k->on_tun_packet(p);
  t.a_to_b();
  REQUIRE(t.b.io.tun.size() == 3);

  // update_sa keeps keys, sequence numbers and counters.
  auto upd = gcm_sa("192.0.2.1", "192.0.2.2", 0x1001, 1, false);
  upd.enc.key.assign(20, 0xee);  // ignored for a keyed SA, as XFRM_MSG_UPDSA
  upd.lifetime.hard_seconds = 3600;
  REQUIRE(t.a.k->update_sa(upd));
  CHECK(t.a.k->get_sa(upd.id())->counters.packets == 3);
  t.a.k->on_tun_packet(p);
  t.a_to_b();
  REQUIRE(t.b.io.tun.size() == 4);

  // a moves from 192.0.2.1 to 192.0.2.10: both ends migrate; b's replay
  // window accepts what follows, so the sequence numbers went on.
  core::ipsec::MigrateRequest out_a;
  out_a.selector = policy("198.51.100.0/24", "203.0.113.0/24", Dir::Out, {}).selector;
  out_a.dir = Dir::Out;
  out_a.entries.push_back({Proto::Esp, Mode::Tunnel, 1, A("192.0.2.1"), A("192.0.2.2"), A("192.0.2.10"), A("192.0.2.2")});
  REQUIRE(t.a.k->migrate(out_a));
  core::ipsec::MigrateRequest in_b;
  in_b.selector = out_a.selector;
  in_b.dir = Dir::In;
  in_b.entries.push_back({Proto::Esp, Mode::Tunnel, 1, A("192.0.2.1"), A("192.0.2.2"), A("192.0.2.10"), A("192.0.2.2")});
  REQUIRE(t.b.k->migrate(in_b));
  t.a.k->on_tun_packet(p);
  REQUIRE(t.a.io.esp.size() == 1);
  CHECK(t.a.io.esp[0].src == A("192.0.2.10"));
  t.a_to_b();
  CHECK(t.b.io.tun.size() == 5);
  CHECK(t.b.k->statistics().drops.esp_replay == 0);
  CHECK(t.b.k->get_sa(SaId{A("192.0.2.2"), 0x1001})->counters.packets == 5);
}

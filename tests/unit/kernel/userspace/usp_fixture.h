// tests/unit/kernel/userspace/usp_fixture.h — two detached UserspaceKernels
// on simulated time, with captured packets and events, and builders for
// packets, SAs and policies.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/clock/simulated_time.h"
#include "core/ipsec/events.h"
#include "core/net/address.h"
#include "core/net/selector.h"
#include "kernel/userspace/packet.h"
#include "kernel/userspace/userspace_kernel.h"

namespace usp_test {

using Bytes = std::vector<std::uint8_t>;

inline core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
inline core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

// CaptureIo records what a kernel sends; fail makes every send fail.
struct CaptureIo final : kernel::userspace::PacketIo {
  struct Esp {
    Bytes esp;
    core::net::Address src, dst;
  };
  std::vector<Bytes> tun, clear;
  std::vector<Esp> esp;
  bool fail = false;

  core::Status result() {
    if (fail) return core::fail(core::ErrorCode::System, "send: test failure");
    return core::ok();
  }
  core::Status to_tun(std::span<const std::uint8_t> p) override {
    if (!fail) tun.emplace_back(p.begin(), p.end());
    return result();
  }
  core::Status send_esp(std::span<const std::uint8_t> e, const core::net::Address& s,
                        const core::net::Address& d) override {
    if (!fail) esp.push_back({Bytes(e.begin(), e.end()), s, d});
    return result();
  }
  core::Status send_clear(std::span<const std::uint8_t> p, const core::net::Address&) override {
    if (!fail) clear.emplace_back(p.begin(), p.end());
    return result();
  }
};

// Node is one detached data plane with its captures.
struct Node {
  explicit Node(core::SimulatedTime& time, kernel::userspace::Options opts = {})
      : k(kernel::userspace::UserspaceKernel::detached(time, time, io, opts)) {
    k->set_event_handler([this](const core::ipsec::KernelEvent& e) { events.push_back(e); });
  }
  template <typename T>
  std::vector<T> events_of() const {
    std::vector<T> out;
    for (const auto& e : events)
      if (auto* v = std::get_if<T>(&e)) out.push_back(*v);
    return out;
  }
  CaptureIo io;
  std::unique_ptr<kernel::userspace::UserspaceKernel> k;
  std::vector<core::ipsec::KernelEvent> events;
};

// udp_packet is an IP packet carrying a UDP header and some data.
inline Bytes udp_packet(const char* src, const char* dst, std::uint16_t sport = 4000,
                        std::uint16_t dport = 53, std::size_t data = 24) {
  Bytes l4{static_cast<std::uint8_t>(sport >> 8), static_cast<std::uint8_t>(sport),
           static_cast<std::uint8_t>(dport >> 8), static_cast<std::uint8_t>(dport),
           static_cast<std::uint8_t>((8 + data) >> 8), static_cast<std::uint8_t>(8 + data), 0, 0};
  for (std::size_t i = 0; i < data; ++i) l4.push_back(static_cast<std::uint8_t>(i));
  Bytes out;
  auto st = kernel::userspace::build_ip_packet(A(src), A(dst), 17, 64, l4, out);
  (void)st;
  return out;
}

// gcm_sa is an ESP SA with AES-GCM-16 (ENCR 20, RFC 4106): a 16-byte key
// and 4-byte salt, derived from the SPI so both ends agree.
inline core::ipsec::SaSpec gcm_sa(const char* src, const char* dst, std::uint32_t spi, std::uint32_t reqid,
                                  bool inbound, core::ipsec::Mode mode = core::ipsec::Mode::Tunnel) {
  core::ipsec::SaSpec s;
  s.src = A(src);
  s.dst = A(dst);
  s.spi = spi;
  s.mode = mode;
  s.reqid = reqid;
  s.inbound = inbound;
  s.enc.id = 20;
  s.enc.key_bits = 128;
  for (int i = 0; i < 20; ++i) s.enc.key.push_back(static_cast<std::uint8_t>(spi + i));
  return s;
}

inline core::ipsec::Template tmpl(const char* src, const char* dst, std::uint32_t reqid,
                                  core::ipsec::Mode mode = core::ipsec::Mode::Tunnel,
                                  core::ipsec::Level level = core::ipsec::Level::Require) {
  core::ipsec::Template t;
  t.mode = mode;
  if (mode == core::ipsec::Mode::Tunnel) {
    t.src = A(src);
    t.dst = A(dst);
  }
  t.reqid = reqid;
  t.level = level;
  return t;
}

inline core::ipsec::PolicySpec policy(const char* src, const char* dst, core::ipsec::Dir dir,
                                      std::vector<core::ipsec::Template> templates,
                                      core::ipsec::Action action = core::ipsec::Action::Protect,
                                      std::uint8_t proto = 0, std::uint32_t priority = 1000) {
  core::ipsec::PolicySpec p;
  p.selector.src = P(src);
  p.selector.dst = P(dst);
  p.selector.proto = proto;
  p.dir = dir;
  p.action = action;
  p.priority = priority;
  p.templates = std::move(templates);
  return p;
}

// Gateways: a (192.0.2.1, 2001:db8:1::1) protects 198.51.100.0/24 and
// 2001:db8:a::/48; b (192.0.2.2, 2001:db8:1::2) protects 203.0.113.0/24
// and 2001:db8:b::/48. reqid 1 (v4) and 2 (v6) on both ends.
struct TunnelPair {
  core::SimulatedTime time;
  Node a{time}, b{time};

  TunnelPair() {
    using core::ipsec::Dir;
    auto add = [](Node& n, const char* local, const char* remote, const char* lnet, const char* rnet,
                  std::uint32_t reqid, std::uint32_t spi_out, std::uint32_t spi_in) {
      bool ok = n.k->add_sa(gcm_sa(local, remote, spi_out, reqid, false)) &&
                n.k->add_sa(gcm_sa(remote, local, spi_in, reqid, true)) &&
                n.k->add_policy(policy(lnet, rnet, Dir::Out, {tmpl(local, remote, reqid)})) &&
                n.k->add_policy(policy(rnet, lnet, Dir::In, {tmpl(remote, local, reqid)}));
      return ok;
    };
    ok = add(a, "192.0.2.1", "192.0.2.2", "198.51.100.0/24",
             "203.0.113.0/24", 1, 0x1001, 0x2001) &&
         add(b, "192.0.2.2", "192.0.2.1", "203.0.113.0/24", "198.51.100.0/24", 1, 0x2001, 0x1001) &&
         add(a, "2001:db8:1::1", "2001:db8:1::2", "2001:db8:a::/48", "2001:db8:b::/48", 2, 0x1002, 0x2002) &&
         add(b, "2001:db8:1::2", "2001:db8:1::1", "2001:db8:b::/48", "2001:db8:a::/48", 2, 0x2002, 0x1002);
  }
  // a_to_b hands every ESP packet a sent to b, and clears a's capture.
  void a_to_b() {
    for (auto& e : a.io.esp) b.k->on_esp_packet(e.esp, e.src, e.dst);
    a.io.esp.clear();
  }
  void b_to_a() {
    for (auto& e : b.io.esp) a.k->on_esp_packet(e.esp, e.src, e.dst);
    b.io.esp.clear();
  }
  bool ok = false;
};

}  // namespace usp_test

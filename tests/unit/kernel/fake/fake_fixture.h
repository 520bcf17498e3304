// tests/unit/kernel/fake/fake_fixture.h — values shared by the FakeKernel
// tests: address/prefix literals, SA and policy builders, and a kernel on
// simulated time that records the events it emits.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/clock/simulated_time.h"
#include "core/ipsec/events.h"
#include "core/net/address.h"
#include "core/net/selector.h"
#include "kernel/fake/fake_kernel.h"

namespace fake_test {

inline core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
inline core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

inline core::net::Selector sel(const char* src, const char* dst,
                               std::uint8_t proto = core::net::proto::kAny) {
  core::net::Selector s;
  s.src = P(src);
  s.dst = P(dst);
  s.proto = proto;
  return s;
}

// esp_sa is an ESP SA with AES-GCM-16 (ENCR 20, RFC 4106) and a 20-byte key.
inline core::ipsec::SaSpec esp_sa(const char* src, const char* dst, std::uint32_t spi,
                                  std::uint32_t reqid,
                                  core::ipsec::Mode mode = core::ipsec::Mode::Tunnel) {
  core::ipsec::SaSpec s;
  s.src = A(src);
  s.dst = A(dst);
  s.spi = spi;
  s.proto = core::ipsec::Proto::Esp;
  s.mode = mode;
  s.reqid = reqid;
  s.enc.id = 20;
  s.enc.key_bits = 128;
  s.enc.key.assign(20, static_cast<std::uint8_t>(spi & 0xff));
  return s;
}

inline core::ipsec::Template tunnel(const char* src, const char* dst, std::uint32_t reqid,
                                    core::ipsec::Level level = core::ipsec::Level::Require) {
  core::ipsec::Template t;
  t.proto = core::ipsec::Proto::Esp;
  t.mode = core::ipsec::Mode::Tunnel;
  t.src = A(src);
  t.dst = A(dst);
  t.reqid = reqid;
  t.level = level;
  return t;
}

inline core::ipsec::PolicySpec policy(core::net::Selector s, core::ipsec::Dir dir,
                                      std::vector<core::ipsec::Template> tmpls,
                                      std::uint32_t priority = 1000) {
  core::ipsec::PolicySpec p;
  p.selector = s;
  p.dir = dir;
  p.action = core::ipsec::Action::Protect;
  p.priority = priority;
  p.templates = std::move(tmpls);
  return p;
}

inline kernel::fake::Flow flow(const char* src, const char* dst, std::uint8_t proto = 17,
                               std::uint16_t sport = 1234, std::uint16_t dport = 53) {
  kernel::fake::Flow f;
  f.src = A(src);
  f.dst = A(dst);
  f.proto = proto;
  f.sport = sport;
  f.dport = dport;
  return f;
}

// Fixture is a FakeKernel on simulated time whose handler keeps every
// event it receives in `seen`.
struct Fixture {
  explicit Fixture(kernel::FakeKernelOptions o = {}) : k(time, time, o) {
    k.set_event_handler([this](const core::ipsec::KernelEvent& e) { seen.push_back(e); });
  }
  template <typename T>
  std::vector<T> seen_of() const {
    std::vector<T> out;
    for (const auto& e : seen)
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    return out;
  }

  core::SimulatedTime time;
  kernel::FakeKernel k;
  std::vector<core::ipsec::KernelEvent> seen;
};

}  // namespace fake_test

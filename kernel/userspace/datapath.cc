// kernel/userspace/datapath.cc — UserspaceKernel's packet paths: outbound
// from the TUN device through the SPD and ESP (RFC 4301 §5.1), inbound from
// ESP through the SA and the inbound policy check (RFC 4301 §5.2).
#include "core/log/log.h"
#include "kernel/userspace/userspace_kernel.h"

namespace kernel::userspace {

namespace ipsec = core::ipsec;
namespace net = core::net;

namespace {

// kMaxAcquireHolds bounds the acquire rate limiter; past it, expired holds
// are swept before a new one is added.
constexpr std::size_t kMaxAcquireHolds = 4096;
// kInnerTtl is the TTL / Hop Limit of a packet transport mode rebuilds.
constexpr std::uint8_t kInnerTtl = 64;

// link_scoped says whether dst is multicast, broadcast or link-local: a
// destination on the TUN link itself, never a routed one.
bool link_scoped(const net::Address& dst) {
  auto b = dst.bytes();
  if (dst.is_v6()) return b[0] == 0xff || dst.is_link_local();
  return (b[0] & 0xf0) == 0xe0 || (b[0] == 169 && b[1] == 254) ||
         (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
}

}  // namespace

void UserspaceKernel::set_udp_sender(UdpSend send) { udp_send_ = std::move(send); }

// --- outbound ---------------------------------------------------------------------

void UserspaceKernel::on_tun_packet(std::span<const std::uint8_t> packet) {
  auto ip = parse_ip_packet(packet);
  if (!ip) {
    ++stats_.drops.malformed;
    KLOG(Knl, Debug, "userspace: TUN packet dropped: {}", ip.error().detail);
    return;
  }
  packet = packet.first(ip->length);
  const ipsec::PolicySpec* policy = spd_.lookup(ipsec::Dir::Out, *ip);
  if (!policy && link_scoped(ip->dst)) {
    // The TUN link's own traffic (IPv6 router solicitations, MLD reports):
    // sent around the TUN device it would leak onto another link.
    ++stats_.tun_local;
    return;
  }
  if (!policy) {
    if (opts_.clear_unmatched) {
      pass_clear(packet, *ip);
    } else {
      ++stats_.drops.no_policy;
    }
    return;
  }
  switch (policy->action) {
    case ipsec::Action::Bypass: pass_clear(packet, *ip); return;
    case ipsec::Action::Discard: ++stats_.drops.discard; return;
    case ipsec::Action::Protect: protect(*policy, packet, *ip); return;
  }
}

void UserspaceKernel::pass_clear(std::span<const std::uint8_t> packet, const IpPacket& ip) {
  if (auto st = io_->send_clear(packet, ip.dst); !st) {
    ++stats_.drops.send_failed;
    KLOG(Knl, Debug, "userspace: {}", st.error().detail);
    return;
  }
  ++stats_.passed_clear;
}

void UserspaceKernel::protect(const ipsec::PolicySpec& policy, std::span<const std::uint8_t> packet,
                              const IpPacket& ip) {
  // The first ESP template carries the packet; optional (Use) templates of
  // other protocols are skipped, required ones cannot be served here.
  const ipsec::Template* t = nullptr;
  for (const auto& candidate : policy.templates) {
    if (candidate.proto == ipsec::Proto::Esp) {
      t = &candidate;
      break;
    }
    if (candidate.level != ipsec::Level::Use) break;
  }
  if (!t) {
    ++stats_.drops.unsupported;
    KLOG(Knl, Debug, "userspace: policy {} has no ESP template the data plane can serve", policy.index);
    return;
  }
  // xfrm_tmpl_resolve_one: a tunnel template names its endpoints (an
  // unspecified one is the packet's); transport uses the packet's.
  const bool tunnel = t->mode == ipsec::Mode::Tunnel;
  const net::Address src = tunnel && !t->src.is_unspecified() ? t->src : ip.src;
  const net::Address dst = tunnel && !t->dst.is_unspecified() ? t->dst : ip.dst;
  Sa* sa = sad_.outbound(t->reqid, src, dst, [&](const Sa& e) {
    if (e.spec.mode != t->mode) return false;
    return !e.spec.selector || e.spec.selector->matches(ip.src, ip.dst, ip.proto, ip.sport, ip.dport);
  });
  if (!sa) {
    const bool optional = t->level == ipsec::Level::Use;
    acquire(policy, *t, src, dst, ip, packet);  // may change the SAD and SPD: policy is stale now
    if (optional) {
      pass_clear(packet, ip);
    } else {
      ++stats_.drops.no_sa;
    }
    return;
  }

  std::span<const std::uint8_t> payload = packet;
  std::uint8_t next_header = ip.src.is_v4() ? kIpInIp : kIpv6InIp;
  if (!tunnel) {
    // RFC 4303 §3.1.1: transport mode protects the upper-layer part; the
    // kernel builds the outer header, so IPv4 fragments (whose offsets it
    // would not keep) and IPv6 per-hop headers (which must precede ESP)
    // cannot be carried.
    if ((ip.src.is_v4() && ip.fragment) || ip.hop_by_hop || ip.routing) {
      ++stats_.drops.unsupported;
      return;
    }
    payload = packet.subspan(ip.header_len);
    next_header = ip.first_next_header;
  }
  if (auto st = sa->crypto->seal(payload, next_header, sealed_); !st) {
    ++stats_.drops.seal_failed;
    KLOG(Knl, Debug, "userspace: SA {}: {}", sa->spec.id().to_string(), st.error().detail);
    check_limits(sa->spec.id());
    return;
  }
  send_sealed(*sa);
}

void UserspaceKernel::send_sealed(Sa& sa) {
  const ipsec::SaSpec& s = sa.spec;
  const ipsec::SaId id = s.id();
  sa.use_time = wall_seconds();
  core::Status st = core::ok();
  if (s.encap) {
    if (!udp_send_) {
      st = core::fail(core::ErrorCode::State, "SA {}: UDP encapsulation but no UDP sender", id.to_string());
    } else {
      // RFC 3948 §2.1: ESP follows the UDP header directly, no marker.
      udp_send_(sealed_, net::Endpoint{s.src, s.encap->sport}, net::Endpoint{s.dst, s.encap->dport});
    }
  } else {
    st = io_->send_esp(sealed_, s.src, s.dst);
  }
  if (!st) {
    ++stats_.drops.send_failed;
    KLOG(Knl, Debug, "userspace: {}", st.error().detail);
  } else {
    ++stats_.packets_out;
    stats_.bytes_out += sealed_.size();
  }
  check_limits(id);  // may delete the SA
}

void UserspaceKernel::acquire(const ipsec::PolicySpec& policy, const ipsec::Template& t,
                              const net::Address& src, const net::Address& dst, const IpPacket& ip,
                              std::span<const std::uint8_t> packet) {
  const core::MonoTime now = clock_.now();
  auto key = std::make_pair(policy.index, dst);
  auto hold = acquire_holds_.find(key);
  if (hold != acquire_holds_.end() && now < hold->second) return;
  if (acquire_holds_.size() >= kMaxAcquireHolds)
    std::erase_if(acquire_holds_, [&](const auto& h) { return h.second <= now; });
  acquire_holds_[key] = now + opts_.acquire_interval;

  ipsec::AcquireEvent ev;
  ev.policy_index = policy.index;
  // Linux xfrm_init_tempsel: the selector is the packet's flow, host
  // prefixes and exact ports (type/code for ICMP, MH type).
  ev.selector.src = net::Prefix::host(ip.src);
  ev.selector.dst = net::Prefix::host(ip.dst);
  ev.selector.proto = ip.proto;
  if (ip.has_ports) {
    ev.selector.sport = net::PortRange::single(ip.sport);
    ev.selector.dport = ip.proto == net::proto::kMh ? net::PortRange::any() : net::PortRange::single(ip.dport);
  }
  ev.tmpl = t;
  ev.src = src;
  ev.dst = dst;
  ev.packet = std::vector<std::uint8_t>(packet.begin(), packet.end());
  ++stats_.acquires;
  KLOG(Knl, Diag, "userspace: acquire policy {} {} reqid {} {}->{}", ev.policy_index, ev.selector.to_string(),
       t.reqid, src.to_string(), dst.to_string());
  emit(std::move(ev));
}

// --- inbound ----------------------------------------------------------------------

void UserspaceKernel::on_udp_esp(std::span<const std::uint8_t> esp, const net::Endpoint& local,
                                 const net::Endpoint& remote) {
  // ESP decrypts in place; the daemon's datagram is read-only.
  udp_buf_.assign(esp.begin(), esp.end());
  on_esp_packet(udp_buf_, remote.addr, local.addr);
}

void UserspaceKernel::count_esp_drop(EspDrop d) {
  switch (d) {
    case EspDrop::Malformed: ++stats_.drops.esp_malformed; return;
    case EspDrop::Replay: ++stats_.drops.esp_replay; return;
    case EspDrop::Integrity: ++stats_.drops.esp_integrity; return;
    case EspDrop::Padding: ++stats_.drops.esp_padding; return;
    case EspDrop::Expired: ++stats_.drops.esp_expired; return;
  }
}

bool UserspaceKernel::inbound_allowed(const IpPacket& inner, std::uint32_t reqid) const {
  // RFC 4301 §5.2 step 4: the decrypted packet must fall under the SA's
  // policy. For local traffic that is an In policy, for traffic this host
  // forwards a Fwd one; either will do, as the TUN write decides which.
  for (ipsec::Dir dir : {ipsec::Dir::In, ipsec::Dir::Fwd}) {
    const ipsec::PolicySpec* p = spd_.lookup(dir, inner);
    if (!p || p->action != ipsec::Action::Protect) continue;
    for (const auto& t : p->templates)
      if (t.proto == ipsec::Proto::Esp && t.reqid == reqid) return true;
  }
  return false;
}

void UserspaceKernel::on_esp_packet(std::span<std::uint8_t> esp, const net::Address& src,
                                    const net::Address& dst) {
  auto spi = esp_spi(esp);
  if (!spi) {
    ++stats_.drops.malformed;
    return;
  }
  Sa* sa = sad_.inbound(*spi);
  if (!sa || sa->larval) {
    ++stats_.drops.unknown_spi;
    KLOG(Knl, Debug, "userspace: ESP from {} to {} for unknown SPI {:08x}", src.to_string(), dst.to_string(), *spi);
    return;
  }
  const ipsec::SaId id = sa->spec.id();
  const std::uint32_t reqid = sa->spec.reqid;
  const bool tunnel = sa->spec.mode == ipsec::Mode::Tunnel;
  auto opened = sa->crypto->open(esp);
  if (!opened) {
    count_esp_drop(opened.error());
    KLOG(Knl, Debug, "userspace: SA {}: ESP dropped: {}", id.to_string(), esp_drop_name(opened.error()));
    check_limits(id);
    return;
  }
  sa->use_time = wall_seconds();
  check_limits(id);  // may delete the SA; the packet was authenticated before
  const Decapsulated& d = *opened;
  if (d.next_header == kIpv6NoNextHeader) {
    ++stats_.dummy;  // RFC 4303 §2.6: a dummy packet, discarded silently
    return;
  }

  std::span<const std::uint8_t> inner = d.inner;
  if (tunnel) {
    if (d.next_header != kIpInIp && d.next_header != kIpv6InIp) {
      ++stats_.drops.malformed;
      return;
    }
  } else {
    // RFC 4303 §3.4.4.1: transport mode gets back the outer addresses
    // around the upper-layer part.
    if (auto st = build_ip_packet(src, dst, d.next_header, kInnerTtl, d.inner, inner_); !st) {
      ++stats_.drops.malformed;
      return;
    }
    inner = inner_;
  }
  auto ip = parse_ip_packet(inner);
  if (!ip || (tunnel && ip->src.is_v4() != (d.next_header == kIpInIp))) {
    ++stats_.drops.malformed;
    return;
  }
  inner = inner.first(ip->length);  // TFC padding (RFC 4303 §2.7) ends here
  if (!inbound_allowed(*ip, reqid)) {
    ++stats_.drops.policy_mismatch;
    KLOG(Knl, Debug, "userspace: SA {}: {} -> {} proto {} matches no inbound policy of reqid {}",
         id.to_string(), ip->src.to_string(), ip->dst.to_string(), ip->proto, reqid);
    return;
  }
  if (auto st = io_->to_tun(inner); !st) {
    ++stats_.drops.send_failed;
    KLOG(Knl, Debug, "userspace: {}", st.error().detail);
    return;
  }
  ++stats_.packets_in;
  stats_.bytes_in += inner.size();
}

}  // namespace kernel::userspace

// kernel/xfrm/decode_events.cc — the kernel's XFRM notifications
// (XFRMNLGRP_ACQUIRE, EXPIRE, POLICY, MIGRATE) into KernelEvents.
#include <linux/xfrm.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>

#include "core/log/log.h"
#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/decode_internal.h"

namespace kernel::xfrm {

using core::ErrorCode;
using core::Result;
using core::wire::Reader;
using namespace core::ipsec;
using detail::malformed;
using detail::RawAddress;

static_assert(sizeof(xfrm_user_acquire) == 280 && offsetof(xfrm_user_acquire, sel) == 40 &&
              offsetof(xfrm_user_acquire, policy) == 96 &&
              offsetof(xfrm_user_acquire, aalgos) == 264);
static_assert(sizeof(xfrm_user_expire) == 232 && sizeof(xfrm_user_polexpire) == 176);
static_assert(sizeof(xfrm_userpolicy_id) == 64);
static_assert(sizeof(xfrm_user_migrate) == 76 && offsetof(xfrm_user_migrate, proto) == 64 &&
              offsetof(xfrm_user_migrate, reqid) == 68 &&
              offsetof(xfrm_user_migrate, old_family) == 72);
static_assert(sizeof(xfrm_user_kmaddress) == 40);

namespace {

// same_address tells whether a decoded address is the raw xfrm_address_t.
bool same_address(const core::net::Address& a, const RawAddress& raw) {
  auto b = a.bytes();
  return std::equal(b.begin(), b.end(), raw.begin());
}

Result<MigrateEntry> read_migrate_entry(Reader& d) {
  RawAddress old_d, old_s, new_d, new_s;
  std::uint8_t proto = 0, mode = 0;
  std::uint16_t reserved = 0, old_family = 0, new_family = 0;
  MigrateEntry e;
  if (!detail::read_raw_address(d, old_d) || !detail::read_raw_address(d, old_s) ||
      !detail::read_raw_address(d, new_d) || !detail::read_raw_address(d, new_s) ||
      !d.u8(proto) || !d.u8(mode) || !host_u16(d, reserved) || !host_u32(d, e.reqid) ||
      !host_u16(d, old_family) || !host_u16(d, new_family))
    return malformed("xfrm_user_migrate");
  auto p = detail::to_proto(proto);
  auto m = detail::to_mode(mode);
  auto os = detail::to_address(old_s, old_family);
  auto od = detail::to_address(old_d, old_family);
  auto ns = detail::to_address(new_s, new_family);
  auto nd = detail::to_address(new_d, new_family);
  if (!p) return tl::unexpected(p.error());
  if (!m) return tl::unexpected(m.error());
  if (!os || !od) return tl::unexpected(os ? od.error() : os.error());
  if (!ns || !nd) return tl::unexpected(ns ? nd.error() : ns.error());
  e.proto = *p;
  e.mode = *m;
  e.old_src = *os;
  e.old_dst = *od;
  e.new_src = *ns;
  e.new_dst = *nd;
  return e;
}

}  // namespace

Result<AcquireEvent> decode_acquire(Reader payload) {
  // struct xfrm_user_acquire: id (daddr, spi, proto), saddr, sel, policy,
  // aalgos, ealgos, calgos, seq; then XFRMA_TMPL with the policy's templates.
  RawAddress daddr, saddr;
  std::uint32_t spi = 0, seq = 0;
  std::uint8_t proto = 0, action = 0;
  AcquireEvent ev;
  if (!detail::read_raw_address(payload, daddr) || !payload.u32(spi) || !payload.u8(proto) ||
      !payload.skip(3) || !detail::read_raw_address(payload, saddr))
    return malformed("xfrm_user_acquire");
  auto sel = decode_selector(payload);
  if (!sel) return tl::unexpected(sel.error());
  PolicySpec policy;
  if (auto st = detail::read_policy_info(payload, policy, action); !st)
    return tl::unexpected(st.error());
  // aalgos, ealgos, calgos: the policy's templates carry the same masks.
  if (!payload.skip(12) || !host_u32(payload, seq))
    return malformed("xfrm_user_acquire");
  skip_padding(payload, sizeof(xfrm_user_acquire));
  AttrReader attrs(payload);
  NlAttr a;
  while (attrs.next(a))
    if (auto st = detail::apply_policy_attr(a, policy); !st) return tl::unexpected(st.error());
  if (attrs.malformed()) return malformed("acquire attribute length");
  auto p = detail::to_proto(proto);
  if (!p) return tl::unexpected(p.error());

  ev.policy_index = policy.index;
  ev.selector = *sel;
  // The larval SA is for the first template of its protocol whose tunnel
  // destination (if tunnel) is the SA's destination (xfrm_tmpl_resolve_one).
  const Template* match = nullptr;
  for (const auto& t : policy.templates) {
    if (t.proto != *p) continue;
    if (t.mode == Mode::Tunnel && !same_address(t.dst, daddr)) continue;
    match = &t;
    break;
  }
  std::uint16_t family = sel->family() == core::net::Family::V4 ? AF_INET : AF_INET6;
  if (match) {
    ev.tmpl = *match;
    if (match->mode == Mode::Tunnel) family = match->dst.is_v4() ? AF_INET : AF_INET6;
  } else {
    ev.tmpl.proto = *p;
  }
  auto src = detail::to_address(saddr, family);
  auto dst = detail::to_address(daddr, family);
  if (!src) return tl::unexpected(src.error());
  if (!dst) return tl::unexpected(dst.error());
  ev.src = *src;
  ev.dst = *dst;
  return ev;
}

Result<ExpireEvent> decode_expire(Reader payload) {
  auto f = detail::read_usersa_info(payload);
  if (!f) return tl::unexpected(f.error());
  std::uint8_t hard = 0;
  if (!payload.u8(hard)) return malformed("xfrm_user_expire");
  ExpireEvent ev;
  ev.sa = f->spec.id();
  ev.reqid = f->spec.reqid;
  ev.hard = hard != 0;
  return ev;
}

Result<std::optional<PolicyEvent>> decode_policy_event(std::uint16_t type, Reader payload) {
  PolicyEvent ev;
  std::uint8_t action = 0, hard = 1;
  switch (type) {
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY: {
      auto p = decode_policy(payload);
      if (!p) return tl::unexpected(p.error());
      ev.kind = type == XFRM_MSG_NEWPOLICY ? PolicyEvent::Kind::Added : PolicyEvent::Kind::Updated;
      ev.policy = std::move(*p);
      return ev;
    }
    case XFRM_MSG_DELPOLICY: {
      // xfrm_notify_policy: xfrm_userpolicy_id, then XFRMA_POLICY holding the
      // xfrm_userpolicy_info, with templates and mark as top-level attributes.
      if (!payload.skip(sizeof(xfrm_userpolicy_id))) return malformed("xfrm_userpolicy_id");
      ev.kind = PolicyEvent::Kind::Deleted;
      bool have_info = false;
      AttrReader attrs(payload);
      NlAttr a;
      while (attrs.next(a)) {
        if (a.type == XFRMA_POLICY) {
          Reader info = a.data;
          if (auto st = detail::read_policy_info(info, ev.policy, action); !st)
            return tl::unexpected(st.error());
          have_info = true;
        } else if (auto st = detail::apply_policy_attr(a, ev.policy); !st) {
          return tl::unexpected(st.error());
        }
      }
      if (attrs.malformed()) return malformed("policy attribute length");
      if (!have_info) return malformed("DELPOLICY without XFRMA_POLICY");
      break;
    }
    case XFRM_MSG_POLEXPIRE: {
      if (auto st = detail::read_policy_info(payload, ev.policy, action); !st)
        return tl::unexpected(st.error());
      // hard, then the struct's tail padding to its 8-byte alignment.
      constexpr std::size_t kTail = sizeof(xfrm_user_polexpire) - sizeof(xfrm_userpolicy_info) - 1;
      if (!payload.u8(hard)) return malformed("xfrm_user_polexpire");
      payload.skip(std::min(kTail, payload.remaining()));
      ev.kind = PolicyEvent::Kind::Expired;
      AttrReader attrs(payload);
      NlAttr a;
      while (attrs.next(a))
        if (auto st = detail::apply_policy_attr(a, ev.policy); !st)
          return tl::unexpected(st.error());
      if (attrs.malformed()) return malformed("policy attribute length");
      break;
    }
    default:
      return core::fail(ErrorCode::Internal, "xfrm: message type {} is no policy event", type);
  }
  if (auto st = detail::finish_policy(ev.policy, action); !st) return tl::unexpected(st.error());
  if (!hard) return std::optional<PolicyEvent>{};  // soft expiry: the policy stays
  return ev;
}

Result<MigrateRequest> decode_migrate(Reader payload) {
  MigrateRequest req;
  auto sel = decode_selector(payload);
  if (!sel) return tl::unexpected(sel.error());
  std::uint32_t index = 0;
  std::uint8_t dir = 0;
  if (!host_u32(payload, index) || !payload.u8(dir) || !payload.skip(3))
    return malformed("xfrm_userpolicy_id");
  auto d = detail::to_dir(dir);
  if (!d) return tl::unexpected(d.error());
  req.selector = *sel;
  req.dir = *d;
  AttrReader attrs(payload);
  NlAttr a;
  while (attrs.next(a)) {
    Reader data = a.data;
    switch (a.type) {
      case XFRMA_MIGRATE:
        if (data.empty() || data.remaining() % sizeof(xfrm_user_migrate) != 0)
          return malformed("XFRMA_MIGRATE length");
        while (!data.empty()) {
          auto e = read_migrate_entry(data);
          if (!e) return tl::unexpected(e.error());
          req.entries.push_back(*e);
        }
        break;
      case XFRMA_KMADDRESS: {
        RawAddress local, remote;
        std::uint32_t reserved = 0;
        std::uint16_t family = 0;
        if (!detail::read_raw_address(data, local) || !detail::read_raw_address(data, remote) ||
            !host_u32(data, reserved) || !host_u16(data, family))
          return malformed("xfrm_user_kmaddress");
        auto l = detail::to_address(local, family);
        auto r = detail::to_address(remote, family);
        if (!l) return tl::unexpected(l.error());
        if (!r) return tl::unexpected(r.error());
        req.new_km = KmAddress{*l, *r};
        break;
      }
      case XFRMA_ENCAP: {
        std::uint16_t type = 0;
        Encap e;
        if (!host_u16(data, type) || !data.u16(e.sport) || !data.u16(e.dport))
          return malformed("xfrm_encap_tmpl");
        req.encap = e;
        break;
      }
      case XFRMA_POLICY_TYPE: {
        std::uint8_t type = 0;
        if (!data.u8(type)) return malformed("XFRMA_POLICY_TYPE");
        if (type != XFRM_POLICY_TYPE_MAIN)
          return core::fail(ErrorCode::Unsupported, "xfrm: MIGRATE of sub-policy");
        break;
      }
      default:
        break;
    }
  }
  if (attrs.malformed()) return malformed("MIGRATE attribute length");
  if (req.entries.empty()) return malformed("MIGRATE without XFRMA_MIGRATE");
  return req;
}

Result<std::optional<KernelEvent>> decode_event(const NlHeader& h, Reader payload) {
  using Opt = std::optional<KernelEvent>;
  switch (h.type) {
    case XFRM_MSG_ACQUIRE: {
      auto ev = decode_acquire(payload);
      if (!ev) return tl::unexpected(ev.error());
      return Opt{std::move(*ev)};
    }
    case XFRM_MSG_EXPIRE: {
      auto ev = decode_expire(payload);
      if (!ev) return tl::unexpected(ev.error());
      return Opt{std::move(*ev)};
    }
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY:
    case XFRM_MSG_DELPOLICY:
    case XFRM_MSG_POLEXPIRE: {
      auto ev = decode_policy_event(h.type, payload);
      if (!ev) return tl::unexpected(ev.error());
      if (!*ev) return Opt{};
      return Opt{std::move(**ev)};
    }
    case XFRM_MSG_MIGRATE: {
      auto req = decode_migrate(payload);
      if (!req) return tl::unexpected(req.error());
      return Opt{MigrateEvent{std::move(*req)}};
    }
    default:
      // NEWSA/UPDSA/DELSA (XFRMNLGRP_SA), REPORT, flushes, NOOP: no event.
      return Opt{};
  }
}

StreamStats decode_stream(std::span<const std::uint8_t> buf, std::uint32_t own_pid,
                          const std::function<void(const KernelEvent&)>& sink) {
  StreamStats stats;
  Reader stream(buf);
  while (!stream.empty()) {
    NlHeader h;
    Reader payload;
    if (!next_message(stream, h, payload)) {
      KLOG(Knl, Warn, "xfrm: broken netlink framing, dropping the last {} bytes of {}",
           stream.remaining(), buf.size());
      stats.truncated = true;
      break;
    }
    bool policy_notify = h.type == XFRM_MSG_NEWPOLICY || h.type == XFRM_MSG_UPDPOLICY ||
                         h.type == XFRM_MSG_DELPOLICY;
    if (own_pid != 0 && h.pid == own_pid && policy_notify) {
      ++stats.ignored;
      continue;
    }
    auto ev = decode_event(h, payload);
    if (!ev) {
      KLOG(Knl, Warn, "xfrm: skipping malformed message type {} seq {}: {}", h.type, h.seq,
           ev.error().detail);
      ++stats.skipped;
      continue;
    }
    if (!*ev) {
      KLOG(Knl, Debug, "xfrm: message type {} carries no event", h.type);
      ++stats.ignored;
      continue;
    }
    ++stats.events;
    sink(**ev);
  }
  return stats;
}

}  // namespace kernel::xfrm

// kernel/pfkey/translate_policy.cc — selectors, SPD entries, MIGRATE and
// ACQUIRE <-> the KAME SADB_X_* messages (also Linux af_key's).
#include "core/log/log.h"
#include "kernel/pfkey/translate.h"

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;
using core::ipsec::Dir;
using core::ipsec::Level;
using core::ipsec::Mode;
using core::ipsec::Proto;
using core::net::Prefix;
using core::net::PortRange;

namespace {

Header header(std::uint8_t type, std::uint8_t satype, Stamp st) {
  Header h;
  h.type = type;
  h.satype = satype;
  h.seq = st.seq;
  h.pid = st.pid;
  return h;
}

// A selector port in PF_KEY is the sockaddr's port: one port, or 0 = any
// (af_key: sport_mask = sport ? 0xffff : 0). Ranges cannot be said.
core::Result<std::uint16_t> wire_port(const PortRange& r, std::string_view which) {
  if (r.is_any()) return std::uint16_t{0};
  if (r.is_single() && r.start != 0) return r.start;
  return fail(ErrorCode::Unsupported, "PF_KEY selectors take one {} port or any, not {}-{}", which, r.start, r.end);
}

PortRange port_range(std::uint16_t p) { return p == 0 ? PortRange::any() : PortRange::single(p); }

core::Result<std::uint8_t> wire_dir(Dir dir, const Dialect& d) {
  switch (dir) {
    case Dir::In: return kDirInbound;
    case Dir::Out: return kDirOutbound;
    case Dir::Fwd:
      // IPSEC_DIR_FWD is Linux's own ("It is our own", <linux/ipsec.h>).
      if (d.flavor == Flavor::Kame) return fail(ErrorCode::Unsupported, "KAME PF_KEY has no forward policies");
      return kDirFwd;
  }
  return fail(ErrorCode::Internal, "bad direction");
}

core::Result<Dir> dir_of(std::uint8_t v, const Dialect& d) {
  if (v == kDirInbound) return Dir::In;
  if (v == kDirOutbound) return Dir::Out;
  if (v == kDirFwd && d.flavor == Flavor::Linux) return Dir::Fwd;
  return fail(ErrorCode::Unsupported, "sadb_x_policy_dir {}", v);
}

std::uint8_t wire_level(Level l) {
  switch (l) {
    case Level::Use: return kLevelUse;
    case Level::Require: return kLevelRequire;
    case Level::Unique: return kLevelUnique;
  }
  return kLevelRequire;
}

core::Result<Proto> request_proto(std::uint16_t p) {
  switch (p) {
    case 50: return Proto::Esp;
    case 51: return Proto::Ah;
    case 108: return Proto::Comp;
    default: return fail(ErrorCode::Unsupported, "ipsecrequest protocol {}", p);
  }
}

core::Result<Mode> mode_of(std::uint8_t m) {
  if (m == kModeTransport) return Mode::Transport;
  if (m == kModeTunnel) return Mode::Tunnel;
  return fail(ErrorCode::Unsupported, "IPsec mode {} (only transport and tunnel)", m);
}

std::uint8_t wire_mode(Mode m) { return m == Mode::Tunnel ? kModeTunnel : kModeTransport; }

core::Result<IpsecRequest> request_of(const core::ipsec::Template& t) {
  IpsecRequest rq;
  rq.proto = static_cast<std::uint16_t>(t.proto);
  rq.mode = wire_mode(t.mode);
  rq.level = wire_level(t.level);
  rq.reqid = t.reqid;
  if (t.mode == Mode::Tunnel) {
    if (t.src.family() != t.dst.family()) return fail(ErrorCode::Unsupported, "tunnel endpoints of two families");
    rq.src = SockAddr{t.src, 0};
    rq.dst = SockAddr{t.dst, 0};
  }
  return rq;
}

core::Result<core::ipsec::Template> template_of(const IpsecRequest& rq) {
  core::ipsec::Template t;
  auto proto = request_proto(rq.proto);
  if (!proto) return fail(proto.error());
  auto mode = mode_of(rq.mode);
  if (!mode) return fail(mode.error());
  t.proto = *proto;
  t.mode = *mode;
  t.reqid = rq.reqid;
  // IPSEC_LEVEL_DEFAULT follows the system default, which is "require".
  t.level = rq.level == kLevelUse ? Level::Use : rq.level == kLevelUnique ? Level::Unique : Level::Require;
  if (t.mode == Mode::Tunnel) {
    if (!rq.src) return fail(ErrorCode::Malformed, "tunnel ipsecrequest without endpoints");
    t.src = rq.src->addr;
    t.dst = rq.dst->addr;
  }
  return t;
}

// request_pair is one MIGRATE entry as its old and new ipsecrequests; level
// as af_key pfkey_send_migrate writes it (unique when a reqid is bound).
std::pair<IpsecRequest, IpsecRequest> request_pair(const core::ipsec::MigrateEntry& e) {
  IpsecRequest old_rq;
  old_rq.proto = static_cast<std::uint16_t>(e.proto);
  old_rq.mode = wire_mode(e.mode);
  old_rq.level = e.reqid != 0 ? kLevelUnique : kLevelRequire;
  old_rq.reqid = e.reqid;
  IpsecRequest new_rq = old_rq;
  old_rq.src = SockAddr{e.old_src, 0};
  old_rq.dst = SockAddr{e.old_dst, 0};
  new_rq.src = SockAddr{e.new_src, 0};
  new_rq.dst = SockAddr{e.new_dst, 0};
  return {old_rq, new_rq};
}

core::Result<Message> selector_message(std::uint8_t type, const core::net::Selector& sel, Stamp st) {
  auto addrs = selector_addresses(sel);
  if (!addrs) return fail(addrs.error());
  Message m;
  m.header = header(type, satype::kUnspec, st);
  m.src = addrs->first;
  m.dst = addrs->second;
  return m;
}

}  // namespace

core::Result<std::pair<AddressExt, AddressExt>> selector_addresses(const core::net::Selector& s) {
  if (s.src.family() != s.dst.family()) return fail(ErrorCode::Unsupported, "selector of two families");
  auto sp = wire_port(s.sport, "source");
  if (!sp) return fail(sp.error());
  auto dp = wire_port(s.dport, "destination");
  if (!dp) return fail(dp.error());
  const std::uint8_t proto = s.proto == core::net::proto::kAny ? kUlprotoAny : s.proto;
  return std::pair{AddressExt{proto, s.src.length(), SockAddr{s.src.network(), *sp}},
                   AddressExt{proto, s.dst.length(), SockAddr{s.dst.network(), *dp}}};
}

core::Result<core::net::Selector> selector_of(const AddressExt& src, const AddressExt& dst) {
  if (src.sa.addr.family() != dst.sa.addr.family())
    return fail(ErrorCode::Malformed, "selector addresses of two families");
  if (src.proto != dst.proto) return fail(ErrorCode::Malformed, "selector protocols differ ({} vs {})", src.proto, dst.proto);
  core::net::Selector s;
  s.src = Prefix(src.sa.addr, src.prefixlen);
  s.dst = Prefix(dst.sa.addr, dst.prefixlen);
  // af_key pfkey_proto_to_xfrm: IPSEC_ULPROTO_ANY (255) is "any".
  s.proto = src.proto == kUlprotoAny ? core::net::proto::kAny : src.proto;
  s.sport = port_range(src.sa.port);
  s.dport = port_range(dst.sa.port);
  return s;
}

core::Result<Message> make_spd(std::uint8_t type, const core::ipsec::PolicySpec& p, Stamp st, const Dialect& d) {
  if (p.mark.value != 0 || p.mark.mask != 0) return fail(ErrorCode::Unsupported, "PF_KEY has no policy marks");
  auto m = selector_message(type, p.selector, st);
  if (!m) return m;
  auto dir = wire_dir(p.dir, d);
  if (!dir) return fail(dir.error());
  PolicyExt pol;
  pol.dir = *dir;
  pol.id = p.index;
  pol.priority = p.priority;
  if (d.flavor == Flavor::Kame && p.priority != 0)
    KLOG(Knl, Info, "pfkey: KAME has no policy priority; {} installed in arrival order", p.selector.to_string());
  switch (p.action) {
    case core::ipsec::Action::Protect: pol.type = kPolicyIpsec; break;
    // af_key pfkey_spdadd refuses types above IPSEC_POLICY_IPSEC: bypass is NONE.
    case core::ipsec::Action::Bypass: pol.type = kPolicyNone; break;
    case core::ipsec::Action::Discard: pol.type = kPolicyDiscard; break;
  }
  if (p.action == core::ipsec::Action::Protect) {
    if (p.templates.empty()) return fail(ErrorCode::InvalidSyntax, "protect policy without templates");
    for (const auto& t : p.templates) {
      auto rq = request_of(t);
      if (!rq) return fail(rq.error());
      pol.requests.push_back(std::move(*rq));
    }
  }
  m->policy = std::move(pol);
  return m;
}

core::Result<Message> make_spddelete(const core::ipsec::PolicyKey& key, Stamp st, const Dialect& d) {
  if (key.mark.value != 0 || key.mark.mask != 0) return fail(ErrorCode::Unsupported, "PF_KEY has no policy marks");
  auto m = selector_message(msg::kXSpdDelete, key.selector, st);
  if (!m) return m;
  auto dir = wire_dir(key.dir, d);
  if (!dir) return fail(dir.error());
  PolicyExt pol;  // af_key and KAME key_spddelete read only the direction here
  pol.dir = *dir;
  m->policy = pol;
  return m;
}

Message make_spd_by_id(std::uint8_t type, std::uint32_t id, Stamp st) {
  Message m;
  m.header = header(type, satype::kUnspec, st);
  PolicyExt pol;  // af_key derives the direction from the id
  pol.id = id;
  m.policy = pol;
  return m;
}

core::Result<core::ipsec::PolicySpec> policy_of(const Message& m, const Dialect& d) {
  if (!m.src || !m.dst || !m.policy)
    return fail(ErrorCode::Malformed, "policy message type {} lacks addresses or X_POLICY", m.header.type);
  core::ipsec::PolicySpec p;
  auto sel = selector_of(*m.src, *m.dst);
  if (!sel) return fail(sel.error());
  p.selector = *sel;
  auto dir = dir_of(m.policy->dir, d);
  if (!dir) return fail(dir.error());
  p.dir = *dir;
  p.index = m.policy->id;
  p.priority = m.policy->priority;
  switch (m.policy->type) {
    case kPolicyIpsec: p.action = core::ipsec::Action::Protect; break;
    case kPolicyNone:
    case kPolicyBypass: p.action = core::ipsec::Action::Bypass; break;
    case kPolicyDiscard: p.action = core::ipsec::Action::Discard; break;
    default: return fail(ErrorCode::Unsupported, "sadb_x_policy_type {}", m.policy->type);
  }
  for (const auto& rq : m.policy->requests) {
    auto t = template_of(rq);
    if (!t) return fail(t.error());
    p.templates.push_back(*t);
  }
  return p;
}

core::Result<Message> make_migrate(const core::ipsec::MigrateRequest& r, Stamp st, const Dialect& d) {
  if (r.entries.empty()) return fail(ErrorCode::InvalidSyntax, "MIGRATE without entries");
  if (r.encap) return fail(ErrorCode::Unsupported, "SADB_X_MIGRATE carries no NAT-T encapsulation");
  if (d.flavor == Flavor::Kame && (r.new_km || r.old_km))
    return fail(ErrorCode::Unsupported, "KAME PF_KEY has no SADB_X_EXT_KMADDRESS");
  auto m = selector_message(msg::kXMigrate, r.selector, st);
  if (!m) return m;
  m->header.satype = satype_of(r.entries.front().proto);  // af_key pfkey_send_migrate
  auto dir = wire_dir(r.dir, d);
  if (!dir) return fail(dir.error());
  PolicyExt pol;
  pol.dir = *dir;
  for (const auto& e : r.entries) {
    if (e.old_src.family() != e.old_dst.family() || e.new_src.family() != e.new_dst.family())
      return fail(ErrorCode::Unsupported, "MIGRATE endpoints of two families");
    auto [old_rq, new_rq] = request_pair(e);
    pol.requests.push_back(std::move(old_rq));
    pol.requests.push_back(std::move(new_rq));
  }
  m->policy = std::move(pol);
  // XFRM and PF_KEY carry one KM pair: where key management runs after the move.
  if (r.new_km) m->kmaddress = KmAddressExt{SockAddr{r.new_km->local, 0}, SockAddr{r.new_km->remote, 0}};
  return m;
}

core::Result<core::ipsec::MigrateRequest> migrate_of(const Message& m, const Dialect& d) {
  if (!m.src || !m.dst || !m.policy) return fail(ErrorCode::Malformed, "X_MIGRATE lacks addresses or X_POLICY");
  const auto& rqs = m.policy->requests;
  if (rqs.empty() || rqs.size() % 2 != 0)
    return fail(ErrorCode::Malformed, "X_MIGRATE carries {} ipsecrequests, not old/new pairs", rqs.size());
  core::ipsec::MigrateRequest r;
  auto sel = selector_of(*m.src, *m.dst);
  if (!sel) return fail(sel.error());
  r.selector = *sel;
  auto dir = dir_of(m.policy->dir, d);
  if (!dir) return fail(dir.error());
  r.dir = *dir;
  for (std::size_t i = 0; i < rqs.size(); i += 2) {
    const auto& o = rqs[i];
    const auto& n = rqs[i + 1];
    // af_key ipsecrequests_to_migrate: a pair agrees on proto, mode, reqid.
    if (o.proto != n.proto || o.mode != n.mode || o.reqid != n.reqid)
      return fail(ErrorCode::Malformed, "X_MIGRATE pair {} disagrees on proto, mode or reqid", i / 2);
    if (!o.src || !n.src) return fail(ErrorCode::Malformed, "X_MIGRATE pair {} lacks endpoints", i / 2);
    auto proto = request_proto(o.proto);
    if (!proto) return fail(proto.error());
    auto mode = mode_of(o.mode);
    if (!mode) return fail(mode.error());
    r.entries.push_back({*proto, *mode, o.reqid, o.src->addr, o.dst->addr, n.src->addr, n.dst->addr});
  }
  if (m.kmaddress) r.new_km = core::ipsec::KmAddress{m.kmaddress->local.addr, m.kmaddress->remote.addr};
  return r;
}

core::Result<core::ipsec::AcquireEvent> acquire_of(const Message& m) {
  // RFC 2367 §3.1.6 <base, address(SD), (identity), (sensitivity), proposal>
  // plus X_POLICY (af_key pfkey_send_acquire, KAME key_acquire) carrying
  // the policy id, and KAME's SADB_X_EXT_PACKET.
  if (!m.src || !m.dst || !m.policy) return fail(ErrorCode::Malformed, "SADB_ACQUIRE lacks addresses or X_POLICY");
  if (m.src->sa.addr.family() != m.dst->sa.addr.family())
    return fail(ErrorCode::Malformed, "SADB_ACQUIRE addresses of two families");
  auto proto = proto_of(m.header.satype);
  if (!proto) return fail(proto.error());
  core::ipsec::AcquireEvent ev;
  ev.policy_index = m.policy->id;
  ev.src = m.src->sa.addr;
  ev.dst = m.dst->sa.addr;
  ev.selector.src = Prefix::host(ev.src);
  ev.selector.dst = Prefix::host(ev.dst);
  ev.selector.proto = m.src->proto == kUlprotoAny ? core::net::proto::kAny : m.src->proto;
  ev.selector.sport = port_range(m.src->sa.port);
  ev.selector.dport = port_range(m.dst->sa.port);
  ev.tmpl.proto = *proto;
  for (const auto& rq : m.policy->requests) {
    if (rq.proto != static_cast<std::uint16_t>(*proto)) continue;
    if (auto t = template_of(rq)) ev.tmpl = *t;
    break;
  }
  if (m.sa2) {
    if (auto mode = mode_of(m.sa2->mode)) ev.tmpl.mode = *mode;
    if (m.sa2->reqid != 0) ev.tmpl.reqid = m.sa2->reqid;
  }
  if (ev.tmpl.mode == Mode::Tunnel && ev.tmpl.src.is_unspecified() && ev.tmpl.dst.is_unspecified()) {
    ev.tmpl.src = ev.src;
    ev.tmpl.dst = ev.dst;
  }
  ev.packet = m.packet;
  return ev;
}

core::Result<std::optional<core::ipsec::KernelEvent>> event_of(const Message& m, const Dialect& d) {
  using core::ipsec::KernelEvent;
  using core::ipsec::PolicyEvent;
  if (m.header.errno_value != 0) return std::optional<KernelEvent>{};
  auto policy_event = [&](PolicyEvent::Kind kind) -> core::Result<std::optional<KernelEvent>> {
    auto p = policy_of(m, d);
    if (!p) return fail(p.error());
    return std::optional<KernelEvent>{PolicyEvent{kind, std::move(*p)}};
  };
  switch (m.header.type) {
    case msg::kAcquire: {
      auto ev = acquire_of(m);
      if (!ev) return fail(ev.error());
      return std::optional<KernelEvent>{std::move(*ev)};
    }
    case msg::kExpire: {
      auto ev = expire_of(m);
      if (!ev) return fail(ev.error());
      return std::optional<KernelEvent>{*ev};
    }
    case msg::kXMigrate: {
      auto r = migrate_of(m, d);
      if (!r) return fail(r.error());
      return std::optional<KernelEvent>{core::ipsec::MigrateEvent{std::move(*r)}};
    }
    case msg::kXSpdAdd: return policy_event(PolicyEvent::Kind::Added);
    case msg::kXSpdUpdate: return policy_event(PolicyEvent::Kind::Updated);
    case msg::kXSpdDelete:
    case msg::kXSpdDelete2: return policy_event(PolicyEvent::Kind::Deleted);
    case msg::kXSpdExpire: return policy_event(PolicyEvent::Kind::Expired);
    default: return std::optional<KernelEvent>{};
  }
}

}  // namespace kernel::pfkey

// kernel/pfkey/translate_sa.cc — SA values <-> SADB_GETSPI/ADD/UPDATE/
// DELETE/GET/EXPIRE and the header-only messages.
#include <algorithm>

#include "kernel/pfkey/algorithms.h"
#include "kernel/pfkey/translate.h"

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;
using core::ipsec::Proto;
using core::net::Address;

namespace {

AddressExt host_address(const Address& a, std::uint8_t proto = kUlprotoAny) {
  return AddressExt{proto, static_cast<std::uint8_t>(a.is_v4() ? 32 : 128), SockAddr{a, 0}};
}

Header header(std::uint8_t type, std::uint8_t satype, Stamp st) {
  Header h;
  h.type = type;
  h.satype = satype;
  h.seq = st.seq;
  h.pid = st.pid;
  return h;
}

std::optional<LifetimeExt> limits(std::uint64_t bytes, std::uint64_t packets, std::uint64_t seconds) {
  if (bytes == 0 && packets == 0 && seconds == 0) return std::nullopt;
  // Linux af_key maps sadb_lifetime_allocations to the packet limit.
  LifetimeExt l;
  l.allocations = static_cast<std::uint32_t>(std::min<std::uint64_t>(packets, 0xffffffff));
  l.bytes = bytes;
  l.addtime = seconds;
  return l;
}

// replay_byte: sadb_sa_replay is packets on Linux (af_key: replay_window =
// sadb_sa_replay) and bytes of bitmap on KAME (key_setsaval: wsize =
// sadb_sa_replay); one byte either way.
std::uint8_t replay_byte(std::uint32_t window, Flavor f) {
  const std::uint32_t v = f == Flavor::Kame ? (window + 7) / 8 : window;
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(v, 0xff));
}

core::Status check_sa_selector(const core::ipsec::SaSpec& sa) {
  if (!sa.selector) return core::ok();
  const auto& s = *sa.selector;
  // PF_KEY derives a transport SA's selector from its two addresses and
  // the address extensions' protocol (af_key pfkey_msg2xfrm_state).
  if (!s.sport.is_any() || !s.dport.is_any() || !s.src.is_host() || !s.dst.is_host() ||
      s.src.address() != sa.src || s.dst.address() != sa.dst)
    return fail(ErrorCode::Unsupported, "PF_KEY SA selectors are the SA's own addresses and a protocol only");
  return core::ok();
}

}  // namespace

std::uint8_t satype_of(Proto p) {
  switch (p) {
    case Proto::Esp: return satype::kEsp;
    case Proto::Ah: return satype::kAh;
    case Proto::Comp: return satype::kIpcomp;
  }
  return satype::kUnspec;
}

core::Result<Proto> proto_of(std::uint8_t t) {
  switch (t) {
    case satype::kEsp: return Proto::Esp;
    case satype::kAh: return Proto::Ah;
    case satype::kIpcomp: return Proto::Comp;
    default: return fail(ErrorCode::Unsupported, "sadb_msg_satype {} is not ESP, AH or IPCOMP", t);
  }
}

Message make_simple(std::uint8_t type, std::uint8_t satype, Stamp st) {
  Message m;
  m.header = header(type, satype, st);
  return m;
}

Message make_getspi(const Address& src, const Address& dst, Proto proto, std::uint32_t reqid, std::uint32_t min,
                    std::uint32_t max, Stamp st) {
  // RFC 2367 §3.1.1: <base, address, SPI range>; SA2 carries the reqid the
  // larval SA is bound to (af_key pfkey_getspi, KAME key_getspi).
  Message m;
  m.header = header(msg::kGetspi, satype_of(proto), st);
  m.sa2 = Sa2Ext{kModeAny, 0, reqid};
  m.src = host_address(src);
  m.dst = host_address(dst);
  m.spirange = SpiRangeExt{min, max};
  return m;
}

core::Result<std::uint32_t> spi_of(const Message& m) {
  if (!m.sa) return fail(ErrorCode::Malformed, "message type {} without an SA extension", m.header.type);
  return m.sa->spi;
}

core::Result<Message> make_add(std::uint8_t type, const core::ipsec::SaSpec& sa, Stamp st, const Dialect& d) {
  if (sa.mark.value != 0 || sa.mark.mask != 0) return fail(ErrorCode::Unsupported, "PF_KEY has no SA marks");
  if (sa.esn) return fail(ErrorCode::Unsupported, "PF_KEY has no extended sequence numbers");
  if (sa.src.family() != sa.dst.family()) return fail(ErrorCode::Unsupported, "SA endpoints of two families");
  if (auto ok = check_sa_selector(sa); !ok) return fail(ok.error());
  Message m;
  m.header = header(type, satype_of(sa.proto), st);
  SaExt s;
  s.spi = sa.spi;
  s.replay = replay_byte(sa.replay_window, d.flavor);
  s.state = kSaStateMature;
  if (sa.proto == Proto::Comp) {
    // IPCOMP transform IDs equal SADB_X_CALG_* (RFC 2407 §4.4.5).
    s.encrypt = static_cast<std::uint8_t>(sa.enc.id);
  } else {
    if (sa.proto == Proto::Esp) {
      auto e = pfkey_ealg(sa.enc.id, d.flavor);
      if (!e) return fail(e.error());
      s.encrypt = *e;
    }
    auto a = pfkey_aalg(sa.integ.id, d.flavor);
    if (!a) return fail(a.error());
    s.auth = *a;
  }
  m.sa = s;
  m.sa2 = Sa2Ext{sa.mode == core::ipsec::Mode::Tunnel ? kModeTunnel : kModeTransport, 0, sa.reqid};
  const std::uint8_t proto = sa.selector && sa.selector->proto != 0 ? sa.selector->proto : kUlprotoAny;
  m.src = host_address(sa.src, proto);
  m.dst = host_address(sa.dst, proto);
  m.lifetime_hard = limits(sa.lifetime.hard_bytes, sa.lifetime.hard_packets, sa.lifetime.hard_seconds);
  m.lifetime_soft = limits(sa.lifetime.soft_bytes, sa.lifetime.soft_packets, sa.lifetime.soft_seconds);
  if (!sa.enc.key.empty()) m.key_encrypt = KeyExt{static_cast<std::uint16_t>(sa.enc.key.size() * 8), sa.enc.key};
  if (sa.integ.id != 0 || !sa.integ.key.empty())
    m.key_auth = KeyExt{static_cast<std::uint16_t>(sa.integ.key.size() * 8), sa.integ.key};
  if (sa.encap) {
    m.nat_t_type = kUdpEncapEspInUdp;
    m.nat_t_sport = sa.encap->sport;
    m.nat_t_dport = sa.encap->dport;
  }
  return m;
}

Message make_sa_id(std::uint8_t type, const core::ipsec::SaId& id, const Address& src, Stamp st) {
  // RFC 2367 §3.1.4/§3.1.5: <base, SA(*), address(SD)>.
  Message m;
  m.header = header(type, satype_of(id.proto), st);
  SaExt s;
  s.spi = id.spi;
  m.sa = s;
  m.src = host_address(src.family() == id.dst.family() ? src : Address::any(id.dst.family()));
  m.dst = host_address(id.dst);
  return m;
}

core::Result<core::ipsec::SaInfo> sa_info_of(const Message& m, const Dialect& d) {
  if (!m.sa || !m.src || !m.dst)
    return fail(ErrorCode::Malformed, "SA message type {} lacks SA or addresses", m.header.type);
  auto proto = proto_of(m.header.satype);
  if (!proto) return fail(proto.error());
  core::ipsec::SaInfo info;
  auto& sa = info.spec;
  sa.src = m.src->sa.addr;
  sa.dst = m.dst->sa.addr;
  sa.spi = m.sa->spi;
  sa.proto = *proto;
  if (m.sa2) {
    sa.mode = m.sa2->mode == kModeTunnel ? core::ipsec::Mode::Tunnel : core::ipsec::Mode::Transport;
    sa.reqid = m.sa2->reqid;
  }
  if (m.src->proto != kUlprotoAny && m.src->proto != 0) {
    core::net::Selector sel;
    sel.src = core::net::Prefix::host(sa.src);
    sel.dst = core::net::Prefix::host(sa.dst);
    sel.proto = m.src->proto;
    sa.selector = sel;
  }
  if (sa.proto == Proto::Comp) {
    sa.enc.id = m.sa->encrypt;
  } else {
    if (sa.proto == Proto::Esp) {
      auto e = ikev2_encr(m.sa->encrypt, d.flavor);
      if (!e) return fail(ErrorCode::Unsupported, "sadb_sa_encrypt {} has no IKEv2 transform", m.sa->encrypt);
      sa.enc.id = *e;
    }
    auto a = ikev2_integ(m.sa->auth, d.flavor);
    if (!a) return fail(ErrorCode::Unsupported, "sadb_sa_auth {} has no IKEv2 transform", m.sa->auth);
    sa.integ.id = *a;
  }
  if (m.key_encrypt) sa.enc.key = m.key_encrypt->key;
  if (m.key_auth) sa.integ.key = m.key_auth->key;
  sa.enc.key_bits = encr_key_length_attribute(sa.enc.id, sa.enc.key.size());
  if (m.nat_t_type) sa.encap = core::ipsec::Encap{m.nat_t_sport.value_or(4500), m.nat_t_dport.value_or(4500)};
  sa.replay_window = d.flavor == Flavor::Kame ? std::uint32_t{m.sa->replay} * 8 : m.sa->replay;
  if (m.lifetime_hard) {
    sa.lifetime.hard_bytes = m.lifetime_hard->bytes;
    sa.lifetime.hard_packets = m.lifetime_hard->allocations;
    sa.lifetime.hard_seconds = m.lifetime_hard->addtime;
  }
  if (m.lifetime_soft) {
    sa.lifetime.soft_bytes = m.lifetime_soft->bytes;
    sa.lifetime.soft_packets = m.lifetime_soft->allocations;
    sa.lifetime.soft_seconds = m.lifetime_soft->addtime;
  }
  if (m.lifetime_current) {
    info.counters.bytes = m.lifetime_current->bytes;
    info.counters.packets = m.lifetime_current->allocations;
    info.counters.add_time = m.lifetime_current->addtime;
    info.counters.use_time = m.lifetime_current->usetime;
  }
  return info;
}

core::Result<core::ipsec::ExpireEvent> expire_of(const Message& m) {
  // RFC 2367 §3.1.7: <base, SA, lifetime(C and one of HS), address(SD)>.
  if (!m.sa || !m.dst) return fail(ErrorCode::Malformed, "SADB_EXPIRE without SA or destination");
  if (!m.lifetime_hard && !m.lifetime_soft) return fail(ErrorCode::Malformed, "SADB_EXPIRE without a lifetime");
  auto proto = proto_of(m.header.satype);
  if (!proto) return fail(proto.error());
  core::ipsec::ExpireEvent ev;
  ev.sa = core::ipsec::SaId{m.dst->sa.addr, m.sa->spi, *proto};
  ev.reqid = m.sa2 ? m.sa2->reqid : 0;
  ev.hard = m.lifetime_hard.has_value();
  return ev;
}

}  // namespace kernel::pfkey

// kernel/xfrm/decode.cc — selectors, SAs and policies from XFRM messages.
//
// The field order read below follows linux/xfrm.h; the static_asserts pin
// the offsets it relies on, so a layout change breaks the build, not the
// decoder.
#include "kernel/xfrm/decode.h"

#include <linux/udp.h>
#include <linux/xfrm.h>
#include <sys/socket.h>

#include <cstddef>

#include "kernel/xfrm/algorithms.h"
#include "kernel/xfrm/decode_internal.h"

namespace kernel::xfrm {

using core::ErrorCode;
using core::Result;
using core::Status;
using core::wire::Reader;
using namespace core::ipsec;
using core::net::Address;
using core::net::PortRange;
using core::net::Prefix;
using core::net::Selector;

static_assert(sizeof(xfrm_address_t) == 16);
static_assert(sizeof(xfrm_selector) == 56 && offsetof(xfrm_selector, dport) == 32 &&
              offsetof(xfrm_selector, family) == 40 && offsetof(xfrm_selector, proto) == 44 &&
              offsetof(xfrm_selector, ifindex) == 48);
static_assert(sizeof(xfrm_usersa_info) == 224 && offsetof(xfrm_usersa_info, id) == 56 &&
              offsetof(xfrm_usersa_info, saddr) == 80 && offsetof(xfrm_usersa_info, lft) == 96 &&
              offsetof(xfrm_usersa_info, curlft) == 160 &&
              offsetof(xfrm_usersa_info, stats) == 192 &&
              offsetof(xfrm_usersa_info, seq) == 204 && offsetof(xfrm_usersa_info, flags) == 216);
static_assert(sizeof(xfrm_userpolicy_info) == 168 &&
              offsetof(xfrm_userpolicy_info, priority) == 152 &&
              offsetof(xfrm_userpolicy_info, share) == 163);
static_assert(sizeof(xfrm_user_tmpl) == 64 && offsetof(xfrm_user_tmpl, family) == 24 &&
              offsetof(xfrm_user_tmpl, saddr) == 28 && offsetof(xfrm_user_tmpl, reqid) == 44 &&
              offsetof(xfrm_user_tmpl, aalgos) == 52);
static_assert(sizeof(xfrm_encap_tmpl) == 24 && offsetof(xfrm_encap_tmpl, encap_oa) == 8);
static_assert(sizeof(xfrm_algo) == 68 && sizeof(xfrm_algo_auth) == 72 &&
              sizeof(xfrm_algo_aead) == 72 && sizeof(xfrm_replay_state_esn) == 24);

namespace detail {

tl::unexpected<core::Error> malformed(std::string_view what) {
  return core::fail(ErrorCode::Malformed, "xfrm: {}", what);
}

bool read_raw_address(Reader& r, RawAddress& out) { return r.copy_to(out); }

Result<Address> to_address(const RawAddress& raw, std::uint16_t family) {
  if (family == AF_INET) return *Address::from_bytes(std::span(raw).first(4));
  if (family == AF_INET6) return *Address::from_bytes(raw);
  return core::fail(ErrorCode::Unsupported, "xfrm: address family {}", family);
}

Result<Proto> to_proto(std::uint8_t p) {
  switch (p) {
    case IPPROTO_ESP: return Proto::Esp;
    case IPPROTO_AH: return Proto::Ah;
    case IPPROTO_COMP: return Proto::Comp;
  }
  return core::fail(ErrorCode::Unsupported, "xfrm: IPsec protocol {}", p);
}

Result<Mode> to_mode(std::uint8_t m) {
  if (m == XFRM_MODE_TRANSPORT) return Mode::Transport;
  if (m == XFRM_MODE_TUNNEL) return Mode::Tunnel;
  return core::fail(ErrorCode::Unsupported, "xfrm: mode {}", m);
}

Result<Dir> to_dir(std::uint8_t d) {
  switch (d) {
    case XFRM_POLICY_IN: return Dir::In;
    case XFRM_POLICY_OUT: return Dir::Out;
    case XFRM_POLICY_FWD: return Dir::Fwd;
  }
  return core::fail(ErrorCode::Unsupported, "xfrm: policy direction {}", d);
}

Result<std::vector<Template>> read_templates(Reader data) {
  if (data.remaining() % sizeof(xfrm_user_tmpl) != 0) return malformed("XFRMA_TMPL length");
  std::vector<Template> out;
  while (!data.empty()) {
    RawAddress daddr, saddr;
    std::uint32_t spi = 0, reqid = 0, aalgos = 0, ealgos = 0, calgos = 0;
    std::uint8_t proto = 0, mode = 0, share = 0, optional = 0;
    std::uint16_t family = 0;
    if (!read_raw_address(data, daddr) || !data.u32(spi) || !data.u8(proto) || !data.skip(3) ||
        !host_u16(data, family) || !data.skip(2) || !read_raw_address(data, saddr) ||
        !host_u32(data, reqid) || !data.u8(mode) || !data.u8(share) || !data.u8(optional) ||
        !data.skip(1) || !host_u32(data, aalgos) || !host_u32(data, ealgos) ||
        !host_u32(data, calgos))
      return malformed("xfrm_user_tmpl");
    Template t;
    auto p = to_proto(proto);
    auto m = to_mode(mode);
    if (!p) return tl::unexpected(p.error());
    if (!m) return tl::unexpected(m.error());
    t.proto = *p;
    t.mode = *m;
    t.reqid = reqid;
    t.level = optional ? Level::Use : share == XFRM_SHARE_UNIQUE ? Level::Unique : Level::Require;
    if (t.mode == Mode::Tunnel) {
      auto s = to_address(saddr, family);
      auto d = to_address(daddr, family);
      if (!s) return tl::unexpected(s.error());
      if (!d) return tl::unexpected(d.error());
      t.src = *s;
      t.dst = *d;
    }
    out.push_back(t);
  }
  return out;
}

Status read_policy_info(Reader& r, PolicySpec& p, std::uint8_t& action) {
  auto sel = decode_selector(r);
  if (!sel) return tl::unexpected(sel.error());
  std::uint8_t dir = 0, flags = 0, share = 0;
  // lft (xfrm_lifetime_cfg, 64) and curlft (xfrm_lifetime_cur, 32) are
  // not part of a PolicySpec: kagi installs policies without lifetimes.
  if (!r.skip(sizeof(xfrm_lifetime_cfg) + sizeof(xfrm_lifetime_cur)) ||
      !host_u32(r, p.priority) || !host_u32(r, p.index) || !r.u8(dir) || !r.u8(action) ||
      !r.u8(flags) || !r.u8(share) || !r.skip(4))
    return malformed("xfrm_userpolicy_info");
  auto d = to_dir(dir);
  if (!d) return tl::unexpected(d.error());
  if (action != XFRM_POLICY_ALLOW && action != XFRM_POLICY_BLOCK)
    return malformed("policy action");
  p.selector = *sel;
  p.dir = *d;
  return core::ok();
}

Status apply_policy_attr(const NlAttr& a, PolicySpec& p) {
  Reader d = a.data;
  switch (a.type) {
    case XFRMA_TMPL: {
      auto t = read_templates(d);
      if (!t) return tl::unexpected(t.error());
      p.templates = std::move(*t);
      break;
    }
    case XFRMA_MARK:
      if (!host_u32(d, p.mark.value) || !host_u32(d, p.mark.mask)) return malformed("XFRMA_MARK");
      break;
    case XFRMA_POLICY_TYPE: {
      std::uint8_t type = 0;
      if (!d.u8(type)) return malformed("XFRMA_POLICY_TYPE");
      if (type != XFRM_POLICY_TYPE_MAIN)
        return core::fail(ErrorCode::Unsupported, "xfrm: sub-policy (type {})", type);
      break;
    }
    default:
      break;
  }
  return core::ok();
}

Status finish_policy(PolicySpec& p, std::uint8_t action) {
  if (action == XFRM_POLICY_BLOCK) {
    p.action = Action::Discard;
    p.templates.clear();  // a block policy never uses them
  } else {
    p.action = p.templates.empty() ? Action::Bypass : Action::Protect;
  }
  return core::ok();
}

Result<UsersaFixed> read_usersa_info(Reader& r) {
  UsersaFixed f;
  // A tunnel-mode SA's selector may be all zero (family 0): no selector.
  std::uint16_t sel_family = 0;
  {
    Reader peek = r;
    if (!peek.skip(offsetof(xfrm_selector, family)) || !host_u16(peek, sel_family))
      return malformed("xfrm_usersa_info");
  }
  if (sel_family == 0) {
    if (!r.skip(sizeof(xfrm_selector))) return malformed("xfrm_usersa_info");
  } else {
    auto sel = decode_selector(r);
    if (!sel) return tl::unexpected(sel.error());
    f.selector = *sel;
  }
  RawAddress daddr, saddr;
  std::uint8_t proto = 0, mode = 0, replay_window = 0;
  std::uint16_t family = 0;
  std::uint32_t stats_window = 0, replay = 0, integrity = 0, seq = 0;
  std::uint64_t soft_use = 0, hard_use = 0;
  Lifetime& l = f.spec.lifetime;
  SaCounters& c = f.counters;
  SaSpec& s = f.spec;
  if (!read_raw_address(r, daddr) || !r.u32(s.spi) || !r.u8(proto) || !r.skip(3) ||
      !read_raw_address(r, saddr) || !host_u64(r, l.soft_bytes) || !host_u64(r, l.hard_bytes) ||
      !host_u64(r, l.soft_packets) || !host_u64(r, l.hard_packets) ||
      !host_u64(r, l.soft_seconds) || !host_u64(r, l.hard_seconds) || !host_u64(r, soft_use) ||
      !host_u64(r, hard_use) || !host_u64(r, c.bytes) || !host_u64(r, c.packets) ||
      !host_u64(r, c.add_time) || !host_u64(r, c.use_time) || !host_u32(r, stats_window) ||
      !host_u32(r, replay) || !host_u32(r, integrity) || !host_u32(r, seq) ||
      !host_u32(r, s.reqid) || !host_u16(r, family) || !r.u8(mode) || !r.u8(replay_window) ||
      !r.u8(f.flags) || !r.skip(7))
    return malformed("xfrm_usersa_info");
  // XFRM_INF is the kernel's "no limit", 0 in a Lifetime.
  for (std::uint64_t* v : {&l.soft_bytes, &l.hard_bytes, &l.soft_packets, &l.hard_packets})
    if (*v == XFRM_INF) *v = 0;
  c.replay_dropped = replay;
  c.integrity_failed = integrity;
  auto p = to_proto(proto);
  auto m = to_mode(mode);
  auto src = to_address(saddr, family);
  auto dst = to_address(daddr, family);
  if (!p) return tl::unexpected(p.error());
  if (!m) return tl::unexpected(m.error());
  if (!src) return tl::unexpected(src.error());
  if (!dst) return tl::unexpected(dst.error());
  s.proto = *p;
  s.mode = *m;
  s.src = *src;
  s.dst = *dst;
  s.replay_window = replay_window;
  s.esn = (f.flags & XFRM_STATE_ESN) != 0;
  return f;
}

}  // namespace detail

using detail::malformed;

namespace {

// decode_ports inverts the kernel's masked port match: a contiguous mask
// is an aligned block of ports; any other mask has no PortRange.
Result<PortRange> decode_ports(std::uint16_t port, std::uint16_t mask) {
  std::uint32_t inv = static_cast<std::uint16_t>(~mask);
  if (((inv + 1) & inv) != 0)
    return core::fail(ErrorCode::Unsupported, "xfrm: port mask {:#06x} is not contiguous", mask);
  std::uint16_t start = port & mask;
  return PortRange{start, static_cast<std::uint16_t>(start | inv)};
}

// read_algorithm reads struct xfrm_algo / xfrm_algo_auth / xfrm_algo_aead:
// a 64-byte NUL-padded name, the key length in bits, for the last two the
// ICV length in bits, then the key.
Result<Algorithm> read_algorithm(Reader d, AlgKind kind, bool with_icv) {
  std::string name;
  std::uint32_t key_bits = 0, icv_bits = 0;
  if (!d.string(64, name) || !host_u32(d, key_bits) || (with_icv && !host_u32(d, icv_bits)))
    return malformed("xfrm_algo");
  name.resize(std::min(name.find('\0'), name.size()));
  if (key_bits % 8 != 0) return malformed("algorithm key length not whole bytes");
  Algorithm a;
  if (!d.copy(key_bits / 8, a.key)) return malformed("algorithm key shorter than its length");
  auto row = find_kernel_alg(kind, name, icv_bits);
  if (!row)
    return core::fail(ErrorCode::Unsupported, "xfrm: kernel algorithm {} ({} bits ICV)", name,
                      icv_bits);
  a.id = row->ike_id;
  a.key_bits = ike_key_bits(*row, a.key.size());
  return a;
}

Status apply_sa_attr(const NlAttr& a, SaRecord& rec, std::optional<Algorithm>& legacy_auth,
                     bool& have_trunc) {
  SaSpec& s = rec.info.spec;
  Reader d = a.data;
  Result<Algorithm> alg = Algorithm{};
  switch (a.type) {
    case XFRMA_ALG_CRYPT:
      if (!(alg = read_algorithm(d, AlgKind::Crypt, false))) return tl::unexpected(alg.error());
      s.enc = std::move(*alg);
      break;
    case XFRMA_ALG_AEAD:
      if (!(alg = read_algorithm(d, AlgKind::Aead, true))) return tl::unexpected(alg.error());
      s.enc = std::move(*alg);
      break;
    case XFRMA_ALG_COMP:
      if (!(alg = read_algorithm(d, AlgKind::Comp, false))) return tl::unexpected(alg.error());
      s.enc = std::move(*alg);
      break;
    case XFRMA_ALG_AUTH_TRUNC:
      if (!(alg = read_algorithm(d, AlgKind::AuthTrunc, true))) return tl::unexpected(alg.error());
      s.integ = std::move(*alg);
      have_trunc = true;
      break;
    case XFRMA_ALG_AUTH:
      if (!(alg = read_algorithm(d, AlgKind::AuthTrunc, false))) return tl::unexpected(alg.error());
      legacy_auth = std::move(*alg);
      break;
    case XFRMA_ENCAP: {
      std::uint16_t type = 0;
      Encap e;
      if (!host_u16(d, type) || !d.u16(e.sport) || !d.u16(e.dport) || !d.skip(2 + 16))
        return malformed("xfrm_encap_tmpl");
      if (type != UDP_ENCAP_ESPINUDP)
        return core::fail(ErrorCode::Unsupported, "xfrm: encapsulation type {}", type);
      s.encap = e;
      break;
    }
    case XFRMA_MARK:
      if (!host_u32(d, s.mark.value) || !host_u32(d, s.mark.mask)) return malformed("XFRMA_MARK");
      break;
    case XFRMA_REPLAY_ESN_VAL: {
      // struct xfrm_replay_state_esn: bmp_len, oseq, seq, oseq_hi, seq_hi,
      // replay_window, then bmp_len 32-bit words of bitmap.
      Reader h = d;
      std::uint32_t bmp_len = 0, window = 0;
      if (!host_u32(h, bmp_len) || !h.skip(16) || !host_u32(h, window) ||
          h.remaining() != std::size_t{bmp_len} * 4 || bmp_len > XFRMA_REPLAY_ESN_MAX / 32)
        return malformed("xfrm_replay_state_esn");
      s.replay_window = window;
      rec.replay_type = XFRMA_REPLAY_ESN_VAL;
      rec.replay.assign(d.view().begin(), d.view().end());
      break;
    }
    case XFRMA_REPLAY_VAL:
      if (d.remaining() != sizeof(xfrm_replay_state)) return malformed("xfrm_replay_state");
      if (rec.replay_type != XFRMA_REPLAY_ESN_VAL) {
        rec.replay_type = XFRMA_REPLAY_VAL;
        rec.replay.assign(d.view().begin(), d.view().end());
      }
      break;
    case XFRMA_LTIME_VAL:
      if (d.remaining() != sizeof(xfrm_lifetime_cur)) return malformed("xfrm_lifetime_cur");
      rec.ltime.assign(d.view().begin(), d.view().end());
      break;
    default:
      break;
  }
  return core::ok();
}

}  // namespace

Result<Selector> decode_selector(Reader& r) {
  detail::RawAddress daddr, saddr;
  std::uint16_t dport = 0, dmask = 0, sport = 0, smask = 0, family = 0;
  std::uint8_t plen_d = 0, plen_s = 0, proto = 0;
  std::uint32_t ifindex = 0, user = 0;
  if (!detail::read_raw_address(r, daddr) || !detail::read_raw_address(r, saddr) ||
      !r.u16(dport) || !r.u16(dmask) || !r.u16(sport) || !r.u16(smask) || !host_u16(r, family) ||
      !r.u8(plen_d) || !r.u8(plen_s) || !r.u8(proto) || !r.skip(3) || !host_u32(r, ifindex) ||
      !host_u32(r, user))
    return malformed("xfrm_selector");
  auto d = detail::to_address(daddr, family);
  auto s = detail::to_address(saddr, family);
  if (!d) return tl::unexpected(d.error());
  if (!s) return tl::unexpected(s.error());
  unsigned max = family == AF_INET ? 32 : 128;
  if (plen_d > max || plen_s > max) return malformed("selector prefix length");
  auto sp = decode_ports(sport, smask);
  auto dp = decode_ports(dport, dmask);
  if (!sp) return tl::unexpected(sp.error());
  if (!dp) return tl::unexpected(dp.error());
  Selector sel;
  sel.src = Prefix(*s, plen_s);
  sel.dst = Prefix(*d, plen_d);
  sel.proto = proto;
  sel.sport = *sp;
  sel.dport = *dp;
  return sel;
}

Result<SaRecord> decode_sa(Reader payload) {
  auto f = detail::read_usersa_info(payload);
  if (!f) return tl::unexpected(f.error());
  skip_padding(payload, sizeof(xfrm_usersa_info));
  SaRecord rec;
  rec.info.spec = std::move(f->spec);
  rec.info.counters = f->counters;
  if (rec.info.spec.mode == Mode::Transport) rec.info.spec.selector = f->selector;
  std::optional<Algorithm> legacy_auth;
  bool have_trunc = false;
  AttrReader attrs(payload);
  NlAttr a;
  while (attrs.next(a))
    if (auto st = apply_sa_attr(a, rec, legacy_auth, have_trunc); !st)
      return tl::unexpected(st.error());
  if (attrs.malformed()) return malformed("SA attribute length");
  if (!have_trunc && legacy_auth) rec.info.spec.integ = std::move(*legacy_auth);
  return rec;
}

Result<PolicySpec> decode_policy(Reader payload) {
  PolicySpec p;
  std::uint8_t action = 0;
  if (auto st = detail::read_policy_info(payload, p, action); !st)
    return tl::unexpected(st.error());
  skip_padding(payload, sizeof(xfrm_userpolicy_info));
  AttrReader attrs(payload);
  NlAttr a;
  while (attrs.next(a))
    if (auto st = detail::apply_policy_attr(a, p); !st) return tl::unexpected(st.error());
  if (attrs.malformed()) return malformed("policy attribute length");
  if (auto st = detail::finish_policy(p, action); !st) return tl::unexpected(st.error());
  return p;
}

}  // namespace kernel::xfrm

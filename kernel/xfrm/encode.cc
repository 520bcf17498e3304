#include "kernel/xfrm/encode.h"

#include <arpa/inet.h>
#include <linux/udp.h>

#include <algorithm>
#include <cstring>

#include "kernel/xfrm/algorithms.h"

namespace kernel::xfrm {

using core::ErrorCode;
using core::Status;
using core::ipsec::Algorithm;
using core::ipsec::Proto;
using core::net::Address;

namespace {

constexpr std::uint16_t kRequestAck = NLM_F_REQUEST | NLM_F_ACK;
constexpr std::uint32_t kAllAlgos = ~0u;   // xfrm_user_tmpl: any algorithm
constexpr std::size_t kMaxDepth = 6;       // XFRM_MAX_DEPTH (net/xfrm.h)
constexpr std::uint32_t kLegacyReplayMax = 32;  // bits in xfrm_replay_state

std::uint64_t limit(std::uint64_t v) { return v == 0 ? XFRM_INF : v; }

// encode_ports turns an inclusive range into the (port, mask) pair of the
// kernel's masked comparison; only ranges that are one aligned power-of-two
// block (a "prefix" of the port space) can be expressed.
Status encode_ports(const core::net::PortRange& r, __be16& port, __be16& mask,
                    const char* which) {
  if (r.start > r.end) return core::fail(ErrorCode::InvalidSyntax, "{} range is empty", which);
  std::uint32_t size = std::uint32_t{r.end} - r.start + 1;
  if ((size & (size - 1)) != 0 || r.start % size != 0)
    return core::fail(ErrorCode::Unsupported,
                      "{} range {}-{} is not a prefix of the port space: XFRM selectors "
                      "hold a port and a mask",
                      which, r.start, r.end);
  port = htons(size == 0x10000 ? 0 : r.start);
  mask = htons(static_cast<std::uint16_t>(~(size - 1)));
  return core::ok();
}

Status check_family(const Address& a, const Address& b, const char* what) {
  if (a.family() != b.family())
    return core::fail(ErrorCode::InvalidSyntax, "{}: {} and {} differ in family", what,
                      a.to_string(), b.to_string());
  return core::ok();
}

void put_name(char (&dst)[64], std::string_view name) {
  std::memcpy(dst, name.data(), std::min(name.size(), sizeof(dst) - 1));
}

// put_algorithm appends one XFRMA_ALG_* attribute for a mapped row.
Status put_algorithm(NlMessage& out, const KernelAlg& row, const Algorithm& alg) {
  if (row.key_length_attr && alg.key_bits != 0 &&
      alg.key_bits != ike_key_bits(row, alg.key.size()))
    return core::fail(ErrorCode::InvalidSyntax, "{}: {} key bytes do not give {} key bits",
                      row.name, alg.key.size(), alg.key_bits);
  std::uint32_t key_len = static_cast<std::uint32_t>(alg.key.size() * 8);
  switch (row.kind) {
    case AlgKind::Crypt:
    case AlgKind::Comp: {
      auto* a = static_cast<xfrm_algo*>(out.reserve(
          row.kind == AlgKind::Crypt ? XFRMA_ALG_CRYPT : XFRMA_ALG_COMP,
          sizeof(xfrm_algo) + alg.key.size()));
      if (!a) break;
      put_name(a->alg_name, row.name);
      a->alg_key_len = key_len;
      if (!alg.key.empty()) std::memcpy(a->alg_key, alg.key.data(), alg.key.size());
      break;
    }
    case AlgKind::AuthTrunc: {
      auto* a = static_cast<xfrm_algo_auth*>(
          out.reserve(XFRMA_ALG_AUTH_TRUNC, sizeof(xfrm_algo_auth) + alg.key.size()));
      if (!a) break;
      put_name(a->alg_name, row.name);
      a->alg_key_len = key_len;
      a->alg_trunc_len = row.icv_bits;
      if (!alg.key.empty()) std::memcpy(a->alg_key, alg.key.data(), alg.key.size());
      break;
    }
    case AlgKind::Aead: {
      auto* a = static_cast<xfrm_algo_aead*>(
          out.reserve(XFRMA_ALG_AEAD, sizeof(xfrm_algo_aead) + alg.key.size()));
      if (!a) break;
      put_name(a->alg_name, row.name);
      a->alg_key_len = key_len;
      a->alg_icv_len = row.icv_bits;
      if (!alg.key.empty()) std::memcpy(a->alg_key, alg.key.data(), alg.key.size());
      break;
    }
  }
  return out.status();
}

Status put_algorithms(NlMessage& out, const core::ipsec::SaSpec& sa) {
  if (sa.proto == Proto::Comp) {
    if (sa.integ.id != 0) return core::fail(ErrorCode::InvalidSyntax, "IPComp SA with integrity");
    if (sa.enc.id == 0) return core::ok();
    auto row = comp_alg(sa.enc.id);
    if (!row) return core::fail(ErrorCode::Unsupported, "no kernel name for IPCOMP {}", sa.enc.id);
    return put_algorithm(out, *row, sa.enc);
  }
  if (sa.enc.id != 0) {
    if (sa.proto == Proto::Ah) return core::fail(ErrorCode::InvalidSyntax, "AH SA with encryption");
    auto row = encr_alg(sa.enc.id);
    if (!row) return core::fail(ErrorCode::Unsupported, "no kernel name for ENCR {}", sa.enc.id);
    if (row->kind == AlgKind::Aead && sa.integ.id != 0)
      return core::fail(ErrorCode::InvalidSyntax, "{} is AEAD: no integrity transform allowed",
                        row->name);
    if (auto st = put_algorithm(out, *row, sa.enc); !st) return st;
  }
  if (sa.integ.id != 0) {
    auto row = integ_alg(sa.integ.id);
    if (!row) return core::fail(ErrorCode::Unsupported, "no kernel name for AUTH {}", sa.integ.id);
    if (auto st = put_algorithm(out, *row, sa.integ); !st) return st;
  }
  return core::ok();
}

void put_mark(NlMessage& out, const core::ipsec::Mark& m) {
  if (m.value == 0 && m.mask == 0) return;
  xfrm_mark xm{};
  xm.v = m.value;
  xm.m = m.mask;
  out.put(XFRMA_MARK, xm);
}

void put_encap(NlMessage& out, const core::ipsec::Encap& e) {
  xfrm_encap_tmpl t;
  std::memset(&t, 0, sizeof(t));
  t.encap_type = UDP_ENCAP_ESPINUDP;  // RFC 3948 §2.1
  t.encap_sport = htons(e.sport);
  t.encap_dport = htons(e.dport);
  out.put(XFRMA_ENCAP, t);
}

void infinite_lifetime(xfrm_lifetime_cfg& l) {
  l.soft_byte_limit = l.hard_byte_limit = XFRM_INF;
  l.soft_packet_limit = l.hard_packet_limit = XFRM_INF;
}

Status put_template(xfrm_user_tmpl& t, const core::ipsec::Template& tmpl, std::uint16_t sel_family) {
  t.id.proto = static_cast<std::uint8_t>(tmpl.proto);
  t.mode = xfrm_mode(tmpl.mode);
  t.reqid = tmpl.reqid;
  t.family = sel_family;
  if (tmpl.mode == core::ipsec::Mode::Tunnel) {
    if (auto st = check_family(tmpl.src, tmpl.dst, "tunnel template"); !st) return st;
    t.family = address_family(tmpl.dst);
    put_address(tmpl.dst, t.id.daddr);
    put_address(tmpl.src, t.saddr);
  }
  t.optional = tmpl.level == core::ipsec::Level::Use ? 1 : 0;
  t.share = tmpl.level == core::ipsec::Level::Unique ? XFRM_SHARE_UNIQUE : XFRM_SHARE_ANY;
  t.aalgos = t.ealgos = t.calgos = kAllAlgos;
  return core::ok();
}

}  // namespace

std::uint8_t xfrm_dir(core::ipsec::Dir d) {
  switch (d) {
    case core::ipsec::Dir::In: return XFRM_POLICY_IN;
    case core::ipsec::Dir::Out: return XFRM_POLICY_OUT;
    case core::ipsec::Dir::Fwd: return XFRM_POLICY_FWD;
  }
  return XFRM_POLICY_OUT;
}

std::uint8_t xfrm_mode(core::ipsec::Mode m) {
  return m == core::ipsec::Mode::Tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
}

std::uint16_t address_family(const Address& a) { return a.is_v4() ? AF_INET : AF_INET6; }

void put_address(const Address& a, xfrm_address_t& out) {
  std::memset(&out, 0, sizeof(out));
  auto b = a.bytes();
  std::memcpy(&out, b.data(), b.size());
}

Status encode_selector(const core::net::Selector& s, xfrm_selector& out) {
  std::memset(&out, 0, sizeof(out));
  if (s.src.family() != s.dst.family())
    return core::fail(ErrorCode::InvalidSyntax, "selector {} mixes families", s.to_string());
  put_address(s.dst.network(), out.daddr);
  put_address(s.src.network(), out.saddr);
  out.family = address_family(s.src.address());
  out.prefixlen_d = s.dst.length();
  out.prefixlen_s = s.src.length();
  out.proto = s.proto;
  if (auto st = encode_ports(s.sport, out.sport, out.sport_mask, "source port"); !st) return st;
  return encode_ports(s.dport, out.dport, out.dport_mask, "destination port");
}

Status encode_add_sa(NlMessage& out, const core::ipsec::SaSpec& sa, bool update,
                     const SaState* state) {
  out.reset(update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, kRequestAck);
  if (auto st = check_family(sa.src, sa.dst, "SA endpoints"); !st) return st;
  auto* p = out.body<xfrm_usersa_info>();
  if (!p) return out.status();
  if (sa.mode == core::ipsec::Mode::Tunnel) {
    p->flags |= XFRM_STATE_AF_UNSPEC;  // inner traffic of either family
  } else if (sa.selector) {
    if (auto st = encode_selector(*sa.selector, p->sel); !st) return st;
  }
  put_address(sa.dst, p->id.daddr);
  p->id.spi = htonl(sa.spi);
  p->id.proto = static_cast<std::uint8_t>(sa.proto);
  put_address(sa.src, p->saddr);
  p->family = address_family(sa.dst);
  p->mode = xfrm_mode(sa.mode);
  p->reqid = sa.reqid;
  p->lft.soft_byte_limit = limit(sa.lifetime.soft_bytes);
  p->lft.hard_byte_limit = limit(sa.lifetime.hard_bytes);
  p->lft.soft_packet_limit = limit(sa.lifetime.soft_packets);
  p->lft.hard_packet_limit = limit(sa.lifetime.hard_packets);
  p->lft.soft_add_expires_seconds = sa.lifetime.soft_seconds;
  p->lft.hard_add_expires_seconds = sa.lifetime.hard_seconds;
  bool esn_attr = sa.esn || sa.replay_window > kLegacyReplayMax;
  if (!esn_attr) p->replay_window = static_cast<std::uint8_t>(sa.replay_window);
  if (sa.esn) p->flags |= XFRM_STATE_ESN;

  if (auto st = put_algorithms(out, sa); !st) return st;
  if (sa.encap) {
    if (sa.proto != Proto::Esp)
      return core::fail(ErrorCode::InvalidSyntax, "UDP encapsulation needs ESP");
    put_encap(out, *sa.encap);
  }
  bool carried_esn = state && state->replay_type == XFRMA_REPLAY_ESN_VAL;
  if (state && state->replay_type != 0)
    out.put(state->replay_type, state->replay.data(), state->replay.size());
  if (state && !state->ltime.empty())
    out.put(XFRMA_LTIME_VAL, state->ltime.data(), state->ltime.size());
  if (esn_attr && !carried_esn) {
    // RFC 4303 §3.3.3: the bitmap covers the window, in 32-bit words.
    if (sa.replay_window > XFRMA_REPLAY_ESN_MAX)
      return core::fail(ErrorCode::InvalidSyntax, "replay window {} exceeds {}", sa.replay_window,
                        XFRMA_REPLAY_ESN_MAX);
    std::uint32_t words = (sa.replay_window + 31) / 32;
    auto* r = static_cast<xfrm_replay_state_esn*>(
        out.reserve(XFRMA_REPLAY_ESN_VAL, sizeof(xfrm_replay_state_esn) + words * 4));
    if (r) {
      r->bmp_len = words;
      r->replay_window = sa.replay_window;
    }
  }
  put_mark(out, sa.mark);
  return out.status();
}

Status encode_sa_id(NlMessage& out, std::uint16_t type, const core::ipsec::SaId& id) {
  out.reset(type, kRequestAck);
  auto* p = out.body<xfrm_usersa_id>();
  if (!p) return out.status();
  put_address(id.dst, p->daddr);
  p->spi = htonl(id.spi);
  p->family = address_family(id.dst);
  p->proto = static_cast<std::uint8_t>(id.proto);
  return out.status();
}

Status encode_alloc_spi(NlMessage& out, const Address& src, const Address& dst, Proto proto,
                        std::uint32_t reqid, std::uint32_t min, std::uint32_t max) {
  out.reset(XFRM_MSG_ALLOCSPI, NLM_F_REQUEST);
  if (auto st = check_family(src, dst, "ALLOCSPI endpoints"); !st) return st;
  if (min > max) return core::fail(ErrorCode::InvalidSyntax, "SPI range {:#x}-{:#x}", min, max);
  auto* p = out.body<xfrm_userspi_info>();
  if (!p) return out.status();
  put_address(dst, p->info.id.daddr);
  p->info.id.proto = static_cast<std::uint8_t>(proto);
  put_address(src, p->info.saddr);
  p->info.family = address_family(dst);
  p->info.reqid = reqid;
  p->min = min;
  p->max = max;
  return out.status();
}

void encode_dump(NlMessage& out, std::uint16_t type) {
  out.reset(type, NLM_F_REQUEST | NLM_F_DUMP);
}

Status encode_policy(NlMessage& out, const core::ipsec::PolicySpec& p, bool update) {
  using core::ipsec::Action;
  out.reset(update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY, kRequestAck);
  if (p.action == Action::Protect && p.templates.empty())
    return core::fail(ErrorCode::InvalidSyntax, "protect policy without templates: {}",
                      p.to_string());
  if (p.action != Action::Protect && !p.templates.empty())
    return core::fail(ErrorCode::InvalidSyntax, "{} policy with templates: {}",
                      core::ipsec::action_name(p.action), p.to_string());
  if (p.templates.size() > kMaxDepth)
    return core::fail(ErrorCode::Unsupported, "{} templates: XFRM allows {}", p.templates.size(),
                      kMaxDepth);
  auto* info = out.body<xfrm_userpolicy_info>();
  if (!info) return out.status();
  if (auto st = encode_selector(p.selector, info->sel); !st) return st;
  infinite_lifetime(info->lft);
  info->priority = p.priority;
  info->index = p.index;
  info->dir = xfrm_dir(p.dir);
  info->action = p.action == Action::Discard ? XFRM_POLICY_BLOCK : XFRM_POLICY_ALLOW;
  info->share = XFRM_SHARE_ANY;
  if (!p.templates.empty()) {
    auto* t = static_cast<xfrm_user_tmpl*>(
        out.reserve(XFRMA_TMPL, sizeof(xfrm_user_tmpl) * p.templates.size()));
    if (!t) return out.status();
    for (std::size_t i = 0; i < p.templates.size(); ++i)
      if (auto st = put_template(t[i], p.templates[i], info->sel.family); !st) return st;
  }
  put_mark(out, p.mark);
  return out.status();
}

Status encode_policy_id(NlMessage& out, std::uint16_t type, const core::ipsec::PolicyKey& key) {
  out.reset(type, kRequestAck);
  auto* id = out.body<xfrm_userpolicy_id>();
  if (!id) return out.status();
  if (auto st = encode_selector(key.selector, id->sel); !st) return st;
  id->dir = xfrm_dir(key.dir);
  put_mark(out, key.mark);
  return out.status();
}

Status encode_migrate(NlMessage& out, const core::ipsec::MigrateRequest& req) {
  out.reset(XFRM_MSG_MIGRATE, kRequestAck);
  if (req.entries.empty() || req.entries.size() > kMaxDepth)
    return core::fail(ErrorCode::InvalidSyntax, "MIGRATE needs 1 to {} entries, got {}", kMaxDepth,
                      req.entries.size());
  auto* id = out.body<xfrm_userpolicy_id>();
  if (!id) return out.status();
  if (auto st = encode_selector(req.selector, id->sel); !st) return st;
  id->dir = xfrm_dir(req.dir);
  auto* m = static_cast<xfrm_user_migrate*>(
      out.reserve(XFRMA_MIGRATE, sizeof(xfrm_user_migrate) * req.entries.size()));
  if (!m) return out.status();
  for (std::size_t i = 0; i < req.entries.size(); ++i) {
    const auto& e = req.entries[i];
    if (auto st = check_family(e.old_src, e.old_dst, "MIGRATE old endpoints"); !st) return st;
    if (auto st = check_family(e.new_src, e.new_dst, "MIGRATE new endpoints"); !st) return st;
    put_address(e.old_dst, m[i].old_daddr);
    put_address(e.old_src, m[i].old_saddr);
    put_address(e.new_dst, m[i].new_daddr);
    put_address(e.new_src, m[i].new_saddr);
    m[i].proto = static_cast<std::uint8_t>(e.proto);
    m[i].mode = xfrm_mode(e.mode);
    m[i].reqid = e.reqid;
    m[i].old_family = address_family(e.old_dst);
    m[i].new_family = address_family(e.new_dst);
  }
  if (req.new_km) {
    // RFC 4877 §4.2.1 / UMIP: the key-management endpoints after the move.
    if (auto st = check_family(req.new_km->local, req.new_km->remote, "KM address"); !st)
      return st;
    xfrm_user_kmaddress k;
    std::memset(&k, 0, sizeof(k));
    put_address(req.new_km->local, k.local);
    put_address(req.new_km->remote, k.remote);
    k.family = address_family(req.new_km->local);
    out.put(XFRMA_KMADDRESS, k);
  }
  if (req.encap) put_encap(out, *req.encap);
  return out.status();
}

}  // namespace kernel::xfrm

// ikev2/sa/proposal.cc — proposal selection (RFC 7296 §2.7, §3.3.6).
#include "ikev2/sa/proposal.h"

#include <algorithm>
#include <array>

#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/crypto/transform_ids.h"

namespace ikev2 {

namespace {

using wire::Proposal;
using wire::Transform;
using TT = wire::TransformType;

// Pick is one transform ID with its key length (0 when absent).
struct Pick {
  std::uint16_t id = 0;
  std::uint16_t bits = 0;
  bool operator==(const Pick&) const = default;
};

// picks lists the transforms of one type; an absent type is NONE (ID 0),
// which is how RFC 7296 §3.3.3 treats an omitted optional transform.
std::vector<Pick> picks(const Proposal& p, TT type) {
  std::vector<Pick> out;
  for (const auto& t : p.transforms) {
    if (t.type == type) out.push_back({t.id, t.key_length().value_or(0)});
  }
  if (out.empty()) out.push_back({0, 0});
  return out;
}

// choose returns the first of local's picks that offered also has,
// preferring hint when both allow it.
std::optional<Pick> choose(const std::vector<Pick>& local, const std::vector<Pick>& offered,
                           std::uint16_t hint = 0) {
  std::optional<Pick> first;
  for (const auto& l : local) {
    if (std::find(offered.begin(), offered.end(), l) == offered.end()) continue;
    if (hint != 0 && l.id == hint) return l;
    if (!first) first = l;
  }
  return first;
}

// only_known says whether every transform type offered is one we negotiate,
// or offers NONE (e.g. RFC 9370 additional key exchanges made optional).
bool only_known(const Proposal& offered, std::initializer_list<TT> known) {
  for (const auto& t : offered.transforms) {
    if (std::find(known.begin(), known.end(), t.type) != known.end()) continue;
    auto p = picks(offered, t.type);
    if (std::none_of(p.begin(), p.end(), [](const Pick& x) { return x.id == 0; })) return false;
  }
  return true;
}

bool is_aead(std::uint16_t encr) {
  const auto* info = core::crypto::cipher_info(encr);
  return info != nullptr && info->aead;
}

std::optional<IkeAlgs> match_ike(const Proposal& local, const Proposal& offered, std::uint16_t hint) {
  if (offered.protocol != wire::ProtocolId::Ike) return std::nullopt;
  if (!only_known(offered, {TT::Encr, TT::Prf, TT::Integ, TT::Ke})) return std::nullopt;
  auto e = choose(picks(local, TT::Encr), picks(offered, TT::Encr));
  auto p = choose(picks(local, TT::Prf), picks(offered, TT::Prf));
  auto i = choose(picks(local, TT::Integ), picks(offered, TT::Integ));
  auto k = choose(picks(local, TT::Ke), picks(offered, TT::Ke), hint);
  if (!e || e->id == 0 || !p || p->id == 0 || !i || !k || k->id == 0) return std::nullopt;
  if (is_aead(e->id) != (i->id == 0)) return std::nullopt;
  return IkeAlgs{e->id, e->bits, p->id, i->id, k->id};
}

std::optional<ChildAlgs> match_child(const Proposal& local, const Proposal& offered,
                                     std::uint16_t hint) {
  if (offered.protocol != wire::ProtocolId::Esp) return std::nullopt;
  if (!only_known(offered, {TT::Encr, TT::Integ, TT::Ke, TT::Esn})) return std::nullopt;
  auto e = choose(picks(local, TT::Encr), picks(offered, TT::Encr));
  auto i = choose(picks(local, TT::Integ), picks(offered, TT::Integ));
  auto k = choose(picks(local, TT::Ke), picks(offered, TT::Ke), hint);
  auto n = choose(picks(local, TT::Esn), picks(offered, TT::Esn));
  if (!e || e->id == 0 || !i || !k || !n) return std::nullopt;
  if (is_aead(e->id) && i->id != 0) return std::nullopt;
  if (!is_aead(e->id) && i->id == 0 && e->id != core::crypto::EncrId::Null) return std::nullopt;
  return ChildAlgs{e->id, e->bits, i->id, k->id, n->id == 1};
}

template <typename Algs, typename Match>
std::optional<Chosen<Algs>> select(const wire::SaPayload& offered, const std::vector<Proposal>& local,
                                   std::uint16_t hint, Match match) {
  for (const auto& l : local) {
    for (const auto& o : offered.proposals) {
      if (auto a = match(l, o, hint)) return Chosen<Algs>{*a, o.number, o.spi};
    }
  }
  return std::nullopt;
}

Transform encr_transform(std::uint16_t id, std::uint16_t bits) {
  Transform t{TT::Encr, id, {}};
  if (bits != 0) t.attributes.push_back(wire::TransformAttribute::key_length(bits));
  return t;
}

std::string name(TT type, std::uint16_t id) { return wire::transform_id_name(type, id); }

std::size_t encr_keymat(std::uint16_t encr, std::uint16_t bits, bool& ok) {
  const auto* info = core::crypto::cipher_info(encr);
  if (info == nullptr) {
    ok = false;
    return 0;
  }
  const unsigned b = bits != 0 ? bits : info->default_key_bits();
  ok = info->allows_key_bits(b);
  return info->keymat_size(b);
}

}  // namespace

core::Result<IkeKeySizes> IkeAlgs::key_sizes() const {
  auto p = core::crypto::make_prf(prf);
  if (!p) return tl::unexpected(p.error());
  bool ok = true;
  IkeKeySizes s;
  s.prf_key = (*p)->key_size();
  s.encr_key = encr_keymat(encr, encr_bits, ok);
  if (!ok) return core::fail(core::ErrorCode::Unsupported, "IKE cipher {} ({} bits) unsupported", encr, encr_bits);
  if (integ != 0) {
    const auto* ii = core::crypto::integ_info(integ);
    if (ii == nullptr) return core::fail(core::ErrorCode::Unsupported, "IKE integrity {} unsupported", integ);
    s.integ_key = ii->key_size;
  }
  return s;
}

core::Result<ChildKeySizes> ChildAlgs::key_sizes() const {
  bool ok = true;
  ChildKeySizes s;
  s.encr_key = encr_keymat(encr, encr_bits, ok);
  if (!ok) return core::fail(core::ErrorCode::Unsupported, "ESP cipher {} ({} bits) unsupported", encr, encr_bits);
  if (integ != 0) {
    const auto* ii = core::crypto::integ_info(integ);
    if (ii == nullptr) return core::fail(core::ErrorCode::Unsupported, "ESP integrity {} unsupported", integ);
    s.integ_key = ii->key_size;
  }
  return s;
}

std::string IkeAlgs::to_string() const {
  std::string s = name(TT::Encr, encr);
  if (encr_bits != 0) s += "_" + std::to_string(encr_bits);
  if (integ != 0) s += "/" + name(TT::Integ, integ);
  return s + "/" + name(TT::Prf, prf) + "/" + name(TT::Ke, ke);
}

std::string ChildAlgs::to_string() const {
  std::string s = name(TT::Encr, encr);
  if (encr_bits != 0) s += "_" + std::to_string(encr_bits);
  if (integ != 0) s += "/" + name(TT::Integ, integ);
  if (ke != 0) s += "/" + name(TT::Ke, ke);
  return s + (esn ? "/ESN" : "/NO_ESN");
}

std::optional<Chosen<IkeAlgs>> select_ike(const wire::SaPayload& offered,
                                          const std::vector<Proposal>& local, std::uint16_t ke_hint) {
  return select<IkeAlgs>(offered, local, ke_hint, match_ike);
}

std::optional<Chosen<ChildAlgs>> select_child(const wire::SaPayload& offered,
                                              const std::vector<Proposal>& local,
                                              std::uint16_t ke_hint) {
  return select<ChildAlgs>(offered, local, ke_hint, match_child);
}

Proposal ike_proposal(const IkeAlgs& a, std::uint8_t number, std::vector<std::uint8_t> spi) {
  Proposal p{number, wire::ProtocolId::Ike, std::move(spi), {}};
  p.transforms.push_back(encr_transform(a.encr, a.encr_bits));
  p.transforms.push_back({TT::Prf, a.prf, {}});
  if (a.integ != 0) p.transforms.push_back({TT::Integ, a.integ, {}});
  p.transforms.push_back({TT::Ke, a.ke, {}});
  return p;
}

Proposal child_proposal(const ChildAlgs& a, std::uint8_t number, std::vector<std::uint8_t> spi) {
  Proposal p{number, wire::ProtocolId::Esp, std::move(spi), {}};
  p.transforms.push_back(encr_transform(a.encr, a.encr_bits));
  if (a.integ != 0) p.transforms.push_back({TT::Integ, a.integ, {}});
  if (a.ke != 0) p.transforms.push_back({TT::Ke, a.ke, {}});
  p.transforms.push_back({TT::Esn, static_cast<std::uint16_t>(a.esn ? 1 : 0), {}});
  return p;
}

wire::SaPayload offer(const std::vector<Proposal>& local, wire::ProtocolId protocol,
                      const std::vector<std::uint8_t>& spi) {
  wire::SaPayload sa;
  std::uint8_t n = 1;
  for (const auto& l : local) {
    if (l.protocol != protocol) continue;
    Proposal p = l;
    p.number = n++;
    p.spi = spi;
    sa.proposals.push_back(std::move(p));
  }
  return sa;
}

std::uint16_t first_ke(const std::vector<Proposal>& local) {
  for (const auto& p : local) {
    for (const auto& t : p.transforms) {
      if (t.type == TT::Ke && t.id != 0) return t.id;
    }
  }
  return 0;
}

bool allows_ke(const std::vector<Proposal>& local, std::uint16_t group) {
  return std::any_of(local.begin(), local.end(), [&](const Proposal& p) {
    return std::any_of(p.transforms.begin(), p.transforms.end(),
                       [&](const Transform& t) { return t.type == TT::Ke && t.id == group; });
  });
}

std::vector<Proposal> without_ke(std::vector<Proposal> local) {
  for (auto& p : local) {
    std::erase_if(p.transforms, [](const Transform& t) { return t.type == TT::Ke; });
  }
  return local;
}

}  // namespace ikev2

// ikev2/sa/sa_manager.cc — IKE_SA ownership and indexes.
#include "ikev2/sa/sa_manager.h"

namespace ikev2 {

std::size_t SaManager::HalfOpenHash::operator()(const HalfOpenKey& k) const {
  std::size_t h = std::hash<std::uint64_t>{}(k.spi_i);
  for (auto b : k.remote.addr.bytes()) h = h * 131 + b;
  return h * 31 + k.remote.port;
}

std::uint64_t SaManager::fresh_spi() {
  for (;;) {
    const std::uint64_t spi = rng_.u64();
    if (spi != 0 && !by_spi_.contains(spi)) return spi;
  }
}

IkeSa& SaManager::create(bool initiator) { return create_with_spi(initiator, fresh_spi()); }

IkeSa& SaManager::create_with_spi(bool initiator, std::uint64_t local_spi) {
  const IkeSaId id = next_id_++;
  auto sa = std::make_unique<IkeSa>(id, initiator, timers_);
  (initiator ? sa->spi_i : sa->spi_r) = local_spi;
  IkeSa& ref = *sa;
  by_spi_[local_spi] = id;
  sas_.emplace(id, std::move(sa));
  return ref;
}

IkeSa* SaManager::find(IkeSaId id) {
  auto it = sas_.find(id);
  return it == sas_.end() ? nullptr : it->second.get();
}

IkeSa* SaManager::find_by_spi(std::uint64_t local_spi) {
  auto it = by_spi_.find(local_spi);
  return it == by_spi_.end() ? nullptr : find(it->second);
}

void SaManager::add_half_open(IkeSa& sa) { half_open_[{sa.spi_i, sa.remote}] = sa.id(); }

void SaManager::remove_half_open(IkeSa& sa) {
  auto it = half_open_.find({sa.spi_i, sa.remote});
  if (it != half_open_.end() && it->second == sa.id()) half_open_.erase(it);
}

IkeSa* SaManager::find_half_open(std::uint64_t spi_i, const core::net::Endpoint& remote) {
  auto it = half_open_.find({spi_i, remote});
  return it == half_open_.end() ? nullptr : find(it->second);
}

IkeSa* SaManager::find_by_child(std::uint32_t spi_in) {
  auto it = children_.find(spi_in);
  return it == children_.end() ? nullptr : find(it->second);
}

namespace {

std::size_t identity_hash(const Identity& id) {
  std::size_t h = static_cast<std::size_t>(id.type);
  for (auto b : id.data) h = h * 131 + b;
  return h;
}

}  // namespace

void SaManager::add_identity(IkeSa& sa) {
  if (sa.in_identity_index) return;
  by_identity_.emplace(identity_hash(sa.remote_id), sa.id());
  sa.in_identity_index = true;
}

std::vector<IkeSaId> SaManager::find_by_identity(const Identity& id) {
  std::vector<IkeSaId> out;
  auto [lo, hi] = by_identity_.equal_range(identity_hash(id));
  for (auto it = lo; it != hi; ++it) {
    IkeSa* sa = find(it->second);
    if (sa != nullptr && sa->remote_id == id) out.push_back(it->second);
  }
  return out;
}

void SaManager::remove(IkeSaId id) {
  auto it = sas_.find(id);
  if (it == sas_.end()) return;
  IkeSa& sa = *it->second;
  remove_half_open(sa);
  if (sa.in_identity_index) {
    auto [lo, hi] = by_identity_.equal_range(identity_hash(sa.remote_id));
    for (auto i = lo; i != hi; ++i) {
      if (i->second == id) {
        by_identity_.erase(i);
        break;
      }
    }
  }
  for (const auto& c : sa.children) {
    auto ci = children_.find(c->spi_in);
    if (ci != children_.end() && ci->second == id) children_.erase(ci);
  }
  auto si = by_spi_.find(sa.local_spi());
  if (si != by_spi_.end() && si->second == id) by_spi_.erase(si);
  sas_.erase(it);
}

void SaManager::for_each(const std::function<void(IkeSa&)>& fn) {
  for (auto& [id, sa] : sas_) fn(*sa);
}

std::vector<IkeSaId> SaManager::ids() const {
  std::vector<IkeSaId> out;
  out.reserve(sas_.size());
  for (const auto& [id, sa] : sas_) out.push_back(id);
  return out;
}

}  // namespace ikev2

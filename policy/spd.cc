#include "policy/spd.h"

#include <unordered_set>

#include <algorithm>

#include "core/log/log.h"

namespace policy {

using core::ipsec::Action;
using core::ipsec::Dir;
using core::ipsec::Mode;
using core::ipsec::PolicyKey;
using core::ipsec::PolicySpec;

namespace {

PolicyKey key_of(const PolicySpec& p) { return {p.selector, p.dir, p.mark}; }

std::string key_text(const PolicyKey& k) {
  return fmt::format("{} {} {:x}/{:x}", k.selector.to_string(), core::ipsec::dir_name(k.dir), k.mark.value, k.mark.mask);
}

// same_content compares what the kernel keeps of a policy (not its index).
bool same_content(const PolicySpec& a, const PolicySpec& b) {
  return a.selector == b.selector && a.dir == b.dir && a.action == b.action &&
         a.priority == b.priority && a.templates == b.templates && a.mark == b.mark;
}

// specificity_priority: more specific selectors get lower (stronger) values,
// so a host-to-host policy wins over a network one without configuration.
std::uint32_t specificity_priority(std::uint32_t base, const core::net::Selector& s) {
  std::uint32_t bits = s.src.length() + s.dst.length();  // 0..256
  std::uint32_t p = base + (256 - bits) * 4;
  if (s.proto != core::net::proto::kAny) p -= 2;
  if (!s.sport.is_any() || !s.dport.is_any()) p -= 1;
  return p;
}

}  // namespace

Spd::Spd(core::ipsec::Kernel& kernel, Options opts) : kernel_(kernel), opts_(opts) {}

void Spd::assign_reqids(std::vector<Entry>& entries) {
  reqids_.clear();
  for (const auto& e : entries)
    if (e.reqid) (void)reqids_.reserve(e.reqid);  // duplicates: shared by design (in/out twins)
  // Entries of one policy share a reqid (outbound and inbound selectors of
  // one flow), unless the level is unique, where each selector gets its own.
  std::map<std::string, std::uint32_t> by_policy;
  for (auto& e : entries) {
    if (e.reqid || e.action != Action::Protect) continue;
    bool unique = e.level == core::ipsec::Level::Unique;
    if (!unique) {
      if (auto it = by_policy.find(e.policy_name); it != by_policy.end()) {
        e.reqid = it->second;
        continue;
      }
    }
    if (auto r = reqids_.allocate()) e.reqid = *r;
    if (!unique) by_policy[e.policy_name] = e.reqid;
  }
}

std::vector<PolicySpec> Spd::specs_for(const Entry& e) const {
  std::vector<PolicySpec> out;
  if (!e.install || e.road_warrior) return out;
  PolicySpec p;
  p.selector = e.selector;
  p.dir = e.dir;
  p.action = e.action;
  p.priority = e.priority ? e.priority : specificity_priority(opts_.base_priority, e.selector);
  if (e.action == Action::Protect) {
    for (auto proto : e.protocols) {
      core::ipsec::Template t;
      t.proto = proto;
      t.mode = e.mode;
      t.reqid = e.reqid;
      t.level = e.level;
      if (e.mode == Mode::Tunnel && e.my_sa_addr && e.peers_sa_addr) {
        // Template endpoints are the SA's: outbound local -> peer, inbound the reverse.
        t.src = e.dir == Dir::Out ? *e.my_sa_addr : *e.peers_sa_addr;
        t.dst = e.dir == Dir::Out ? *e.peers_sa_addr : *e.my_sa_addr;
      }
      p.templates.push_back(t);
    }
  }
  out.push_back(p);
  if (opts_.fwd_policies && e.dir == Dir::In && e.mode == Mode::Tunnel && e.action == Action::Protect) {
    PolicySpec f = p;
    f.dir = Dir::Fwd;
    out.push_back(f);
  }
  return out;
}

core::Status Spd::install(const std::vector<Entry>& entries, const std::vector<PolicyKey>& previous) {
  std::vector<Entry> next = entries;
  assign_reqids(next);

  auto kernel_now = kernel_.list_policies();
  if (!kernel_now) return core::fail(kernel_now.error());

  std::vector<Installed> want;
  for (std::size_t i = 0; i < next.size(); ++i)
    for (auto& spec : specs_for(next[i])) want.push_back({spec, i});

  // Keys as text in hash sets: O(n + m) for n configured and m kernel
  // policies (a home agent holds thousands).
  std::unordered_set<std::string> before, wanted_keys;
  for (const auto& k : previous) before.insert(key_text(k));
  for (const auto& w : want) wanted_keys.insert(key_text(key_of(w.spec)));
  for (const auto& [handle, g] : generated_)  // per-peer policies survive a reload
    for (const auto& spec : g) wanted_keys.insert(key_text(key_of(spec)));
  std::unordered_map<std::string, const PolicySpec*> in_kernel;
  for (const auto& k : *kernel_now) in_kernel.emplace(key_text(key_of(k)), &k);
  auto ours_before = [&](const PolicyKey& k) { return before.count(key_text(k)) > 0; };
  auto wanted = [&](const PolicyKey& k) { return wanted_keys.count(key_text(k)) > 0; };

  std::vector<std::string> errors;
  // Remove what kagi installed before and no longer wants. Other programs'
  // policies (not in `previous`) are never touched.
  for (const auto& k : *kernel_now) {
    PolicyKey key = key_of(k);
    if (ours_before(key) && !wanted(key)) {
      if (auto st = kernel_.del_policy(key); !st)
        errors.push_back(st.error().detail);
      else
        KLOG(Pol, Info, "removed stale policy {}", k.to_string());
    }
  }
  // Add or update what is wanted; keep what the kernel already holds as is.
  for (auto& w : want) {
    auto key = key_of(w.spec);
    auto found = in_kernel.find(key_text(key));
    const PolicySpec* have = found == in_kernel.end() ? nullptr : found->second;
    if (have != nullptr && same_content(*have, w.spec)) {
      w.spec.index = have->index;
      KLOG(Pol, Diag, "kept policy {} (index {})", w.spec.to_string(), have->index);
      continue;
    }
    if (have != nullptr && !ours_before(key))
      KLOG(Pol, Warn, "replacing a policy kagi did not install: {}", have->to_string());
    auto idx = have != nullptr ? kernel_.update_policy(w.spec) : kernel_.add_policy(w.spec);
    if (!idx) {
      errors.push_back(idx.error().detail);
      w.spec.index = 0;
      continue;
    }
    w.spec.index = *idx;
    KLOG(Pol, Info, "installed policy {} (index {})", w.spec.to_string(), *idx);
  }

  entries_ = std::move(next);
  installed_.clear();
  by_index_.clear();
  for (auto& w : want) {
    if (w.spec.index == 0) continue;  // failed above
    by_index_[w.spec.index] = w.entry;
    installed_.push_back(std::move(w));
  }
  if (!errors.empty()) {
    std::string all;
    for (auto& e : errors) all += (all.empty() ? "" : "; ") + e;
    return core::fail(core::ErrorCode::Kernel, "{} policy operation(s) failed: {}", errors.size(), all);
  }
  return core::ok();
}

core::Status Spd::reload(const std::vector<Entry>& entries) {
  std::vector<PolicyKey> configured;
  for (const auto& i : installed_) configured.push_back(key_of(i.spec));
  return install(entries, configured);
}

core::Status Spd::remove_all() {
  std::vector<std::string> errors;
  for (const auto& i : installed_) {
    if (auto st = kernel_.del_policy(key_of(i.spec)); !st && st.error().code != core::ErrorCode::NotFound)
      errors.push_back(st.error().detail);
  }
  std::size_t generated = 0;
  for (const auto& [handle, g] : generated_)
    for (const auto& spec : g) {
      ++generated;
      if (auto st = kernel_.del_policy(key_of(spec)); !st && st.error().code != core::ErrorCode::NotFound)
        errors.push_back(st.error().detail);
    }
  generated_.clear();
  KLOG(Pol, Info, "removed {} policies", installed_.size() + generated - errors.size());
  installed_.clear();
  by_index_.clear();
  if (!errors.empty())
    return core::fail(core::ErrorCode::Kernel, "removing policies: {}", errors.front());
  return core::ok();
}

const Entry* Spd::entry_for_index(std::uint32_t index) const {
  auto it = by_index_.find(index);
  return it == by_index_.end() ? nullptr : &entries_[it->second];
}

const Entry* Spd::entry_by_name(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.selector_name == name) return &e;
  return nullptr;
}

core::Result<std::uint64_t> Spd::add_generated(const std::string& policy_name, const core::net::Selector& out,
                                               const core::net::Address& my_sa, const core::net::Address& peer_sa,
                                               std::uint32_t reqid) {
  std::vector<PolicySpec> added;
  auto undo = [&] {
    for (const auto& p : added) (void)kernel_.del_policy(key_of(p));
  };
  for (const auto& t : entries_) {
    if (!t.road_warrior || t.policy_name != policy_name) continue;
    if (t.selector.src.family() != out.src.family() && !t.selector.src.address().is_unspecified()) continue;
    Entry e = t;
    e.road_warrior = false;
    e.selector = t.dir == Dir::Out ? out : out.reversed();
    e.reqid = reqid;
    if (e.mode == Mode::Tunnel) {
      e.my_sa_addr = my_sa;
      e.peers_sa_addr = peer_sa;
    }
    for (auto& spec : specs_for(e)) {
      auto idx = kernel_.update_policy(spec);
      if (!idx) {
        undo();
        return core::fail(idx.error());
      }
      spec.index = *idx;
      KLOG(Pol, Info, "installed policy {} for {} (index {})", spec.to_string(), peer_sa.to_string(), *idx);
      added.push_back(std::move(spec));
    }
  }
  if (added.empty())
    return core::fail(core::ErrorCode::NotFound, "policy {} has no road-warrior selector", policy_name);
  const std::uint64_t h = next_handle_++;
  generated_.emplace(h, std::move(added));
  return h;
}

core::Status Spd::remove_generated(std::uint64_t handle) {
  auto it = generated_.find(handle);
  if (it == generated_.end()) return core::fail(core::ErrorCode::NotFound, "no generated policy set {}", handle);
  std::string errors;
  for (const auto& p : it->second) {
    if (auto st = kernel_.del_policy(key_of(p)); !st && st.error().code != core::ErrorCode::NotFound)
      errors += (errors.empty() ? "" : "; ") + st.error().detail;
    else
      KLOG(Pol, Info, "removed policy {}", p.to_string());
  }
  generated_.erase(it);
  if (!errors.empty()) return core::fail(core::ErrorCode::Kernel, "{}", errors);
  return core::ok();
}

std::vector<PolicyKey> Spd::installed() const {
  std::vector<PolicyKey> out;
  for (const auto& i : installed_) out.push_back(key_of(i.spec));
  for (const auto& [handle, g] : generated_)
    for (const auto& spec : g) out.push_back(key_of(spec));
  return out;
}

}  // namespace policy

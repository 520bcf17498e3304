#include "policy/spd.h"

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

  auto ours_before = [&](const PolicyKey& k) {
    return std::find(previous.begin(), previous.end(), k) != previous.end();
  };
  auto wanted = [&](const PolicyKey& k) {
    return std::any_of(want.begin(), want.end(), [&](const Installed& w) { return key_of(w.spec) == k; });
  };

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
    auto have = std::find_if(kernel_now->begin(), kernel_now->end(),
                             [&](const PolicySpec& k) { return key_of(k) == key; });
    if (have != kernel_now->end() && same_content(*have, w.spec)) {
      w.spec.index = have->index;
      KLOG(Pol, Diag, "kept policy {} (index {})", w.spec.to_string(), have->index);
      continue;
    }
    if (have != kernel_now->end() && !ours_before(key))
      KLOG(Pol, Warn, "replacing a policy kagi did not install: {}", have->to_string());
    auto idx = have != kernel_now->end() ? kernel_.update_policy(w.spec) : kernel_.add_policy(w.spec);
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

core::Status Spd::reload(const std::vector<Entry>& entries) { return install(entries, installed()); }

core::Status Spd::remove_all() {
  std::vector<std::string> errors;
  for (const auto& i : installed_) {
    if (auto st = kernel_.del_policy(key_of(i.spec)); !st && st.error().code != core::ErrorCode::NotFound)
      errors.push_back(st.error().detail);
  }
  KLOG(Pol, Info, "removed {} policies", installed_.size() - errors.size());
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

std::vector<PolicyKey> Spd::installed() const {
  std::vector<PolicyKey> out;
  for (const auto& i : installed_) out.push_back(key_of(i.spec));
  return out;
}

}  // namespace policy

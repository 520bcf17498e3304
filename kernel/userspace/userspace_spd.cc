// kernel/userspace/userspace_spd.cc — UserspaceKernel's SPD calls, the
// routes that follow outbound policies, and MIGRATE (Linux
// net/xfrm/xfrm_policy.c xfrm_migrate; RFC 4877 §4.2.1).
#include <algorithm>
#include <set>
#include <utility>

#include "core/log/log.h"
#include "kernel/userspace/userspace_kernel.h"

namespace kernel::userspace {

namespace ipsec = core::ipsec;
namespace net = core::net;
using core::ErrorCode;
using core::fail;

namespace {

// kMaxDepth is XFRM_MAX_DEPTH: at most this many moves per MIGRATE.
constexpr std::size_t kMaxDepth = 6;

bool routed(const ipsec::PolicySpec& p) {
  return p.dir == ipsec::Dir::Out && p.action == ipsec::Action::Protect;
}

// template_matches is Linux migrate_tmpl_match: protocol, mode and reqid
// (0 in the move matches any), and for tunnel mode the old endpoints.
bool template_matches(const ipsec::Template& t, const ipsec::MigrateEntry& m) {
  if (t.mode != m.mode || t.proto != m.proto || (m.reqid != 0 && t.reqid != m.reqid)) return false;
  if (t.mode != ipsec::Mode::Tunnel) return true;
  return t.src == m.old_src && t.dst == m.old_dst;
}

// check_request is Linux xfrm_migrate_check.
core::Status check_request(const ipsec::MigrateRequest& req) {
  std::string what = req.selector.to_string();
  if (req.entries.empty() || req.entries.size() > kMaxDepth)
    return fail(ErrorCode::Kernel, "migrate {}: Invalid argument ({} moves, 1 to {} allowed)", what,
                req.entries.size(), kMaxDepth);
  for (std::size_t i = 0; i < req.entries.size(); ++i) {
    const auto& a = req.entries[i];
    if (a.new_src.is_unspecified() || a.new_dst.is_unspecified() || a.new_src.family() != a.new_dst.family())
      return fail(ErrorCode::Kernel, "migrate {}: Invalid argument (new addresses unset)", what);
    for (std::size_t j = i + 1; j < req.entries.size(); ++j) {
      const auto& b = req.entries[j];
      if (a.old_src == b.old_src && a.old_dst == b.old_dst && a.proto == b.proto && a.mode == b.mode &&
          a.reqid == b.reqid)
        return fail(ErrorCode::Kernel, "migrate {}: Invalid argument (duplicate moves)", what);
    }
  }
  return core::ok();
}

}  // namespace

void UserspaceKernel::route_policy(const ipsec::PolicySpec& p, bool add) {
  if (!routed(p)) return;
  if (add) {
    routes_->add(p.selector.dst);
  } else {
    routes_->remove(p.selector.dst);
  }
}

core::Result<std::uint32_t> UserspaceKernel::put_policy(const ipsec::PolicySpec& p, bool add) {
  const char* verb = add ? "add" : "update";
  std::optional<ipsec::PolicySpec> before;
  if (const auto* old = spd_.find(policy_key(p))) before = *old;
  auto idx = add ? spd_.add(p) : spd_.update(p);
  if (!idx) {
    if (idx.error().code == ErrorCode::Exists)
      return fail(ErrorCode::Exists, "add policy {}: File exists", p.selector.to_string());
    return fail(ErrorCode::Kernel, "{} policy: Invalid argument ({})", verb, idx.error().detail);
  }
  // The key (selector, dir) is the same, so only the action can move the route.
  if (before) route_policy(*before, false);
  route_policy(p, true);
  KLOG(Knl, Diag, "userspace: policy {} {}", *idx, p.to_string());
  return idx;
}

core::Result<std::uint32_t> UserspaceKernel::add_policy(const ipsec::PolicySpec& p) {
  return put_policy(p, true);
}

core::Result<std::uint32_t> UserspaceKernel::update_policy(const ipsec::PolicySpec& p) {
  return put_policy(p, false);
}

core::Status UserspaceKernel::del_policy(const ipsec::PolicyKey& key) {
  auto gone = spd_.remove(key);
  if (!gone)
    return fail(ErrorCode::NotFound, "delete policy {} {}: No such file or directory",
                ipsec::dir_name(key.dir), key.selector.to_string());
  route_policy(*gone, false);
  KLOG(Knl, Diag, "userspace: policy {} deleted", gone->index);
  return core::ok();
}

core::Result<std::vector<ipsec::PolicySpec>> UserspaceKernel::list_policies() { return spd_.list(); }

core::Status UserspaceKernel::migrate(const ipsec::MigrateRequest& req) {
  if (auto st = check_request(req); !st) return st;
  std::string what = fmt::format("{} {}", ipsec::dir_name(req.dir), req.selector.to_string());

  const ipsec::PolicySpec* policy = spd_.find_selector(req.dir, req.selector, true);
  if (!policy) return fail(ErrorCode::NotFound, "migrate policy {}: No such file or directory", what);

  // The templates first, computed aside so a failure below changes nothing.
  std::vector<ipsec::Template> templates = policy->templates;
  std::size_t matched = 0;
  for (auto& t : templates) {
    for (const auto& m : req.entries) {
      if (!template_matches(t, m)) continue;
      ++matched;
      if (t.mode == ipsec::Mode::Tunnel) {
        t.src = m.new_src;
        t.dst = m.new_dst;
      }
      break;  // one move per template: a rewritten template must not match again
    }
  }
  if (matched == 0)
    return fail(ErrorCode::NotFound, "migrate policy {}: no template matches (No data available)", what);

  // The SAs with a move's old endpoints, protocol, mode and reqid; every
  // one moves (an SA and its rekeyed successor go together). Larval SAs
  // hold no keys worth keeping and stay.
  struct Move {
    ipsec::SaId from;
    net::Address src, dst;
  };
  std::vector<Move> moves;
  std::set<ipsec::SaId> moving;
  for (const auto& m : req.entries) {
    for (const auto& id : sad_.ids()) {
      const Sa* e = sad_.find(id);
      const ipsec::SaSpec& s = e->spec;
      if (e->larval || moving.contains(id) || s.src != m.old_src || s.dst != m.old_dst ||
          s.proto != m.proto || s.mode != m.mode || (m.reqid != 0 && s.reqid != m.reqid))
        continue;
      moves.push_back({id, m.new_src, m.new_dst});
      moving.insert(id);
    }
  }
  std::set<ipsec::SaId> targets;
  for (const auto& mv : moves) {
    ipsec::SaId to{mv.dst, mv.from.spi, mv.from.proto};
    if (!targets.insert(to).second || (sad_.contains(to) && !moving.contains(to)))
      return fail(ErrorCode::Exists, "migrate SA {} to {}: File exists", mv.from.to_string(), to.to_string());
  }

  // Apply: take every moving SA out first, so moves may swap ids, in
  // install order so the newest stays the newest.
  std::vector<Sa> taken;
  taken.reserve(moves.size());
  for (const auto& mv : moves) {
    cancel_timers(*sad_.find(mv.from));
    taken.push_back(std::move(*sad_.erase(mv.from)));
  }
  std::vector<std::size_t> order(moves.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return taken[a].seq < taken[b].seq; });
  for (std::size_t i : order) {
    Sa& e = taken[i];
    e.spec.src = moves[i].src;
    e.spec.dst = moves[i].dst;
    if (req.encap) e.spec.encap = req.encap;  // none given: the SA keeps its own (xfrm_state_clone)
    Sa& in = sad_.insert(std::move(e));
    arm_lifetime(in);  // same deadlines, timers keyed to the new id
    KLOG(Knl, Diag, "userspace: migrated SA {} -> {}", moves[i].from.to_string(), in.spec.id().to_string());
  }
  std::uint32_t index = policy->index;
  spd_.set_templates(index, std::move(templates));
  KLOG(Knl, Diag, "userspace: migrated policy {} ({}): {} template(s), {} SA(s)", index, what, matched,
       moves.size());
  // The kernel broadcasts every MIGRATE (XFRMNLGRP_MIGRATE); so does this.
  emit(ipsec::MigrateEvent{req});
  return core::ok();
}

core::Status UserspaceKernel::migrate_sa(const ipsec::SaId& id, const net::Address& new_src,
                                         const net::Address& new_dst, std::optional<ipsec::Encap> encap) {
  std::string what = fmt::format("{} to {}->{}", id.to_string(), new_src.to_string(), new_dst.to_string());
  if (new_src.is_unspecified() || new_dst.is_unspecified() || new_src.family() != new_dst.family())
    return fail(ErrorCode::Kernel, "migrate SA {}: Invalid argument", what);
  Sa* e = sad_.find(id);
  if (!e) return fail(ErrorCode::NotFound, "migrate SA {}: No such process", what);
  ipsec::SaId target{new_dst, id.spi, id.proto};
  if (target != id && sad_.contains(target))
    return fail(ErrorCode::Exists, "migrate SA {}: {} exists (File exists)", what, target.to_string());
  cancel_timers(*e);
  Sa* moved = sad_.readdress(id, new_src, new_dst);
  moved->spec.encap = encap;
  arm_lifetime(*moved);
  KLOG(Knl, Diag, "userspace: migrated SA {}", what);
  return core::ok();
}

}  // namespace kernel::userspace

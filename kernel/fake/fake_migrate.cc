// kernel/fake/fake_migrate.cc — MIGRATE for FakeKernel: XFRM_MSG_MIGRATE
// (Linux net/xfrm/xfrm_policy.c xfrm_migrate, RFC 4877 §4.2.1 / the
// MIGRATE of draft-sugimoto-mip6-pfkey-migrate) and the per-SA move.
#include <set>
#include <utility>

#include "core/log/log.h"
#include "kernel/fake/describe.h"
#include "kernel/fake/fake_kernel.h"

namespace kernel {

namespace ipsec = core::ipsec;
namespace net = core::net;
using core::ErrorCode;
using core::fail;
using fake::Op;

namespace {

// kMaxDepth is XFRM_MAX_DEPTH: at most this many moves per MIGRATE.
constexpr std::size_t kMaxDepth = 6;

// template_matches is Linux migrate_tmpl_match: protocol, mode and reqid
// (0 in the move matches any), and for tunnel mode the old endpoints;
// transport templates carry no addresses and match on the rest.
bool template_matches(const ipsec::Template& t, const ipsec::MigrateEntry& m) {
  if (t.mode != m.mode || t.proto != m.proto || (m.reqid != 0 && t.reqid != m.reqid)) return false;
  if (t.mode != ipsec::Mode::Tunnel) return true;
  return t.src == m.old_src && t.dst == m.old_dst;
}

// check_request is Linux xfrm_migrate_check: 1..XFRM_MAX_DEPTH moves, new
// addresses set, no two moves of the same (old endpoints, proto, mode, reqid).
core::Status check_request(const ipsec::MigrateRequest& req, const std::string& what) {
  if (req.entries.empty() || req.entries.size() > kMaxDepth)
    return fail(ErrorCode::Kernel, "migrate {}: Invalid argument ({} moves, 1 to {} allowed)", what,
                req.entries.size(), kMaxDepth);
  for (std::size_t i = 0; i < req.entries.size(); ++i) {
    const auto& a = req.entries[i];
    if (a.new_src.is_unspecified() || a.new_dst.is_unspecified() ||
        a.new_src.family() != a.new_dst.family())
      return fail(ErrorCode::Kernel, "migrate {}: Invalid argument (new addresses unset)", what);
    for (std::size_t j = i + 1; j < req.entries.size(); ++j) {
      const auto& b = req.entries[j];
      if (a.old_src == b.old_src && a.old_dst == b.old_dst && a.proto == b.proto &&
          a.mode == b.mode && a.reqid == b.reqid)
        return fail(ErrorCode::Kernel, "migrate {}: Invalid argument (duplicate moves)", what);
    }
  }
  return core::ok();
}

}  // namespace

core::Status FakeKernel::migrate(const ipsec::MigrateRequest& req) {
  if (auto e = begin(Op::Migrate, fake::describe_migrate(req))) return fail(*e);
  // The handler runs inside do_migrate on success and may log more calls,
  // so remember which entry is ours.
  std::size_t slot = calls_.size() - 1;
  auto r = do_migrate(req);
  if (!r) {
    calls_[slot].ok = false;
    KLOG(Knl, Debug, "fake kernel: refused: {}", r.error().detail);
  }
  return r;
}

core::Status FakeKernel::do_migrate(const ipsec::MigrateRequest& req) {
  std::string what = fake::describe_key({req.selector, req.dir, {}});
  if (auto st = check_request(req, what); !st) return st;

  // Stage 1 (xfrm_migrate_policy_find): the policy, by selector and dir.
  const fake::PolicyEntry* policy = spd_.find_selector(req.dir, req.selector, true);
  if (!policy) return fail(ErrorCode::NotFound, "migrate policy {}: No such file or directory", what);

  // Stage 3 computed first (xfrm_policy_migrate), so a failure changes
  // nothing: rewrite the tunnel endpoints of each matching template.
  std::vector<ipsec::Template> templates = policy->spec.templates;
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

  // Stage 2 (xfrm_migrate_state_find): the SAs with the old endpoints,
  // protocol, mode and reqid (0: any). Linux moves the first such SA per
  // move; this moves every one, so an SA and its rekeyed successor move
  // together. Larval SAs hold no keys worth keeping and stay.
  struct Move {
    ipsec::SaId from;
    ipsec::SaSpec to;
  };
  std::vector<Move> moves;
  std::set<ipsec::SaId> moving;
  for (const auto& m : req.entries) {
    for (const auto& id : sad_.between(m.old_src, m.old_dst, m.proto)) {
      const fake::SaEntry* e = sad_.find(id);
      const ipsec::SaSpec& s = e->info.spec;
      if (e->larval || moving.contains(id) || s.mode != m.mode) continue;
      if (m.reqid != 0 && s.reqid != m.reqid) continue;
      ipsec::SaSpec to = s;
      to.src = m.new_src;
      to.dst = m.new_dst;
      if (req.encap) to.encap = req.encap;  // no encap given: keep the SA's (xfrm_state_clone)
      moves.push_back({id, std::move(to)});
      moving.insert(id);
    }
  }
  std::set<ipsec::SaId> targets;
  for (const auto& mv : moves) {
    ipsec::SaId to = mv.to.id();
    if (!targets.insert(to).second || (sad_.contains(to) && !moving.contains(to)))
      return fail(ErrorCode::Exists, "migrate SA {} to {}: File exists", mv.from.to_string(),
                  to.to_string());
  }

  // Apply: take every moving SA out first, so moves may swap ids.
  std::vector<fake::SaEntry> taken;
  taken.reserve(moves.size());
  for (const auto& mv : moves) taken.push_back(std::move(*sad_.erase(mv.from)));
  for (std::size_t i = 0; i < moves.size(); ++i) {
    taken[i].info.spec = moves[i].to;
    fake::SaEntry& in = sad_.insert(std::move(taken[i]));
    arm_lifetime(in);  // same deadlines, timers re-keyed to the new id
    const ipsec::SaSpec& s = in.info.spec;
    acquire_holds_.erase(AcquireKey{s.src, s.dst, s.proto, s.mode, s.reqid});
    KLOG(Knl, Diag, "fake kernel: migrated SA {} -> {}", moves[i].from.to_string(), s.id().to_string());
  }
  std::uint32_t index = policy->spec.index;
  spd_.set_templates(index, std::move(templates));
  KLOG(Knl, Diag, "fake kernel: migrated policy {} ({}): {} template(s), {} SA(s)", index, what,
       matched, moves.size());

  // Stage 5 (km_migrate): broadcast on XFRMNLGRP_MIGRATE.
  emit(ipsec::MigrateEvent{req});
  return core::ok();
}

core::Status FakeKernel::migrate_sa(const ipsec::SaId& id, const net::Address& new_src,
                                    const net::Address& new_dst, std::optional<ipsec::Encap> encap) {
  std::string what = fmt::format("{} to {}->{}", id.to_string(), new_src.to_string(), new_dst.to_string());
  if (auto e = begin(Op::MigrateSa, what)) return fail(*e);
  if (new_src.is_unspecified() || new_dst.is_unspecified() || new_src.family() != new_dst.family())
    return refuse(fail(ErrorCode::Kernel, "migrate SA {}: Invalid argument", what));
  const fake::SaEntry* e = sad_.find(id);
  if (!e) return refuse(fail(ErrorCode::NotFound, "migrate SA {}: No such process", what));
  ipsec::SaSpec to = e->info.spec;
  to.src = new_src;
  to.dst = new_dst;
  to.encap = encap;
  ipsec::SaId target = to.id();
  if (target != id && sad_.contains(target))
    return refuse(fail(ErrorCode::Exists, "migrate SA {}: {} exists (File exists)", what, target.to_string()));
  fake::SaEntry& in = sad_.rekey(id, to);
  arm_lifetime(in);
  acquire_holds_.erase(AcquireKey{to.src, to.dst, to.proto, to.mode, to.reqid});
  return core::ok();
}

}  // namespace kernel

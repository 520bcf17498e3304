// kernel/fake/fake_spd.cc — the SPD half of FakeKernel: policies, packet
// lookup and acquires (what Linux's xfrm_policy.c and the output path's
// xfrm_tmpl_resolve do).
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

core::Result<std::uint32_t> FakeKernel::put_policy(Op op, const ipsec::PolicySpec& p) {
  const bool add = op == Op::AddPolicy;
  std::string_view verb = add ? "add" : "update";
  if (auto e = begin(op, p.to_string())) return fail(*e);
  std::string key = fake::describe_key(fake::key_of(p));
  if (p.selector.src.family() != p.selector.dst.family())
    return refuse(fail(ErrorCode::Kernel, "{} policy {}: Invalid argument (selector families differ)",
                       verb, key));
  // Linux verify_newpolicy_info: a given index must encode the direction.
  if (p.index != 0 && (p.index & 7) != static_cast<std::uint32_t>(p.dir))
    return refuse(fail(ErrorCode::Kernel, "{} policy {}: Invalid argument (index {} is not dir {})",
                       verb, key, p.index, ipsec::dir_name(p.dir)));
  std::uint32_t index = 0;
  if (spd_.find(fake::key_of(p))) {
    if (add) return refuse(fail(ErrorCode::Exists, "add policy {}: File exists", key));
    index = spd_.replace(p);
  } else {
    index = spd_.insert(p);
  }
  calls_.back().summary += fmt::format(" -> index {}", index);
  return index;
}

core::Result<std::uint32_t> FakeKernel::add_policy(const ipsec::PolicySpec& p) {
  return put_policy(Op::AddPolicy, p);
}

core::Result<std::uint32_t> FakeKernel::update_policy(const ipsec::PolicySpec& p) {
  return put_policy(Op::UpdatePolicy, p);
}

core::Status FakeKernel::del_policy(const ipsec::PolicyKey& key) {
  std::string what = fake::describe_key(key);
  if (auto e = begin(Op::DelPolicy, what)) return fail(*e);
  if (!spd_.erase(key))
    return refuse(fail(ErrorCode::NotFound, "delete policy {}: No such file or directory", what));
  return core::ok();
}

core::Result<std::vector<ipsec::PolicySpec>> FakeKernel::list_policies() {
  if (auto e = begin(Op::ListPolicies, "")) return fail(*e);
  return spd_.list();
}

std::optional<ipsec::PolicySpec> FakeKernel::lookup(ipsec::Dir dir, const fake::Flow& flow) const {
  const fake::PolicyEntry* e = spd_.lookup(dir, flow);
  if (!e) return std::nullopt;
  return e->spec;
}

std::optional<ipsec::PolicySpec> FakeKernel::find_policy(const ipsec::PolicyKey& key) const {
  const fake::PolicyEntry* e = spd_.find(key);
  if (!e) return std::nullopt;
  return e->spec;
}

// --- acquire --------------------------------------------------------------------

bool FakeKernel::has_state(const ipsec::Template& t, const net::Address& src,
                           const net::Address& dst, const fake::Flow* flow) const {
  // Linux xfrm_state_find: same endpoints, protocol, mode and reqid; an SA
  // with a selector must also match the packet. A larval SA (from
  // alloc_spi) counts as an acquire in progress; its mode is unknown here.
  for (const auto& id : sad_.between(src, dst, t.proto)) {
    const fake::SaEntry* e = sad_.find(id);
    const ipsec::SaSpec& s = e->info.spec;
    if (s.reqid != t.reqid) continue;
    if (e->larval) return true;
    if (s.mode != t.mode) continue;
    if (flow && s.selector &&
        !s.selector->matches(flow->src, flow->dst, flow->proto, flow->sport, flow->dport))
      continue;
    return true;
  }
  return false;
}

core::Result<std::vector<ipsec::AcquireEvent>> FakeKernel::acquire_for(
    const fake::PolicyEntry& policy, const net::Selector& event_selector, const net::Address& src,
    const net::Address& dst, const fake::Flow* flow,
    std::optional<std::vector<std::uint8_t>> packet) {
  if (policy.spec.action != ipsec::Action::Protect)
    return fail(ErrorCode::State, "acquire: policy {} ({}) is {}, nothing to negotiate",
                policy.spec.index, event_selector.to_string(),
                ipsec::action_name(policy.spec.action));
  std::vector<ipsec::AcquireEvent> out;
  const core::MonoTime now = clock_.now();
  for (const ipsec::Template& t : policy.spec.templates) {
    // xfrm_tmpl_resolve_one: a tunnel template names its endpoints (an
    // unspecified source is the packet's); transport uses the packet's.
    bool tunnel = t.mode == ipsec::Mode::Tunnel;
    net::Address s = tunnel && !t.src.is_unspecified() ? t.src : src;
    net::Address d = tunnel && !t.dst.is_unspecified() ? t.dst : dst;
    // A missing required SA stops the walk; an optional (Use) one does not.
    bool stop = t.level != ipsec::Level::Use;
    if (has_state(t, s, d, flow)) continue;
    AcquireKey key{s, d, t.proto, t.mode, t.reqid};
    auto hold = acquire_holds_.find(key);
    if (hold != acquire_holds_.end() && now < hold->second) {
      if (stop) break;
      continue;
    }
    auto life = options_.larval_lifetime;
    acquire_holds_[key] = life.count() != 0 ? now + life : core::MonoTime::max();
    ipsec::AcquireEvent ev;
    ev.policy_index = policy.spec.index;
    ev.selector = event_selector;
    ev.tmpl = t;
    ev.src = s;
    ev.dst = d;
    if (options_.acquire_packet) ev.packet = packet;
    out.push_back(std::move(ev));
    if (stop) break;
  }
  for (const auto& ev : out) {
    KLOG(Knl, Diag, "fake kernel: acquire policy {} {} reqid {} {}->{}", ev.policy_index,
         ev.selector.to_string(), ev.tmpl.reqid, ev.src.to_string(), ev.dst.to_string());
    emit(ev);
  }
  return out;
}

core::Result<std::vector<ipsec::AcquireEvent>> FakeKernel::trigger_acquire(
    const fake::Flow& flow, std::optional<std::vector<std::uint8_t>> packet) {
  const fake::PolicyEntry* policy = spd_.lookup(ipsec::Dir::Out, flow);
  if (!policy)
    return fail(ErrorCode::NotFound, "acquire: no outbound policy for {}", fake::describe_flow(flow));
  // Linux xfrm_init_tempsel: the acquire's selector is the packet's flow,
  // host prefixes and exact ports (type/code for ICMP).
  net::Selector sel;
  sel.src = net::Prefix::host(flow.src);
  sel.dst = net::Prefix::host(flow.dst);
  sel.proto = flow.proto;
  if (flow.proto != net::proto::kAny) {
    sel.sport = net::PortRange::single(flow.sport);
    sel.dport = net::PortRange::single(flow.dport);
  }
  // Copy what acquire_for needs: the handler may change the SPD.
  fake::PolicyEntry chosen = *policy;
  return acquire_for(chosen, sel, flow.src, flow.dst, &flow, std::move(packet));
}

core::Result<std::vector<ipsec::AcquireEvent>> FakeKernel::trigger_acquire(
    const net::Selector& selector, std::optional<std::vector<std::uint8_t>> packet) {
  const fake::PolicyEntry* policy = spd_.find_selector(ipsec::Dir::Out, selector, false);
  if (!policy)
    return fail(ErrorCode::NotFound, "acquire: no outbound policy {}", selector.to_string());
  fake::PolicyEntry chosen = *policy;
  return acquire_for(chosen, selector, selector.src.network(), selector.dst.network(), nullptr,
                     std::move(packet));
}

}  // namespace kernel

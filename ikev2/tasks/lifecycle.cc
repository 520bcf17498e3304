// ikev2/tasks/lifecycle.cc — IKE_SA birth and death, lifetimes, dead peer
// detection and events.
#include "core/log/log.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/ike_rekey.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

EngineCore::EngineCore(Settings s, core::ipsec::Kernel& k, const core::Clock& c, core::Timers& t,
                       Sender& snd, core::crypto::Rng& r)
    : settings(std::move(s)),
      kernel(k),
      clock(c),
      timers(t),
      sender(snd),
      rng(r),
      sas(t, r),
      cookies(c, r, settings.cookie_secret_lifetime) {
  if (settings.ike_proposals.empty()) settings.ike_proposals = default_ike_proposals();
  if (settings.esp_proposals.empty()) settings.esp_proposals = default_esp_proposals();
}

EngineCore::~EngineCore() {
  // Pending timers capture `this`; cancel them before the SAs go.
  for (IkeSaId id : sas.ids()) sas.remove(id);
}

core::Duration EngineCore::jittered(const Lifetime& l) {
  const auto jitter_ms = std::chrono::duration_cast<std::chrono::milliseconds>(l.jitter).count();
  core::Duration d = l.rekey;
  if (jitter_ms > 0) d -= std::chrono::milliseconds(rng.u32() % (jitter_ms + 1));
  return d > core::Duration::zero() ? d : core::Duration::zero();
}

void EngineCore::schedule_ike_lifetime(IkeSa& sa) {
  const Lifetime& l = sa.config && sa.config->ike_lifetime ? *sa.config->ike_lifetime : settings.ike_lifetime;
  const IkeSaId id = sa.id();
  if (l.rekey < l.life) {
    sa.rekey_timer.arm(jittered(l), [this, id] {
      IkeSa* s = sas.find(id);
      if (s != nullptr && s->state() == IkeState::Established) queue(*s, make_ike_rekey_task());
    });
  }
  if (l.life <= core::Duration::zero()) return;  // infinite
  sa.expire_timer.arm(l.life, [this, id] {
    IkeSa* s = sas.find(id);
    if (s == nullptr) return;
    KLOG(Ike, Info, "IKE_SA {}: lifetime expired", s->name());
    if (s->state() == IkeState::Established || s->state() == IkeState::Rekeyed) {
      queue(*s, make_delete_ike_task("lifetime expired"), true);
    } else {
      destroy(*s, "lifetime expired");
    }
  });
}

void EngineCore::retry_ike_rekey_later(IkeSa& sa) {
  const IkeSaId id = sa.id();
  const auto delay = std::chrono::seconds(5 + rng.u32() % 10);
  sa.rekey_timer.arm(delay, [this, id] {
    IkeSa* s = sas.find(id);
    if (s != nullptr && s->state() == IkeState::Established) queue(*s, make_ike_rekey_task());
  });
}

void EngineCore::arm_dpd(IkeSa& sa) {
  if (settings.dpd_interval <= core::Duration::zero()) return;
  const IkeSaId id = sa.id();
  sa.dpd_timer.arm(settings.dpd_interval, [this, id] {
    IkeSa* s = sas.find(id);
    if (s == nullptr || s->state() != IkeState::Established) return;
    if (clock.now() - s->last_heard >= settings.dpd_interval && !s->active && s->queue.empty())
      queue(*s, make_liveness_task());
    arm_dpd(*s);
  });
}

void EngineCore::ike_established(IkeSa& sa, IkeSaId replaces) {
  sa.set_state(IkeState::Established);
  sa.established = clock.now();
  sa.last_heard = sa.established;
  sas.remove_half_open(sa);
  // IKE_SA_INIT material and SK_p are needed for AUTH only; an idle SA
  // keeps just what later exchanges use.
  std::vector<std::uint8_t>().swap(sa.ni);
  std::vector<std::uint8_t>().swap(sa.nr);
  std::vector<std::uint8_t>().swap(sa.init_request);
  std::vector<std::uint8_t>().swap(sa.init_response);
  std::vector<std::uint8_t>().swap(sa.cookie);
  sa.dh.reset();
  sa.keys.sk_pi = {};
  sa.keys.sk_pr = {};
  schedule_ike_lifetime(sa);
  arm_dpd(sa);
  KLOG(Ike, Info, "IKE_SA {} established between {}[{}]...{}[{}] ({})", sa.name(),
       sa.local.to_string(), sa.local_id.to_string(), sa.remote.to_string(),
       sa.remote_id.to_string(), sa.algs.to_string());
  Event ev = ike_event(replaces != 0 ? EventKind::IkeRekeyed : EventKind::IkeUp, sa);
  ev.old_ike = replaces;
  emit(ev);
}

void EngineCore::destroy(IkeSa& sa, const std::string& reason) {
  const IkeState was = sa.state();
  KLOG(Ike, Info, "IKE_SA {} [{}] going down ({}): {}", sa.name(), sa.id(), ike_state_name(was),
       reason);
  if (sa.active) {
    auto task = std::move(sa.active);
    task->abort(*this, sa);
  }
  sa.queue.clear();
  sa.retransmit_timer.cancel();
  while (!sa.children.empty()) remove_child(sa, sa.children.back()->spi_in, reason);
  sa.set_state(IkeState::Dead);
  // A half-open SA never was up; a rekeyed one was announced as replaced.
  if (was != IkeState::HalfOpen && was != IkeState::Created && sa.rekeyed_to == 0) {
    Event ev = ike_event(EventKind::IkeDown, sa);
    ev.reason = reason;
    emit(ev);
  }
  sas.remove(sa.id());
}

Event EngineCore::ike_event(EventKind kind, const IkeSa& sa) const {
  Event ev;
  ev.kind = kind;
  ev.ike = sa.id();
  ev.spi_i = sa.spi_i;
  ev.spi_r = sa.spi_r;
  ev.local = sa.local;
  ev.remote = sa.remote;
  ev.remote_id = sa.remote_id;
  if (sa.config) ev.peer = sa.config->name;
  return ev;
}

void EngineCore::emit(const Event& ev) {
  KLOG(Ike, Debug, "event {} ike={} {}", event_kind_name(ev.kind), ev.ike, ev.reason);
  if (on_event) on_event(ev);
}

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::IkeUp: return "ike-up";
    case EventKind::IkeDown: return "ike-down";
    case EventKind::IkeRekeyed: return "ike-rekeyed";
    case EventKind::ChildUp: return "child-up";
    case EventKind::ChildDown: return "child-down";
    case EventKind::ChildRekeyed: return "child-rekeyed";
    case EventKind::ChildFailed: return "child-failed";
  }
  return "?";
}

}  // namespace ikev2

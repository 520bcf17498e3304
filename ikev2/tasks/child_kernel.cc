// ikev2/tasks/child_kernel.cc — CHILD_SAs in the kernel: inbound SPI
// reservation, installing both directions with the RFC 7296 §2.17 keys,
// lifetimes and removal.
#include "core/log/log.h"
#include "ikev2/tasks/create_child.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

namespace {

using core::ipsec::Proto;

std::vector<std::uint8_t> key_copy(const SecureBytes& k) { return {k.begin(), k.end()}; }

void wipe(core::ipsec::SaSpec& s) {
  core::crypto::cleanse(s.enc.key.data(), s.enc.key.size());
  core::crypto::cleanse(s.integ.key.data(), s.integ.key.size());
}

std::uint64_t seconds(core::Duration d) {
  return static_cast<std::uint64_t>(std::chrono::ceil<std::chrono::seconds>(d).count());
}

}  // namespace

std::uint32_t EngineCore::reqid_for(const ChildConfig& config) {
  return config.reqid != 0 ? config.reqid : next_reqid_++;
}

const std::vector<wire::Proposal>& EngineCore::child_proposals(const ChildConfig* config) const {
  return config != nullptr && !config->proposals.empty() ? config->proposals : settings.esp_proposals;
}

const std::vector<wire::Proposal>& EngineCore::ike_proposals(const PeerConfig* peer) const {
  return peer != nullptr && !peer->ike_proposals.empty() ? peer->ike_proposals
                                                         : settings.ike_proposals;
}

core::Result<std::uint32_t> EngineCore::alloc_spi(const IkeSa& sa, std::uint32_t reqid) {
  return kernel.alloc_spi(sa.remote.addr, sa.local.addr, Proto::Esp, reqid);
}

void EngineCore::release_spi(const IkeSa& sa, std::uint32_t spi) {
  if (spi == 0) return;
  if (auto s = kernel.del_sa({sa.local.addr, spi, Proto::Esp}); !s)
    KLOG(Knl, Debug, "releasing SPI {:08x}: {}", spi, s.error().to_string());
}

core::Status EngineCore::install_child(IkeSa& sa, ChildSa& child, const ChildKeys& keys,
                                       bool we_initiated) {
  core::ipsec::SaSpec base;
  base.proto = Proto::Esp;
  base.mode = child.mode;
  base.reqid = child.reqid;
  base.esn = child.algs.esn;
  const Lifetime life = child.config ? child.config->lifetime : Lifetime{};
  base.replay_window = child.config ? child.config->replay_window : 32;
  // The kernel's hard limit is a safety net a little past our own expiry,
  // which deletes the CHILD_SA with an exchange first.
  base.lifetime.hard_seconds = seconds(life.life) + 30;
  child.encap = sa.nat();

  core::ipsec::SaSpec in = base, out = base;
  in.src = sa.remote.addr;
  in.dst = sa.local.addr;
  in.spi = child.spi_in;
  in.inbound = true;
  out.src = sa.local.addr;
  out.dst = sa.remote.addr;
  out.spi = child.spi_out;
  // "i" keys protect initiator-to-responder traffic of the creating exchange.
  const SecureBytes& out_e = we_initiated ? keys.encr_i : keys.encr_r;
  const SecureBytes& out_a = we_initiated ? keys.integ_i : keys.integ_r;
  const SecureBytes& in_e = we_initiated ? keys.encr_r : keys.encr_i;
  const SecureBytes& in_a = we_initiated ? keys.integ_r : keys.integ_i;
  out.enc = {child.algs.encr, child.algs.encr_bits, key_copy(out_e)};
  in.enc = {child.algs.encr, child.algs.encr_bits, key_copy(in_e)};
  if (child.algs.integ != 0) {
    out.integ = {child.algs.integ, 0, key_copy(out_a)};
    in.integ = {child.algs.integ, 0, key_copy(in_a)};
  }
  if (child.encap) {
    out.encap = core::ipsec::Encap{sa.local.port, sa.remote.port};
    in.encap = core::ipsec::Encap{sa.remote.port, sa.local.port};
  }
  if (child.mode == core::ipsec::Mode::Transport && !child.local_ts.empty() &&
      !child.remote_ts.empty()) {
    out.selector = to_selector(child.local_ts.front(), child.remote_ts.front());
    in.selector = to_selector(child.remote_ts.front(), child.local_ts.front());
  }
  auto s = kernel.add_sa(in);
  wipe(in);
  if (!s) {
    wipe(out);
    return s;
  }
  child.installed_in = true;
  s = kernel.add_sa(out);
  wipe(out);
  if (!s) {
    kernel.del_sa(in.id());
    child.installed_in = false;
    return s;
  }
  child.installed_out = true;
  return core::ok();
}

void EngineCore::child_established(IkeSa& sa, ChildSa& child, std::uint32_t replaces,
                                   bool announce) {
  child.set_state(ChildState::Installed);
  child.established = clock.now();
  sas.add_child(child.spi_in, sa.id());
  const Lifetime life = child.config ? child.config->lifetime : Lifetime{};
  const std::uint32_t spi = child.spi_in;
  if (life.rekey < life.life) {
    child.rekey_timer.arm(jittered(life), [this, spi] {
      IkeSa* s = sas.find_by_child(spi);
      ChildSa* c = s != nullptr ? s->find_child(spi) : nullptr;
      if (c != nullptr && c->state() == ChildState::Installed && s->state() == IkeState::Established)
        queue(*s, make_rekey_child_task(spi));
    });
  }
  child.expire_timer.arm(life.life, [this, spi] {
    IkeSa* s = sas.find_by_child(spi);
    ChildSa* c = s != nullptr ? s->find_child(spi) : nullptr;
    if (c == nullptr) return;
    KLOG(Chd, Info, "CHILD_SA {:08x}: lifetime expired", spi);
    if (s->state() == IkeState::Established && c->state() != ChildState::Deleting) {
      queue(*s, make_delete_child_task(spi));
    } else {
      remove_child(*s, spi, "lifetime expired");
    }
  });
  KLOG(Chd, Info, "CHILD_SA {}{{{:08x}_i {:08x}_o}} established with {}: {} === {}",
       child.config ? child.config->name : std::string(), child.spi_in, child.spi_out,
       child.algs.to_string(), ts_list_string(child.local_ts), ts_list_string(child.remote_ts));
  if (!announce) return;
  Event ev = ike_event(replaces != 0 ? EventKind::ChildRekeyed : EventKind::ChildUp, sa);
  ev.child = child_info(child);
  ev.old_spi_in = replaces;
  emit(ev);
}

void EngineCore::retry_child_rekey_later(IkeSa& sa, ChildSa& child) {
  (void)sa;
  const std::uint32_t spi = child.spi_in;
  child.rekey_timer.arm(std::chrono::seconds(5 + rng.u32() % 10), [this, spi] {
    IkeSa* s = sas.find_by_child(spi);
    ChildSa* c = s != nullptr ? s->find_child(spi) : nullptr;
    if (c != nullptr && c->state() == ChildState::Installed && s->state() == IkeState::Established)
      queue(*s, make_rekey_child_task(spi));
  });
}

void EngineCore::remove_child(IkeSa& sa, std::uint32_t spi_in, const std::string& reason) {
  auto child = sa.take_child(spi_in);
  if (!child) return;
  sas.remove_child(spi_in);
  const bool was_up = child->installed_in || child->installed_out;
  // Inbound: the installed SA, or the larval one alloc_spi reserved.
  if (child->spi_in != 0) {
    if (auto s = kernel.del_sa({sa.local.addr, child->spi_in, Proto::Esp}); !s && child->installed_in)
      KLOG(Knl, Info, "CHILD_SA {:08x}: deleting inbound SA: {}", spi_in, s.error().to_string());
  }
  if (child->installed_out) {
    if (auto s = kernel.del_sa({sa.remote.addr, child->spi_out, Proto::Esp}); !s)
      KLOG(Knl, Info, "CHILD_SA {:08x}: deleting outbound SA: {}", spi_in, s.error().to_string());
  }
  child->set_state(ChildState::Deleted);
  if (was_up) {
    KLOG(Chd, Info, "CHILD_SA {:08x}_i {:08x}_o deleted: {}", child->spi_in, child->spi_out, reason);
    Event ev = ike_event(EventKind::ChildDown, sa);
    ev.child = child_info(*child);
    ev.reason = reason;
    emit(ev);
  }
}

ChildInfo EngineCore::child_info(const ChildSa& c) const {
  ChildInfo i;
  if (c.config) i.name = c.config->name;
  i.spi_in = c.spi_in;
  i.spi_out = c.spi_out;
  i.reqid = c.reqid;
  i.mode = c.mode;
  i.algs = c.algs;
  i.local_ts = c.local_ts;
  i.remote_ts = c.remote_ts;
  i.state = c.state();
  i.encap = c.encap;
  return i;
}

}  // namespace ikev2

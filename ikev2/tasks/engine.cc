// ikev2/tasks/engine.cc — the Engine facade over EngineCore.
#include "ikev2/tasks/engine.h"

#include "core/log/log.h"
#include "ikev2/tasks/create_child.h"
#include "ikev2/tasks/engine_core.h"
#include "ikev2/tasks/ike_auth.h"
#include "ikev2/tasks/ike_init.h"
#include "ikev2/tasks/ike_rekey.h"
#include "ikev2/tasks/informational.h"

namespace ikev2 {

namespace {

IkeSaStatus snapshot(const EngineCore& core, const IkeSa& sa) {
  IkeSaStatus s;
  s.id = sa.id();
  s.state = sa.state();
  s.initiator = sa.initiator();
  s.spi_i = sa.spi_i;
  s.spi_r = sa.spi_r;
  s.local = sa.local;
  s.remote = sa.remote;
  s.local_id = sa.local_id;
  s.remote_id = sa.remote_id;
  if (sa.config) s.peer = sa.config->name;
  s.algs = sa.algs;
  s.nat_local = sa.nat_local;
  s.nat_remote = sa.nat_remote;
  s.next_request_id = sa.next_request_id;
  s.expected_peer_id = sa.expected_peer_id;
  for (const auto& c : sa.children) s.children.push_back(core.child_info(*c));
  return s;
}

}  // namespace

Engine::Engine(Settings settings, core::ipsec::Kernel& kernel, const core::Clock& clock,
               core::Timers& timers, Sender& sender, core::crypto::Rng& rng)
    : core_(std::make_unique<EngineCore>(std::move(settings), kernel, clock, timers, sender, rng)) {}

Engine::~Engine() = default;

void Engine::set_event_handler(EventHandler handler) { core_->on_event = std::move(handler); }

void Engine::set_message_tracer(MessageTracer tracer) { core_->tracer = std::move(tracer); }

void Engine::set_key_logger(KeyLogger logger) { core_->key_logger = std::move(logger); }

void Engine::on_datagram(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
                         const core::net::Endpoint& remote) {
  core_->on_datagram(datagram, local, remote);
}

void Engine::on_kernel_event(const core::ipsec::KernelEvent& event) {
  const auto* ex = std::get_if<core::ipsec::ExpireEvent>(&event);
  if (ex == nullptr || ex->sa.proto != core::ipsec::Proto::Esp) return;
  // Only inbound SAs are indexed (our SPIs); the outbound twin expires at
  // the same moment and is handled through it.
  IkeSa* sa = core_->sas.find_by_child(ex->sa.spi);
  ChildSa* child = sa != nullptr ? sa->find_child(ex->sa.spi) : nullptr;
  if (child == nullptr || ex->sa.dst != sa->local.addr) return;
  if (!ex->hard) {
    if (child->state() == ChildState::Installed && sa->state() == IkeState::Established)
      core_->queue(*sa, make_rekey_child_task(child->spi_in));
    return;
  }
  // The kernel dropped the inbound SA already; take the rest down and tell the peer.
  child->installed_in = false;
  if (sa->state() == IkeState::Established) {
    core_->queue(*sa, make_delete_child_task(child->spi_in), true);
  } else {
    core_->remove_child(*sa, child->spi_in, "hard lifetime expired");
  }
}

core::Result<IkeSaId> Engine::initiate(std::shared_ptr<const PeerConfig> peer,
                                       std::optional<ChildRequest> child) {
  if (!peer) return core::fail(core::ErrorCode::Config, "initiate: no peer configuration");
  if (!peer->local) return core::fail(core::ErrorCode::Config, "initiate {}: no local endpoint", peer->name);
  if (peer->remote.addr.family() != peer->local->addr.family())
    return core::fail(core::ErrorCode::Config, "initiate {}: address families differ", peer->name);
  if (child && !child->config) return core::fail(core::ErrorCode::Config, "initiate {}: child without configuration", peer->name);
  IkeSa& sa = core_->sas.create(true);
  sa.local = *peer->local;
  sa.remote = peer->remote;
  sa.config = peer;
  KLOG(Ike, Info, "initiating IKE_SA {} [{}] to {}", peer->name, sa.id(), sa.remote.to_string());
  const IkeSaId id = sa.id();
  core_->queue(sa, make_ike_init_task());
  if (IkeSa* s = core_->sas.find(id)) core_->queue(*s, make_ike_auth_task(std::move(child)));
  return id;
}

namespace {

core::Result<IkeSa*> established(EngineCore& core, IkeSaId id) {
  IkeSa* sa = core.sas.find(id);
  if (sa == nullptr) return core::fail(core::ErrorCode::NotFound, "no IKE_SA {}", id);
  if (sa->state() != IkeState::Established)
    return core::fail(core::ErrorCode::State, "IKE_SA {} is {}", id, ike_state_name(sa->state()));
  return sa;
}

}  // namespace

core::Status Engine::create_child(IkeSaId ike, ChildRequest child) {
  if (!child.config) return core::fail(core::ErrorCode::Config, "create_child: no configuration");
  auto sa = established(*core_, ike);
  if (!sa) return tl::unexpected(sa.error());
  core_->queue(**sa, make_create_child_task(std::move(child)));
  return core::ok();
}

core::Status Engine::rekey_child(IkeSaId ike, std::uint32_t spi_in) {
  auto sa = established(*core_, ike);
  if (!sa) return tl::unexpected(sa.error());
  ChildSa* c = (*sa)->find_child(spi_in);
  if (c == nullptr) return core::fail(core::ErrorCode::NotFound, "no CHILD_SA {:08x}", spi_in);
  if (c->state() != ChildState::Installed)
    return core::fail(core::ErrorCode::State, "CHILD_SA {:08x} is {}", spi_in, child_state_name(c->state()));
  core_->queue(**sa, make_rekey_child_task(spi_in));
  return core::ok();
}

core::Status Engine::rekey_ike(IkeSaId ike) {
  auto sa = established(*core_, ike);
  if (!sa) return tl::unexpected(sa.error());
  core_->queue(**sa, make_ike_rekey_task());
  return core::ok();
}

core::Status Engine::delete_child(IkeSaId ike, std::uint32_t spi_in) {
  auto sa = established(*core_, ike);
  if (!sa) return tl::unexpected(sa.error());
  if ((*sa)->find_child(spi_in) == nullptr)
    return core::fail(core::ErrorCode::NotFound, "no CHILD_SA {:08x}", spi_in);
  core_->queue(**sa, make_delete_child_task(spi_in));
  return core::ok();
}

core::Status Engine::delete_ike(IkeSaId ike) {
  IkeSa* sa = core_->sas.find(ike);
  if (sa == nullptr) return core::fail(core::ErrorCode::NotFound, "no IKE_SA {}", ike);
  if (sa->state() == IkeState::Established || sa->state() == IkeState::Rekeyed) {
    core_->queue(*sa, make_delete_ike_task("deleted locally"), true);
  } else {
    // Not up yet (or already going): nothing to tell the peer.
    core_->destroy(*sa, "deleted locally");
  }
  return core::ok();
}

core::Status Engine::liveness(IkeSaId ike) {
  auto sa = established(*core_, ike);
  if (!sa) return tl::unexpected(sa.error());
  core_->queue(**sa, make_liveness_task());
  return core::ok();
}

EngineStatus Engine::status() const {
  EngineStatus st;
  core_->sas.for_each([&](IkeSa& sa) { st.ike_sas.push_back(snapshot(*core_, sa)); });
  std::sort(st.ike_sas.begin(), st.ike_sas.end(),
            [](const IkeSaStatus& a, const IkeSaStatus& b) { return a.id < b.id; });
  st.half_open = core_->sas.half_open_count();
  return st;
}

std::optional<IkeSaStatus> Engine::ike_status(IkeSaId ike) const {
  IkeSa* sa = core_->sas.find(ike);
  if (sa == nullptr) return std::nullopt;
  return snapshot(*core_, *sa);
}

std::size_t Engine::ike_sa_count() const { return core_->sas.size(); }

}  // namespace ikev2

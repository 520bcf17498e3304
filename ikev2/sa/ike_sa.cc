// ikev2/sa/ike_sa.cc — IKE_SA state machine and small helpers.
#include "ikev2/sa/ike_sa.h"

#include <algorithm>
#include <array>
#include <mutex>

#include <fmt/format.h>

#include "core/log/log.h"
#include "ikev2/tasks/task.h"

namespace ikev2 {

std::string_view ike_state_name(IkeState s) {
  switch (s) {
    case IkeState::Created: return "CREATED";
    case IkeState::Connecting: return "CONNECTING";
    case IkeState::HalfOpen: return "HALF_OPEN";
    case IkeState::Authenticating: return "AUTHENTICATING";
    case IkeState::Established: return "ESTABLISHED";
    case IkeState::Rekeyed: return "REKEYED";
    case IkeState::Deleting: return "DELETING";
    case IkeState::Dead: return "DEAD";
  }
  return "?";
}

namespace {

bool legal(IkeState from, IkeState to) {
  using S = IkeState;
  if (to == S::Dead) return from != S::Dead;
  switch (from) {
    case S::Created: return to == S::Connecting || to == S::HalfOpen || to == S::Established;
    case S::Connecting: return to == S::Authenticating;
    case S::HalfOpen: return to == S::Established;
    case S::Authenticating: return to == S::Established;
    case S::Established: return to == S::Rekeyed || to == S::Deleting;
    case S::Rekeyed: return to == S::Deleting;
    case S::Deleting: return false;
    case S::Dead: return false;
  }
  return false;
}

}  // namespace

IkeSa::IkeSa(IkeSaId id, bool initiator, core::Timers& timers)
    : retransmit_timer(timers),
      rekey_timer(timers),
      expire_timer(timers),
      dpd_timer(timers),
      id_(id),
      initiator_(initiator) {}

IkeSa::~IkeSa() = default;

bool IkeSa::set_state(IkeState next) {
  if (next == state_) return true;
  if (!legal(state_, next)) {
    KLOG(Ike, Error, "IKE_SA {} [{}]: refused state change {} -> {}", name(), id_,
         ike_state_name(state_), ike_state_name(next));
    return false;
  }
  KLOG(Ike, Diag, "IKE_SA {} [{}]: {} -> {}", name(), id_, ike_state_name(state_),
       ike_state_name(next));
  state_ = next;
  return true;
}

std::string IkeSa::name() const { return fmt::format("{:016x}_i {:016x}_r", spi_i, spi_r); }

ChildSa* IkeSa::find_child(std::uint32_t spi_in) {
  for (auto& c : children) {
    if (c->spi_in == spi_in) return c.get();
  }
  return nullptr;
}

ChildSa* IkeSa::find_child_by_out(std::uint32_t spi_out) {
  for (auto& c : children) {
    if (c->spi_out == spi_out) return c.get();
  }
  return nullptr;
}

std::unique_ptr<ChildSa> IkeSa::take_child(std::uint32_t spi_in) {
  auto it = std::find_if(children.begin(), children.end(),
                         [&](const auto& c) { return c->spi_in == spi_in; });
  if (it == children.end()) return nullptr;
  auto c = std::move(*it);
  children.erase(it);
  return c;
}

const core::crypto::Prf* prf_instance(std::uint16_t id) {
  // PRF IDs are small (1..8 assigned); instances are built once and shared.
  static std::array<std::unique_ptr<core::crypto::Prf>, 16> table;
  static std::once_flag once;
  std::call_once(once, [] {
    for (std::uint16_t i = 0; i < table.size(); ++i) {
      if (auto p = core::crypto::make_prf(i)) table[i] = std::move(*p);
    }
  });
  return id < table.size() ? table[id].get() : nullptr;
}

}  // namespace ikev2

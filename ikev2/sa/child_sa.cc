// ikev2/sa/child_sa.cc — CHILD_SA state machine.
#include "ikev2/sa/child_sa.h"

#include "core/log/log.h"

namespace ikev2 {

std::string_view child_state_name(ChildState s) {
  switch (s) {
    case ChildState::Creating: return "CREATING";
    case ChildState::Installed: return "INSTALLED";
    case ChildState::Rekeying: return "REKEYING";
    case ChildState::Rekeyed: return "REKEYED";
    case ChildState::Deleting: return "DELETING";
    case ChildState::Deleted: return "DELETED";
  }
  return "?";
}

namespace {

bool legal(ChildState from, ChildState to) {
  using S = ChildState;
  switch (from) {
    case S::Creating: return to == S::Installed || to == S::Deleting || to == S::Deleted;
    case S::Installed:
      return to == S::Rekeying || to == S::Rekeyed || to == S::Deleting || to == S::Deleted;
    case S::Rekeying:
      return to == S::Installed || to == S::Rekeyed || to == S::Deleting || to == S::Deleted;
    case S::Rekeyed: return to == S::Deleting || to == S::Deleted;
    case S::Deleting: return to == S::Deleted;
    case S::Deleted: return false;
  }
  return false;
}

}  // namespace

bool ChildSa::set_state(ChildState next) {
  if (next == state_) return true;
  if (!legal(state_, next)) {
    KLOG(Chd, Error, "CHILD_SA {:08x}/{:08x}: refused state change {} -> {}", spi_in, spi_out,
         child_state_name(state_), child_state_name(next));
    return false;
  }
  KLOG(Chd, Diag, "CHILD_SA {:08x}/{:08x}: {} -> {}", spi_in, spi_out, child_state_name(state_),
       child_state_name(next));
  state_ = next;
  return true;
}

}  // namespace ikev2

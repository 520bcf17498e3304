#include "core/bus/bus.h"

#include <algorithm>

namespace core {

void Subscription::reset() {
  if (id_ == 0) return;
  if (auto state = state_.lock()) {
    auto it = state->slots.find(type_);
    if (it != state->slots.end()) {
      auto& vec = it->second;
      auto slot =
          std::find_if(vec.begin(), vec.end(), [this](const auto& s) { return s->id == id_; });
      if (slot != vec.end()) {
        // A publish in progress holds its own copy of the slot list; the
        // flag keeps it from calling this handler after all.
        (*slot)->active = false;
        vec.erase(slot);
      }
      if (vec.empty()) state->slots.erase(it);
    }
  }
  state_.reset();
  id_ = 0;
}

Subscription Bus::subscribe_erased(std::type_index type, std::function<void(const void*)> fn) {
  const std::uint64_t id = state_->next_id++;
  state_->slots[type].push_back(
      std::make_shared<detail::BusState::Slot>(detail::BusState::Slot{id, std::move(fn)}));
  return Subscription(state_, type, id);
}

void Bus::publish_erased(std::type_index type, const void* event) {
  auto it = state_->slots.find(type);
  if (it == state_->slots.end()) return;
  // Dispatch over a snapshot: handlers may change the live list (and the
  // shared_ptrs keep a handler alive while it unsubscribes itself).
  const std::vector<std::shared_ptr<detail::BusState::Slot>> snapshot = it->second;
  for (const auto& slot : snapshot)
    if (slot->active) slot->fn(event);
}

}  // namespace core

// core/bus/bus.h — Bus, the typed in-process event bus the engines talk over.
//
// An event is any copyable struct (core/ipsec/events.h holds the shared
// ones). Engines subscribe by type and publish by value; dispatch is
// synchronous, on the caller's thread (the loop thread), in subscription
// order:
//   core::Subscription sub = bus.subscribe<ipsec::SaExpired>(
//       [this](const ipsec::SaExpired& e) { on_expired(e); });
//   bus.publish(ipsec::SaExpired{...});
// A Subscription unsubscribes when destroyed, so a handler never outlives
// the object it calls into. Not thread-safe: post to the loop first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace core {

namespace detail {

// BusState is the subscriber table, shared between a Bus and its
// Subscriptions so that either may be destroyed first.
struct BusState {
  struct Slot {
    std::uint64_t id;
    std::function<void(const void*)> fn;
    bool active = true;  // false once unsubscribed, even mid-publish
  };
  std::unordered_map<std::type_index, std::vector<std::shared_ptr<Slot>>> slots;
  std::uint64_t next_id = 1;
};

}  // namespace detail

// Subscription owns one bus handler and removes it on destruction or
// reset(). Move-only. Outliving the Bus is safe (it then does nothing).
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&& other) noexcept
      : state_(std::move(other.state_)), type_(other.type_), id_(std::exchange(other.id_, 0)) {}
  Subscription& operator=(Subscription&& other) noexcept {
    if (this != &other) {
      reset();
      state_ = std::move(other.state_);
      type_ = other.type_;
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }

  // reset unsubscribes now. A handler being dispatched may reset its own
  // Subscription; it is not called again.
  void reset();
  // active says whether the handler is still subscribed.
  bool active() const { return id_ != 0 && !state_.expired(); }

 private:
  friend class Bus;
  Subscription(std::weak_ptr<detail::BusState> state, std::type_index type, std::uint64_t id)
      : state_(std::move(state)), type_(type), id_(id) {}

  std::weak_ptr<detail::BusState> state_;
  std::type_index type_ = typeid(void);
  std::uint64_t id_ = 0;
};

class Bus {
 public:
  Bus() : state_(std::make_shared<detail::BusState>()) {}
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // subscribe calls fn for every Event published until the returned
  // Subscription is destroyed. A handler added while an Event is being
  // published first sees the next one.
  template <typename Event>
  [[nodiscard]] Subscription subscribe(std::function<void(const Event&)> fn) {
    return subscribe_erased(typeid(Event), [fn = std::move(fn)](const void* e) {
      fn(*static_cast<const Event*>(e));
    });
  }

  // publish calls every handler subscribed to Event, in subscription order.
  // Handlers may publish, subscribe and unsubscribe; one removed during this
  // publish is not called if it has not been called yet.
  template <typename Event>
  void publish(const Event& event) {
    publish_erased(typeid(Event), &event);
  }

  // subscribers counts the live handlers for Event.
  template <typename Event>
  std::size_t subscribers() const {
    auto it = state_->slots.find(typeid(Event));
    return it == state_->slots.end() ? 0 : it->second.size();
  }

 private:
  Subscription subscribe_erased(std::type_index type, std::function<void(const void*)> fn);
  void publish_erased(std::type_index type, const void* event);

  std::shared_ptr<detail::BusState> state_;
};

}  // namespace core

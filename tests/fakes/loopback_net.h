// tests/fakes/loopback_net.h — an in-process network for engine tests: a
// Sender that queues datagrams and a pump that delivers them to whoever is
// attached at the destination address, with hooks to drop, duplicate,
// rewrite and inspect messages.
//
//   testing::LoopbackNet net;
//   ikev2::Engine a(settings_a, kernel_a, time, time, net, rng_a);
//   net.attach(addr_a, [&](auto bytes, auto local, auto remote) { a.on_datagram(bytes, local, remote); });
//   net.filter = [](testing::Datagram& d) { return testing::Verdict::Drop; };  // lose everything
//   net.pump();                                       // deliver until quiet
//
// Delivery is FIFO and synchronous: a handler that sends queues behind
// what is already waiting, as on a real link with no reordering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/net/address.h"
#include "ikev2/tasks/engine.h"

namespace testing {

// Datagram is one UDP datagram in flight: bytes, sender and receiver.
struct Datagram {
  std::vector<std::uint8_t> bytes;
  core::net::Endpoint from;
  core::net::Endpoint to;
};

// Verdict is what the filter decides for a datagram about to be delivered.
enum class Verdict : std::uint8_t { Deliver, Drop, Duplicate };

class LoopbackNet final : public ikev2::Sender {
 public:
  using Handler = std::function<void(std::span<const std::uint8_t> bytes,
                                     const core::net::Endpoint& local,
                                     const core::net::Endpoint& remote)>;

  // send queues a copy and records it in sent().
  void send(std::span<const std::uint8_t> datagram, const core::net::Endpoint& local,
            const core::net::Endpoint& remote) override {
    Datagram d{{datagram.begin(), datagram.end()}, local, remote};
    sent_.push_back(d);
    queue_.push_back(std::move(d));
  }

  // attach delivers datagrams addressed to addr (any port) to handler.
  void attach(const core::net::Address& addr, Handler handler) { hosts_[addr] = std::move(handler); }

  // filter, when set, sees each datagram just before delivery and may
  // change it (e.g. rewrite the source, as a NAT would) or drop/duplicate it.
  std::function<Verdict(Datagram&)> filter;

  // step delivers the first queued datagram; false when the queue is empty.
  // A datagram for an address nobody attached is counted as lost.
  bool step() {
    if (queue_.empty()) return false;
    Datagram d = std::move(queue_.front());
    queue_.pop_front();
    Verdict v = filter ? filter(d) : Verdict::Deliver;
    if (v == Verdict::Drop) {
      ++dropped_;
      return true;
    }
    auto it = hosts_.find(d.to.addr);
    if (it == hosts_.end()) {
      ++dropped_;
      return true;
    }
    ++delivered_;
    it->second(d.bytes, d.to, d.from);
    if (v == Verdict::Duplicate) {
      ++delivered_;
      it = hosts_.find(d.to.addr);
      if (it != hosts_.end()) it->second(d.bytes, d.to, d.from);
    }
    return true;
  }

  // pump delivers until nothing is queued and returns how many datagrams it
  // took off the queue. Throws after max_steps (a ping-pong loop in a test).
  std::size_t pump(std::size_t max_steps = 10000) {
    std::size_t n = 0;
    while (step()) {
      if (++n > max_steps) throw std::runtime_error("LoopbackNet::pump: no quiescence");
    }
    return n;
  }

  // drop_queued discards everything in flight (a link going down).
  void drop_queued() {
    dropped_ += queue_.size();
    queue_.clear();
  }

  std::size_t queued() const { return queue_.size(); }
  const std::deque<Datagram>& in_flight() const { return queue_; }
  // sent is every datagram ever sent, in order (drops included).
  const std::vector<Datagram>& sent() const { return sent_; }
  void clear_sent() { sent_.clear(); }
  std::size_t delivered() const { return delivered_; }
  std::size_t dropped() const { return dropped_; }

 private:
  std::deque<Datagram> queue_;
  std::vector<Datagram> sent_;
  std::map<core::net::Address, Handler> hosts_;
  std::size_t delivered_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace testing

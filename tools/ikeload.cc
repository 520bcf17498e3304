// kagi-ikeload — an IKEv2 load generator for `scripts/bench ike`: it opens
// childless IKE_SAs (RFC 6023; PSK, so no CHILD_SA and no kernel work on
// either side) against one responder as fast as the responder answers, with
// a bounded number in flight, and keeps them established.
//
// At each checkpoint it stops starting new IKE_SAs, waits for those in
// flight, prints "CHECKPOINT <established> <failed> <seconds>" and waits for
// a line on stdin before going on, so the caller can sample the responder's
// CPU time and memory with exactly that many IKE_SAs up. It ends with
// "DONE ..." and then waits for stdin to close (the IKE_SAs stay up until it
// exits; it sends no DELETE).
//
// Debian ships no strongSwan load-tester plugin; this tool is the initiator
// for both responders, kagid and charon, so both face the same load.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/crypto/random.h"
#include "core/log/log.h"
#include "core/loop/loop.h"
#include "daemon/net/udp_socket.h"
#include "ikev2/sa/identity.h"
#include "ikev2/sa/proposal.h"
#include "ikev2/tasks/engine.h"
#include "kernel/fake/fake_kernel.h"

namespace {

using Clock = std::chrono::steady_clock;

class Load final : public ikev2::Sender {
 public:
  Load(core::Loop& loop, std::unique_ptr<kagid::UdpSocket>* sock) : loop_(loop), sock_(sock) {}
  void send(std::span<const std::uint8_t> d, const core::net::Endpoint& local, const core::net::Endpoint& remote) override {
    if (auto st = (*sock_)->send(d, local, remote); !st) ++send_errors;
  }
  core::Loop& loop_;
  std::unique_ptr<kagid::UdpSocket>* sock_;
  std::size_t send_errors = 0;
};

std::vector<std::size_t> parse_list(const std::string& s) {
  std::vector<std::size_t> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoul(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kagi-ikeload: open many childless IKEv2 SAs against one responder"};
  std::string remote_s, local_s, psk_s, id_s = "@load.example.net", proposal_s = "aes128gcm16-prfsha256-x25519";
  std::string checkpoints_s = "1000";
  std::size_t window = 32;
  std::uint16_t port = 500, local_port = 5000;
  app.add_option("--remote", remote_s, "responder address")->required();
  app.add_option("--port", port, "responder port");
  app.add_option("--local", local_s, "our address")->required();
  app.add_option("--local-port", local_port, "our UDP port");
  app.add_option("--psk", psk_s, "pre-shared key")->required();
  app.add_option("--id", id_s, "our identity (IDi)");
  app.add_option("--proposal", proposal_s, "IKE proposal (strongSwan syntax)");
  app.add_option("--checkpoints", checkpoints_s, "established IKE_SA counts to stop at, e.g. 1000,10000,50000");
  app.add_option("--window", window, "IKE_SAs in flight at once");
  CLI11_PARSE(app, argc, argv);
  core::log::set_level(core::log::Level::Warn);

  auto remote = core::net::Address::parse(remote_s);
  auto local = core::net::Address::parse(local_s);
  auto id = ikev2::Identity::parse(id_s);
  auto props = ikev2::parse_proposals(proposal_s, ikev2::wire::ProtocolId::Ike);
  if (!remote || !local || !id || !props) {
    std::cerr << "kagi-ikeload: bad --remote, --local, --id or --proposal\n";
    return 2;
  }
  auto checkpoints = parse_list(checkpoints_s);
  auto loop = core::Loop::create().value();
  std::unique_ptr<kagid::UdpSocket> sock;
  Load load(*loop, &sock);
  core::SystemClock sysclock;
  kernel::FakeKernel kernel(sysclock, loop->timers());
  core::crypto::SystemRng rng;

  ikev2::Settings settings;
  settings.local_id = *id;
  settings.ike_proposals = *props;
  settings.send_initial_contact = false;  // every IKE_SA shares one identity
  settings.retransmit.base = std::chrono::seconds(2);
  settings.retransmit.tries = 3;
  settings.ike_lifetime = {std::chrono::hours(24), std::chrono::hours(25), std::chrono::minutes(1)};
  ikev2::Engine engine(settings, kernel, loop->clock(), loop->timers(), load, rng);

  auto opened = kagid::UdpSocket::open(*loop, {*local, local_port, false, true, 0},
                                       [&](std::span<const std::uint8_t> d, const core::net::Endpoint& l,
                                           const core::net::Endpoint& r) { engine.on_datagram(d, l, r); });
  if (!opened) {
    std::cerr << "kagi-ikeload: " << opened.error().detail << "\n";
    return 1;
  }
  sock = std::move(*opened);

  auto peer = std::make_shared<ikev2::PeerConfig>();
  peer->name = "load";
  peer->remote = {*remote, port};
  peer->local = core::net::Endpoint{*local, local_port};
  peer->local_id = *id;
  peer->ike_proposals = *props;
  peer->psk = core::crypto::SecureBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(psk_s.data()), psk_s.size()));

  std::size_t established = 0, failed = 0, in_flight = 0, started = 0, next_cp = 0;
  const auto t0 = Clock::now();
  bool paused = false;
  auto target = [&] { return next_cp < checkpoints.size() ? checkpoints[next_cp] : 0; };
  auto fill = [&] {
    while (!paused && in_flight < window && started < target()) {
      if (!engine.initiate(peer)) {
        ++failed;
        continue;
      }
      ++started;
      ++in_flight;
    }
  };
  engine.set_event_handler([&](const ikev2::Event& ev) {
    if (ev.kind == ikev2::EventKind::IkeUp) {
      ++established;
      --in_flight;
    } else if (ev.kind == ikev2::EventKind::IkeDown && in_flight > 0) {
      // An IKE_SA that never came up (a failure counts, and is replaced).
      ++failed;
      --in_flight;
      --started;
    }
    loop->post([&] { fill(); });
  });

  // The checkpoint logic runs on a 10 ms tick: when the target is reached
  // and nothing is in flight, report and wait for the caller.
  std::function<void()> tick;
  tick = [&] {
    if (next_cp < checkpoints.size() && established >= checkpoints[next_cp] && in_flight == 0) {
      double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      std::printf("CHECKPOINT %zu %zu %.3f\n", established, failed, secs);
      std::fflush(stdout);
      std::string line;
      if (!std::getline(std::cin, line)) {
        loop->stop();
        return;
      }
      ++next_cp;
      if (next_cp == checkpoints.size()) {
        std::printf("DONE %zu %zu %zu\n", established, failed, load.send_errors);
        std::fflush(stdout);
        while (std::getline(std::cin, line)) {
        }
        loop->stop();
        return;
      }
    }
    fill();
    loop->timers().schedule(std::chrono::milliseconds(10), tick);
  };
  loop->timers().schedule(std::chrono::milliseconds(10), tick);
  (void)loop->run();
  return 0;
}

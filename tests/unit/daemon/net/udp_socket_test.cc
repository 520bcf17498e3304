#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/loop/loop.h"
#include "daemon/net/udp_socket.h"

using core::net::Address;
using core::net::Endpoint;

namespace {

struct Got {
  std::vector<std::uint8_t> data;
  Endpoint local, remote;
  int count = 0;
};

void exchange_on(const char* loopback, std::uint16_t base_port, bool marker) {
  auto loop = core::Loop::create();
  REQUIRE(loop);
  Address any = Address::any(Address::parse(loopback)->family());
  Got a_got, b_got;
  auto rx = [](Got& g) {
    return [&g](std::span<const std::uint8_t> d, const Endpoint& l, const Endpoint& r) {
      g.data.assign(d.begin(), d.end());
      g.local = l;
      g.remote = r;
      ++g.count;
    };
  };
  auto a = kagid::UdpSocket::open(**loop, {any, base_port, marker, true}, rx(a_got));
  REQUIRE(a);
  auto b = kagid::UdpSocket::open(**loop, {any, static_cast<std::uint16_t>(base_port + 1), marker, true}, rx(b_got));
  REQUIRE(b);
  Endpoint ea{*Address::parse(loopback), base_port};
  Endpoint eb{*Address::parse(loopback), static_cast<std::uint16_t>(base_port + 1)};
  const std::uint8_t msg[] = {0x11, 0x22, 0x33, 0x44, 0x55};
  REQUIRE((*a)->send(msg, ea, eb));
  for (int i = 0; i < 50 && b_got.count == 0; ++i) (void)(*loop)->run_once(std::chrono::milliseconds(10));
  REQUIRE(b_got.count == 1);
  CHECK(b_got.data == std::vector<std::uint8_t>(std::begin(msg), std::end(msg)));
  CHECK(b_got.local == eb);   // learned through PKTINFO, not the wildcard
  CHECK(b_got.remote == ea);
}

}  // namespace

TEST_CASE("UDP sockets exchange datagrams and learn the local address (IPv4)", "[net]") {
  exchange_on("127.0.0.1", 47500, false);
}

TEST_CASE("UDP sockets exchange datagrams and learn the local address (IPv6)", "[net]") {
  exchange_on("::1", 47510, false);
}

TEST_CASE("NAT-T sockets add and strip the non-ESP marker", "[net]") {
  exchange_on("127.0.0.1", 47520, true);
}

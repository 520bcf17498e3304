#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "core/loop/loop.h"
#include "daemon/control/server.h"

namespace {

int dial(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  return fd;
}

// exchange writes one request line and pumps the loop until a reply line arrives.
std::string exchange(core::Loop& loop, int fd, const std::string& req) {
  if (!req.empty()) REQUIRE(write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
  std::string got;
  for (int i = 0; i < 200 && got.find('\n') == std::string::npos; ++i) {
    (void)loop.run_once(std::chrono::milliseconds(5));
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace

TEST_CASE("Control socket answers commands as line-delimited JSON", "[control]") {
  auto loop = core::Loop::create();
  REQUIRE(loop);
  std::string path = "/tmp/kagi-ctl-test-" + std::to_string(getpid()) + ".sock";
  auto srv = kagid::ControlServer::open(**loop, path);
  REQUIRE(srv);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  (*srv)->on("status", [](const nlohmann::json&) -> core::Result<nlohmann::json> {
    return nlohmann::json{{"backend", "fake"}};
  });
  (*srv)->on("reload", [](const nlohmann::json&) -> core::Result<nlohmann::json> {
    return core::fail(core::ErrorCode::Config, "x.conf:3:1: unknown directive 'foo'");
  });
  int fd = dial(path);
  auto r1 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"status\"}\n"));
  CHECK(r1["ok"] == true);
  CHECK(r1["result"]["backend"] == "fake");
  auto r2 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"reload\"}\n"));
  CHECK(r2["ok"] == false);
  CHECK(r2["error"] == "x.conf:3:1: unknown directive 'foo'");
  CHECK(r2["code"] == "config");
  auto r3 = nlohmann::json::parse(exchange(**loop, fd, "not json\n"));
  CHECK(r3["ok"] == false);
  auto r4 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"frobnicate\"}\n"));
  CHECK(r4["error"] == "unknown command 'frobnicate'");

  // Arguments of the wrong shape are answered, not fatal to the daemon.
  (*srv)->on("initiate", [](const nlohmann::json& a) -> core::Result<nlohmann::json> {
    return nlohmann::json{{"remote", a.value("remote", std::string())}};
  });
  auto r5 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"initiate\",\"args\":{\"remote\":5}}\n"));
  CHECK(r5["ok"] == false);
  CHECK(r5["code"] == "invalid-syntax");
  auto r6 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"initiate\",\"args\":7}\n"));
  CHECK(r6["ok"] == false);
  CHECK(r6["code"] == "invalid-syntax");
  auto r7 = nlohmann::json::parse(exchange(**loop, fd, "{\"cmd\":\"initiate\",\"args\":{\"remote\":\"gw\"}}\n"));
  CHECK(r7["result"]["remote"] == "gw");

  // A monitor connection receives broadcasts; the request connection does not.
  int mon = dial(path);
  auto m = nlohmann::json::parse(exchange(**loop, mon, "{\"cmd\":\"monitor\"}\n"));
  CHECK(m["ok"] == true);
  CHECK((*srv)->monitors() == 1);
  (*srv)->broadcast({{"event", "ike-up"}, {"id", 1}});
  auto ev = nlohmann::json::parse(exchange(**loop, mon, ""));
  CHECK(ev["event"] == "ike-up");
  close(mon);
  for (int i = 0; i < 5; ++i) (void)(*loop)->run_once(std::chrono::milliseconds(2));
  CHECK((*srv)->monitors() == 0);

  // A second server on a live socket is refused; after close the file is gone.
  auto again = kagid::ControlServer::open(**loop, path);
  CHECK_FALSE(again);
  close(fd);
  srv->reset();
  CHECK(access(path.c_str(), F_OK) != 0);
}

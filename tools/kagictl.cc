// kagictl — control client for kagid over its UNIX socket.
//
//   kagictl [--socket PATH] [--json] COMMAND [ARGS]
// Commands map to control requests (docs/kagictl.8.md): status, monitor,
// reload, policy list, sa list, initiate, terminate, rekey (see docs/kagictl.8.md).
// Output is human-readable, or the daemon's JSON result with --json.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "tools/ctl_print.h"

namespace {

int connect_to(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) return -1;
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// LineReader yields one '\n'-terminated line at a time from a socket.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  bool next(std::string& line) {
    for (;;) {
      if (auto pos = buf_.find('\n'); pos != std::string::npos) {
        line = buf_.substr(0, pos);
        buf_.erase(0, pos + 1);
        return true;
      }
      char tmp[4096];
      ssize_t n = read(fd_, tmp, sizeof tmp);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kagictl: control kagid over its UNIX socket"};
  std::string socket_path = "/run/kagi/kagid.sock";
  bool json_out = false;
  std::vector<std::string> words;
  app.add_option("-s,--socket", socket_path, "kagid control socket");
  app.add_flag("-j,--json", json_out, "print the daemon's JSON result");
  app.add_option("command", words,
                 "status | monitor | reload | policy list | sa list | "
                 "initiate REMOTE [POLICY] | initiate selector|policy NAME | "
                 "terminate|rekey IKE_ID|REMOTE | terminate|rekey child SPI | mobility ...")
      ->required();
  app.allow_extras(false);
  CLI11_PARSE(app, argc, argv);

  auto req = kagictl::build_request(words);
  if (!req) {
    std::cerr << "kagictl: " << req.error() << "\n";
    return 2;
  }
  int fd = connect_to(socket_path);
  if (fd < 0) {
    std::cerr << "kagictl: cannot connect to " << socket_path << ": " << std::strerror(errno)
              << " (is kagid running? --socket PATH)\n";
    return 1;
  }
  if (!send_all(fd, req->dump() + "\n")) {
    std::cerr << "kagictl: write to " << socket_path << " failed\n";
    return 1;
  }
  LineReader in(fd);
  std::string line;
  if (!in.next(line)) {
    std::cerr << "kagictl: kagid closed the connection without answering\n";
    return 1;
  }
  auto reply = nlohmann::json::parse(line, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    std::cerr << "kagictl: unreadable reply: " << line << "\n";
    return 1;
  }
  if (!reply.value("ok", false)) {
    std::cerr << "kagictl: " << reply.value("error", std::string("failed")) << "\n";
    return 1;
  }
  std::string cmd = (*req)["cmd"];
  if (cmd == "monitor") {
    // Stream events until kagid or the user ends it.
    while (in.next(line)) {
      auto ev = nlohmann::json::parse(line, nullptr, false);
      if (json_out || ev.is_discarded())
        std::cout << line << std::endl;
      else
        std::cout << kagictl::format_event(ev) << std::endl;
    }
    return 0;
  }
  const auto& result = reply["result"];
  if (json_out)
    std::cout << result.dump(2) << "\n";
  else
    std::cout << kagictl::format_result(cmd, result);
  close(fd);
  return 0;
}

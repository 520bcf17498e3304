#include "daemon/control/server.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log/log.h"

namespace kagid {
namespace {

// A request line longer than this is a broken or hostile client.
constexpr std::size_t kMaxLine = 64 * 1024;
// A monitor that does not read gets dropped rather than grow without bound.
constexpr std::size_t kMaxPending = 4 * 1024 * 1024;

core::Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path)
    return core::fail(core::ErrorCode::Config, "control socket path too long: {}", path);
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  return sa;
}

// live_socket tells whether some process still accepts on path.
bool live_socket(const sockaddr_un& sa) {
  core::UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return fd.get() >= 0 && connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0;
}

}  // namespace

core::Result<std::unique_ptr<ControlServer>> ControlServer::open(core::Loop& loop, const std::string& path) {
  auto sa = unix_address(path);
  if (!sa) return core::fail(sa.error());
  if (live_socket(*sa))
    return core::fail(core::ErrorCode::Exists, "control socket {} is in use: is another kagid running?", path);
  unlink(path.c_str());
  std::unique_ptr<ControlServer> s(new ControlServer(loop, path));
  s->listen_fd_ = core::UniqueFd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (s->listen_fd_.get() < 0) return core::fail(core::ErrorCode::System, "socket(AF_UNIX): {}", std::strerror(errno));
  // The socket is created 0600 from the start (umask), not chmod-ed after
  // bind, so there is no window in which another user could connect.
  mode_t old = umask(0177);
  int rc = bind(s->listen_fd_.get(), reinterpret_cast<const sockaddr*>(&*sa), sizeof *sa);
  int err = errno;
  umask(old);
  if (rc < 0) return core::fail(core::ErrorCode::System, "bind {}: {}", path, std::strerror(err));
  if (listen(s->listen_fd_.get(), 16) < 0)
    return core::fail(core::ErrorCode::System, "listen {}: {}", path, std::strerror(errno));
  ControlServer* self = s.get();
  if (auto st = loop.add_fd(s->listen_fd_.get(), EPOLLIN, [self](std::uint32_t) { self->on_accept(); }); !st)
    return core::fail(st.error());
  KLOG(Ctl, Info, "control socket listening on {}", path);
  return s;
}

ControlServer::~ControlServer() {
  for (auto& [fd, c] : conns_) (void)loop_.remove_fd(fd);
  if (listen_fd_.get() >= 0) {
    (void)loop_.remove_fd(listen_fd_.get());
    unlink(path_.c_str());
  }
}

std::size_t ControlServer::monitors() const {
  std::size_t n = 0;
  for (const auto& [fd, c] : conns_) n += c->monitor;
  return n;
}

void ControlServer::on_accept() {
  for (;;) {
    int fd = accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        KLOG(Ctl, Warn, "accept on {}: {}", path_, std::strerror(errno));
      return;
    }
    auto conn = std::make_unique<Conn>();
    conn->fd = core::UniqueFd(fd);
    if (auto st = loop_.add_fd(fd, EPOLLIN, [this, fd](std::uint32_t ev) { on_conn(fd, ev); }); !st) {
      KLOG(Ctl, Warn, "control connection: {}", st.error().to_string());
      continue;
    }
    conns_[fd] = std::move(conn);
  }
}

void ControlServer::on_conn(int fd, std::uint32_t events) {
  auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (events & EPOLLOUT) flush(fd, c);
  if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      c.in.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    close_conn(fd);  // EOF or error
    return;
  }
  std::size_t pos;
  while ((pos = c.in.find('\n')) != std::string::npos) {
    std::string line = c.in.substr(0, pos);
    c.in.erase(0, pos + 1);
    handle_line(c, line);
  }
  if (c.in.size() > kMaxLine) {
    queue(c, nlohmann::json{{"ok", false}, {"error", "request line too long"}}.dump() + "\n");
    c.closing = true;
  }
  flush(fd, c);
}

void ControlServer::handle_line(Conn& c, const std::string& line) {
  nlohmann::json reply;
  auto req = nlohmann::json::parse(line, nullptr, false);
  if (req.is_discarded() || !req.is_object() || !req.contains("cmd") || !req["cmd"].is_string()) {
    reply = {{"ok", false}, {"error", "malformed request: expected {\"cmd\": \"...\", \"args\": {...}}"}};
  } else {
    std::string cmd = req["cmd"];
    nlohmann::json args = req.value("args", nlohmann::json::object());
    if (cmd == "monitor") {
      c.monitor = true;
      reply = {{"ok", true}, {"result", {{"monitoring", true}}}};
    } else if (auto h = handlers_.find(cmd); h == handlers_.end()) {
      reply = {{"ok", false}, {"error", "unknown command '" + cmd + "'"}};
    } else if (!args.is_object()) {
      reply = {{"ok", false}, {"error", cmd + ": \"args\" must be an object"}, {"code", "invalid-syntax"}};
    } else {
      // A field of the wrong type (a number where a name belongs) makes the
      // JSON library throw inside a handler: answer it, never die of it.
      core::Result<nlohmann::json> r = core::fail(core::ErrorCode::Internal, "no result");
      try {
        r = h->second(args);
      } catch (const nlohmann::json::exception& e) {
        r = core::fail(core::ErrorCode::InvalidSyntax, "{}: an argument has the wrong type ({})", cmd, e.what());
      }
      if (r)
        reply = {{"ok", true}, {"result", *r}};
      else
        reply = {{"ok", false}, {"error", r.error().detail}, {"code", core::error_code_name(r.error().code)}};
    }
    KLOG(Ctl, Diag, "control: {} -> {}", cmd, reply["ok"].get<bool>() ? "ok" : "error");
  }
  queue(c, reply.dump() + "\n");
}

void ControlServer::queue(Conn& c, const std::string& text) {
  c.out += text;
  if (c.out.size() > kMaxPending) {
    KLOG(Ctl, Warn, "control client not reading; dropping it");
    c.out.clear();
    c.closing = true;
  }
}

void ControlServer::flush(int fd, Conn& c) {
  while (!c.out.empty()) {
    ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      (void)loop_.modify_fd(fd, EPOLLIN | EPOLLOUT);
      return;
    }
    close_conn(fd);
    return;
  }
  (void)loop_.modify_fd(fd, EPOLLIN);
  if (c.closing) close_conn(fd);
}

void ControlServer::broadcast(const nlohmann::json& event) {
  std::string text = event.dump() + "\n";
  std::vector<int> fds;
  for (auto& [fd, c] : conns_)
    if (c->monitor) fds.push_back(fd);
  for (int fd : fds) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) continue;
    queue(*it->second, text);
    flush(fd, *it->second);
  }
}

void ControlServer::close_conn(int fd) {
  (void)loop_.remove_fd(fd);
  conns_.erase(fd);
}

}  // namespace kagid

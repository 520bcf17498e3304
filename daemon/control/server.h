// daemon/control/server.h — kagid's control socket: line-delimited JSON over
// (namespace kagid, not daemon: libc declares a function daemon(3), which a
// namespace of that name would collide with.)
// a UNIX stream socket created with permissions 0600.
//
// Request:  {"cmd": "status", "args": {...}}\n
// Response: {"ok": true, "result": {...}}\n  or  {"ok": false, "error": "..."}\n
// A "monitor" request turns the connection into an event stream: every
// broadcast() is written to it as {"event": "...", ...}\n until it closes.
// Protocol and fields are documented in docs/kagictl.8.md.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/loop/loop.h"
#include "core/loop/unique_fd.h"
#include "core/result.h"

namespace kagid {

class ControlServer {
 public:
  // Handler answers one command; an Error becomes {"ok": false, "error": ...}.
  using Handler = std::function<core::Result<nlohmann::json>(const nlohmann::json& args)>;

  // open binds path (replacing a stale socket file, refusing a live one) and
  // watches it on loop. The loop must outlive the server.
  static core::Result<std::unique_ptr<ControlServer>> open(core::Loop& loop, const std::string& path);
  ~ControlServer();

  // on registers the handler for cmd (replacing any earlier one).
  void on(const std::string& cmd, Handler h) { handlers_[cmd] = std::move(h); }
  // broadcast sends an event to every monitor connection.
  void broadcast(const nlohmann::json& event);
  const std::string& path() const { return path_; }
  std::size_t monitors() const;

 private:
  struct Conn {
    core::UniqueFd fd;
    std::string in;   // bytes received, not yet a full line
    std::string out;  // bytes not yet written
    bool monitor = false;
    bool closing = false;
  };

  ControlServer(core::Loop& loop, std::string path) : loop_(loop), path_(std::move(path)) {}
  void on_accept();
  void on_conn(int fd, std::uint32_t events);
  void handle_line(Conn& c, const std::string& line);
  void queue(Conn& c, const std::string& text);
  void flush(int fd, Conn& c);
  void close_conn(int fd);

  core::Loop& loop_;
  std::string path_;
  core::UniqueFd listen_fd_;
  std::map<int, std::unique_ptr<Conn>> conns_;
  std::map<std::string, Handler> handlers_;
};

}  // namespace kagid

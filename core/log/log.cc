#include "core/log/log.h"

#include <syslog.h>
#include <time.h>

#include <array>
#include <cstdio>
#include <mutex>

namespace core::log {
namespace {

struct State {
  Level level = Level::Info;
  std::array<std::optional<Level>, 11> per_subsys{};
  Sink sink;
  std::FILE* file = nullptr;
  std::mutex mu;  // worker threads may log
};

State& state() {
  static State s;
  return s;
}

std::string timestamp() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t{};
  gmtime_r(&ts.tv_sec, &t);
  return fmt::format("{:02}:{:02}:{:02}.{:03}", t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec / 1000000);
}

void stream_sink(std::FILE* f, Subsys s, Level l, std::string_view msg) {
  fmt::print(f, "{} [{}] {:<5} {}\n", timestamp(), subsys_name(s), level_name(l), msg);
  std::fflush(f);
}

int syslog_priority(Level l) {
  switch (l) {
    case Level::Error: return LOG_ERR;
    case Level::Warn: return LOG_WARNING;
    case Level::Info: return LOG_INFO;
    default: return LOG_DEBUG;
  }
}

}  // namespace

std::string_view subsys_name(Subsys s) {
  static constexpr std::array<std::string_view, 11> names = {
      "dmn", "cfg", "ike", "chd", "kink", "knl", "net", "enc", "mip6", "pol", "ctl"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view level_name(Level l) {
  static constexpr std::array<std::string_view, 6> names = {
      "error", "warn", "info", "diag", "debug", "private"};
  return names[static_cast<std::size_t>(l)];
}

std::optional<Level> parse_level(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Level::Private); ++i)
    if (level_name(static_cast<Level>(i)) == name) return static_cast<Level>(i);
  return std::nullopt;
}

void set_level(Level l) { state().level = l; }
Level level() { return state().level; }
void set_subsys_level(Subsys s, Level l) { state().per_subsys[static_cast<std::size_t>(s)] = l; }

bool enabled(Subsys s, Level l) {
  auto& st = state();
  auto per = st.per_subsys[static_cast<std::size_t>(s)];
  return l <= per.value_or(st.level);
}

void to_stderr() {
  set_sink([](Subsys s, Level l, std::string_view m) { stream_sink(stderr, s, l, m); });
}

void to_syslog(std::string_view ident) {
  static std::string id;
  id = ident;
  openlog(id.c_str(), LOG_PID, LOG_DAEMON);
  set_sink([](Subsys s, Level l, std::string_view m) {
    syslog(syslog_priority(l), "[%s] %.*s", subsys_name(s).data(), static_cast<int>(m.size()),
           m.data());
  });
}

bool to_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return false;
  auto& st = state();
  std::lock_guard lock(st.mu);
  if (st.file) std::fclose(st.file);
  st.file = f;
  st.sink = [f](Subsys s, Level l, std::string_view m) { stream_sink(f, s, l, m); };
  return true;
}

void set_sink(Sink sink) {
  auto& st = state();
  std::lock_guard lock(st.mu);
  st.sink = std::move(sink);
}

void write(Subsys s, Level l, std::string_view msg) {
  auto& st = state();
  std::lock_guard lock(st.mu);
  if (st.sink)
    st.sink(s, l, msg);
  else
    stream_sink(stderr, s, l, msg);
}

}  // namespace core::log

#include "core/ipsec/types.h"

#include <fmt/format.h>

namespace core::ipsec {

std::string_view proto_name(Proto p) {
  switch (p) {
    case Proto::Esp: return "esp";
    case Proto::Ah: return "ah";
    case Proto::Comp: return "ipcomp";
  }
  return "?";
}

std::string_view mode_name(Mode m) { return m == Mode::Tunnel ? "tunnel" : "transport"; }

std::string_view dir_name(Dir d) {
  switch (d) {
    case Dir::In: return "in";
    case Dir::Out: return "out";
    case Dir::Fwd: return "fwd";
  }
  return "?";
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Use: return "use";
    case Level::Require: return "require";
    case Level::Unique: return "unique";
  }
  return "?";
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::Protect: return "protect";
    case Action::Bypass: return "bypass";
    case Action::Discard: return "discard";
  }
  return "?";
}

std::string SaId::to_string() const {
  return fmt::format("{} spi 0x{:08x} dst {}", proto_name(proto), spi, dst.to_string());
}

std::string PolicySpec::to_string() const {
  std::string s = fmt::format("{} dir {} {} prio {}", selector.to_string(), dir_name(dir),
                              action_name(action), priority);
  for (const auto& t : templates) {
    s += fmt::format(" tmpl {} {} reqid {} {}", proto_name(t.proto), mode_name(t.mode), t.reqid,
                     level_name(t.level));
    if (t.mode == Mode::Tunnel) s += fmt::format(" {}->{}", t.src.to_string(), t.dst.to_string());
  }
  return s;
}

}  // namespace core::ipsec

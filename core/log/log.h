// core/log/log.h — subsystem/level logging with stderr, syslog and file sinks.
//
//   KLOG(Subsys::Ike, Level::Diag, "IKE_SA {} established", sa.spis());
// The macro skips formatting when the level is filtered out. Every line
// should name its SA (SPIs or id). Key material only at Level::Private.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace core::log {

// Subsys names the part of kagi a line comes from (strongSwan-style tags).
enum class Subsys : std::uint8_t { Dmn, Cfg, Ike, Chd, Kink, Knl, Net, Enc, Mip6, Pol, Ctl };
// Level: Error < Warn < Info < Diag < Debug < Private (key material).
enum class Level : std::uint8_t { Error, Warn, Info, Diag, Debug, Private };

std::string_view subsys_name(Subsys s);
std::string_view level_name(Level l);
// parse_level accepts error|warn|info|diag|debug|private.
std::optional<Level> parse_level(std::string_view name);

// Sink receives formatted lines; tests may install one to capture output.
using Sink = std::function<void(Subsys, Level, std::string_view)>;

void set_level(Level l);
Level level();
void set_subsys_level(Subsys s, Level l);
bool enabled(Subsys s, Level l);

// Sinks: stderr is the default. to_syslog and to_file replace it; add_sink
// adds another (tests). to_file fails with false when the file cannot open.
void to_stderr();
void to_syslog(std::string_view ident);
bool to_file(const std::string& path);
void set_sink(Sink sink);
void write(Subsys s, Level l, std::string_view msg);

}  // namespace core::log

#define KLOG(subsys, lvl, ...)                                                        \
  do {                                                                                \
    if (::core::log::enabled(::core::log::Subsys::subsys, ::core::log::Level::lvl))   \
      ::core::log::write(::core::log::Subsys::subsys, ::core::log::Level::lvl,        \
                         ::fmt::format(__VA_ARGS__));                                 \
  } while (0)

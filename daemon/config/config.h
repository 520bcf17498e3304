// daemon/config/config.h — the public entry points of kagid's configuration:
// read racoon2.conf-language files into one validated Config (model.h), and
// describe it back as text (kagid --check-config).
//
//   auto cfg = kagid::config::load_config("/etc/kagi/racoon2.conf");
//   if (!cfg) { fmt::print(stderr, "{}\n", cfg.error().detail); return 1; }
//
// Errors are ErrorCode::Config with up to Diagnostics::kDefaultMaxErrors
// "file:line:col: message" lines in detail. Nothing here throws.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "daemon/config/model.h"

namespace kagid::config {

// load_config reads path and every file it includes, then resolves them.
core::Result<Config> load_config(const std::string& path);

// parse_config_text resolves text as if read from a file called name;
// relative include paths are taken from the working directory. For tests and
// fuzzing.
core::Result<Config> parse_config_text(std::string_view text, std::string_view name);

// describe prints the resolved model in configuration syntax, every default
// filled in, sections sorted by name; the output is stable and parses back
// to an equal model. Warnings and setvals appear as "#" comments.
std::string describe(const Config& cfg);

}  // namespace kagid::config

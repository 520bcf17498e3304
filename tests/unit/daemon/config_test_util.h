// tests/unit/daemon/config_test_util.h — helpers shared by the configuration
// tests: paths of the sample files and short ways to load or parse.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "daemon/config/config.h"
#include "unit/daemon/config_paths.h"

namespace config_test {

inline std::string path(std::string_view name) { return std::string(KAGI_TEST_CONFIG_DIR) + "/" + std::string(name); }

// load reads tests/configs/<name>, failing the test with the error text.
inline kagid::config::Config load(std::string_view name) {
  auto cfg = kagid::config::load_config(path(name));
  if (!cfg) FAIL(cfg.error().detail);
  return *cfg;
}

// parse resolves text named "test.conf", failing the test on error.
inline kagid::config::Config parse(std::string_view text) {
  auto cfg = kagid::config::parse_config_text(text, "test.conf");
  if (!cfg) FAIL(cfg.error().detail);
  return *cfg;
}

// error_of returns the error detail of a configuration that must not load.
inline std::string error_of(std::string_view text) {
  auto cfg = kagid::config::parse_config_text(text, "test.conf");
  if (cfg) FAIL("configuration unexpectedly accepted:\n" << text);
  return cfg ? std::string() : cfg.error().detail;
}

inline std::string file_error(std::string_view name) {
  auto cfg = kagid::config::load_config(path(name));
  if (cfg) FAIL("configuration unexpectedly accepted: " << name);
  return cfg ? std::string() : cfg.error().detail;
}

// Minimal valid tail that the small inline tests append.
inline constexpr std::string_view kPeer = R"(
remote peer {
  acceptable_kmp ikev2;
  ikev2 { pre_shared_key "psk"; };
};
)";

}  // namespace config_test

// fuzz_config — libFuzzer target for the racoon2.conf reader (lexer, parser,
// resolver). Any input must give a Config or an Error; an accepted input
// must describe itself into text that reads back to the same model
// (parse -> describe -> parse round trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Include paths are relative to the working directory: keep the fuzzer
  // from reading files it happens to name.
  if (text.find("include") != std::string_view::npos) return 0;
  auto cfg = kagid::config::parse_config_text(text, "fuzz.conf");
  if (!cfg) {
    if (cfg.error().detail.empty()) std::abort();
    return 0;
  }
  // $[ENV] may bring quotes or newlines that describe() cannot quote.
  if (text.find("$[") != std::string_view::npos) return 0;
  std::string described = kagid::config::describe(*cfg);
  auto again = kagid::config::parse_config_text(described, "described.conf");
  if (!again) std::abort();
  if (!(again->remotes == cfg->remotes) || !(again->selectors == cfg->selectors) ||
      !(again->policies == cfg->policies) || !(again->ipsecs == cfg->ipsecs) || !(again->sas == cfg->sas) ||
      !(again->addresspools == cfg->addresspools) || !(again->defaults == cfg->defaults) ||
      !(again->interface == cfg->interface) || !(again->resolver == cfg->resolver))
    std::abort();
  return 0;
}

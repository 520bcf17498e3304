#include "daemon/config/config.h"

#include "daemon/config/loader.h"
#include "daemon/config/resolve.h"

namespace kagid::config {
namespace {

core::Result<Config> finish(const std::vector<Statement>& top, Diagnostics& diag) {
  // Resolving after syntax errors would mostly repeat them in other words.
  if (diag.failed()) return core::fail(diag.to_error());
  Config cfg = resolve(top, diag);
  if (diag.failed()) return core::fail(diag.to_error());
  return cfg;
}

}  // namespace

core::Result<Config> load_config(const std::string& path) {
  Diagnostics diag;
  auto top = load_file(path, diag);
  return finish(top, diag);
}

core::Result<Config> parse_config_text(std::string_view text, std::string_view name) {
  Diagnostics diag;
  auto top = load_text(text, std::string(name), "", diag);
  return finish(top, diag);
}

}  // namespace kagid::config

// daemon/config/resolve.h — turns the statements of all files into one
// validated Config: setval first, then the `default` block, then every other
// section, then the cross-references (dangling indexes are errors).
#pragma once

#include <vector>

#include "daemon/config/diagnostics.h"
#include "daemon/config/model.h"
#include "daemon/config/syntax.h"

namespace kagid::config {

// resolve reads top-level statements (includes already spliced in). Errors
// go to diag; the returned Config is meaningful only if !diag.failed().
Config resolve(const std::vector<Statement>& top, Diagnostics& diag);

}  // namespace kagid::config

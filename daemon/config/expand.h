// daemon/config/expand.h — ${NAME} (setval) and $[NAME] (environment)
// substitution in configuration values (racoon2's lib/rc_str.c rc_strex).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kagid::config {

using Setvals = std::map<std::string, std::string>;

// kMaxExpansionRounds bounds re-expansion (a setval value may name another);
// kMaxExpandedSize bounds the result so "A" = "${B}${B}" chains cannot
// blow up memory.
inline constexpr int kMaxExpansionRounds = 16;
inline constexpr std::size_t kMaxExpandedSize = 64 * 1024;

// expand substitutes ${NAME} from setvals and $[NAME] from the environment,
// again and again until none is left. Fails (ErrorCode::Config, message
// without location) on an undefined name, an unterminated reference, a
// cycle, or a result over kMaxExpandedSize.
core::Result<std::string> expand(std::string_view text, const Setvals& setvals);

// expand_env substitutes only $[NAME]; a ${NAME} is an error, for include
// paths, which are opened before any setval is known.
core::Result<std::string> expand_env(std::string_view text);

}  // namespace kagid::config

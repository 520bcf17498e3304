// daemon/config/unsupported.h — the one table of racoon2 directives (and
// directive values) that kagi recognises but does not act on.
//
// Refused entries are errors naming the missing feature, never silently
// ignored; Unused entries (racoon2's separate spmd daemon, which kagi folds
// in) are accepted with a warning. When a feature lands, delete its row.
#pragma once

#include <cstdint>
#include <string_view>

namespace kagid::config {

enum class Support : std::uint8_t {
  Refused,  // error: the feature is not built
  Unused,   // warning: accepted, has no effect in kagi
};

// UnsupportedEntry: block is the block the directive appears in ("" = any,
// "kmp" = a remote's ikev2 or kink block),
// value is the directive's value that is unsupported ("" = the directive).
struct UnsupportedEntry {
  std::string_view block;
  std::string_view directive;
  std::string_view value;
  Support support;
  std::string_view reason;
};

// find_unsupported returns the entry for (block, directive, value), or
// nullptr when kagi supports it.
const UnsupportedEntry* find_unsupported(std::string_view block, std::string_view directive,
                                         std::string_view value = {});

}  // namespace kagid::config

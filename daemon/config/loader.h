// daemon/config/loader.h — reads configuration files into one statement
// list, splicing in what `include "glob";` names.
//
// Includes are expanded while reading (as racoon2's lexer did): a path may
// use $[ENV] but not ${setval}; a relative path is taken from the including
// file's directory; matches of a glob(3) pattern are read in sorted order;
// nesting is limited to kMaxIncludeDepth and loops are refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/diagnostics.h"
#include "daemon/config/syntax.h"

namespace kagid::config {

inline constexpr int kMaxIncludeDepth = 10;
// kMaxFileSize bounds one configuration file.
inline constexpr std::size_t kMaxFileSize = 4 * 1024 * 1024;

// load_text parses text (named name in locations) and its includes;
// relative include paths are taken from base_dir ("" = the working directory).
std::vector<Statement> load_text(std::string_view text, const std::string& name,
                                 const std::string& base_dir, Diagnostics& diag);

// load_file reads path, then as load_text with base_dir = path's directory.
std::vector<Statement> load_file(const std::string& path, Diagnostics& diag);

}  // namespace kagid::config

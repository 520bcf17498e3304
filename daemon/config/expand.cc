#include "daemon/config/expand.h"

#include <cstdlib>

namespace kagid::config {
namespace {

using core::ErrorCode;
using core::fail;

// expand_once replaces every reference in text once; sets found when any was.
core::Result<std::string> expand_once(std::string_view text, const Setvals* setvals, bool& found) {
  std::string out;
  std::size_t i = 0;
  found = false;
  while (i < text.size()) {
    std::size_t d = text.find('$', i);
    if (d == std::string_view::npos || d + 1 >= text.size()) {
      out.append(text.substr(i));
      break;
    }
    char open = text[d + 1];
    if (open != '{' && open != '[') {
      out.append(text.substr(i, d + 1 - i));
      i = d + 1;
      continue;
    }
    char close = open == '{' ? '}' : ']';
    std::size_t end = text.find(close, d + 2);
    if (end == std::string_view::npos)
      return fail(ErrorCode::Config, "unterminated '{}{}' in \"{}\"", '$', open, text);
    std::string name(text.substr(d + 2, end - d - 2));
    if (name.empty()) return fail(ErrorCode::Config, "empty variable name in \"{}\"", text);
    out.append(text.substr(i, d - i));
    if (open == '{') {
      if (setvals == nullptr)
        return fail(ErrorCode::Config,
                    "${{{}}} cannot be used here: setval values are known only after every file is read",
                    name);
      auto it = setvals->find(name);
      if (it == setvals->end()) return fail(ErrorCode::Config, "undefined variable ${{{}}} (no setval)", name);
      out.append(it->second);
    } else {
      const char* v = std::getenv(name.c_str());
      if (v == nullptr) return fail(ErrorCode::Config, "environment variable $[{}] is not set", name);
      out.append(v);
    }
    if (out.size() > kMaxExpandedSize)
      return fail(ErrorCode::Config, "expansion of \"{}\" exceeds {} bytes", text, kMaxExpandedSize);
    found = true;
    i = end + 1;
  }
  return out;
}

core::Result<std::string> expand_all(std::string_view text, const Setvals* setvals) {
  std::string cur(text);
  for (int round = 0; round < kMaxExpansionRounds; ++round) {
    bool found = false;
    auto next = expand_once(cur, setvals, found);
    if (!next) return next;
    if (!found) return cur;
    cur = std::move(*next);
  }
  return fail(ErrorCode::Config, "variables in \"{}\" still expand after {} rounds (a setval refers to itself?)",
              text, kMaxExpansionRounds);
}

}  // namespace

core::Result<std::string> expand(std::string_view text, const Setvals& setvals) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  return expand_all(text, &setvals);
}

core::Result<std::string> expand_env(std::string_view text) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  return expand_all(text, nullptr);
}

}  // namespace kagid::config

// daemon/config/diagnostics.h — collects "file:line:col: message" errors and
// warnings while a configuration is read, so one run reports many mistakes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/result.h"
#include "daemon/config/types.h"

namespace kagid::config {

// Diagnostics keeps up to max_errors errors (the rest are counted) and every
// warning, each as "file:line:col: message". It never throws.
class Diagnostics {
 public:
  static constexpr std::size_t kDefaultMaxErrors = 20;
  explicit Diagnostics(std::size_t max_errors = kDefaultMaxErrors) : max_errors_(max_errors) {}

  template <typename... Args>
  void error(const Location& loc, fmt::format_string<Args...> f, Args&&... args) {
    add_error(loc, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void warn(const Location& loc, fmt::format_string<Args...> f, Args&&... args) {
    warnings_.push_back(loc.to_string() + ": " + fmt::format(f, std::forward<Args>(args)...));
  }
  void add_error(const Location& loc, const std::string& message);

  bool failed() const { return !errors_.empty(); }
  std::size_t error_count() const { return errors_.size() + dropped_; }
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // to_error joins the errors, one per line, into an ErrorCode::Config Error.
  core::Error to_error() const;

 private:
  std::size_t max_errors_;
  std::size_t dropped_ = 0;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

}  // namespace kagid::config

#include "daemon/config/diagnostics.h"

namespace kagid::config {

std::string Location::to_string() const {
  if (line == 0) return file;  // a whole file (it could not be opened)
  return fmt::format("{}:{}:{}", file, line, column);
}

void Diagnostics::add_error(const Location& loc, const std::string& message) {
  if (errors_.size() >= max_errors_) {
    ++dropped_;
    return;
  }
  errors_.push_back(loc.to_string() + ": " + message);
}

core::Error Diagnostics::to_error() const {
  std::string detail;
  for (const auto& e : errors_) {
    if (!detail.empty()) detail += '\n';
    detail += e;
  }
  if (dropped_ > 0) detail += fmt::format("\n... and {} more errors", dropped_);
  return core::Error{core::ErrorCode::Config, detail};
}

}  // namespace kagid::config

// ikev2/wire/decode_error.cc — DecodeError conversions.
#include "ikev2/wire/decode_error.h"

#include <fmt/format.h>

namespace ikev2::wire {

std::string decode_fault_name(DecodeFault f) {
  switch (f) {
    case DecodeFault::Malformed: return "malformed";
    case DecodeFault::InvalidSyntax: return "invalid-syntax";
    case DecodeFault::UnsupportedCritical: return "unsupported-critical-payload";
    case DecodeFault::InvalidMajorVersion: return "invalid-major-version";
  }
  return "unknown";
}

core::Error DecodeError::to_error() const {
  core::ErrorCode code = core::ErrorCode::Unsupported;
  if (fault == DecodeFault::Malformed) code = core::ErrorCode::Malformed;
  if (fault == DecodeFault::InvalidSyntax) code = core::ErrorCode::InvalidSyntax;
  return core::Error{code, detail};
}

std::string DecodeError::to_string() const {
  return fmt::format("{}: {}", decode_fault_name(fault), detail);
}

}  // namespace ikev2::wire

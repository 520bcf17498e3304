// kink/wire/decode_error.cc — DecodeError conversions (RFC 4430 §4.2.8).
#include "kink/wire/decode_error.h"

#include <fmt/format.h>

namespace kink::wire {

std::string decode_fault_name(DecodeFault f) {
  switch (f) {
    case DecodeFault::Malformed: return "malformed";
    case DecodeFault::InvalidSyntax: return "invalid-syntax";
    case DecodeFault::Unsupported: return "unsupported";
    case DecodeFault::InvalidMajorVersion: return "invalid-major-version";
    case DecodeFault::InvalidDoi: return "invalid-doi";
    case DecodeFault::BadQmVersion: return "bad-qm-version";
  }
  return "unknown";
}

KinkErrorCode DecodeError::kink_error() const {
  switch (fault) {
    case DecodeFault::InvalidMajorVersion: return KinkErrorCode::InvMaj;
    case DecodeFault::InvalidDoi: return KinkErrorCode::InvDoi;
    case DecodeFault::BadQmVersion: return KinkErrorCode::BadQmVers;
    case DecodeFault::Malformed:
    case DecodeFault::InvalidSyntax:
    case DecodeFault::Unsupported:
      break;
  }
  return KinkErrorCode::ProtoErr;
}

core::Error DecodeError::to_error() const {
  core::ErrorCode code = core::ErrorCode::Unsupported;
  if (fault == DecodeFault::Malformed) code = core::ErrorCode::Malformed;
  if (fault == DecodeFault::InvalidSyntax || fault == DecodeFault::InvalidDoi) {
    code = core::ErrorCode::InvalidSyntax;
  }
  return core::Error{code, detail};
}

std::string DecodeError::to_string() const {
  return fmt::format("{}: {}", decode_fault_name(fault), detail);
}

}  // namespace kink::wire

#include "core/result.h"

namespace core {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::Malformed: return "malformed";
    case ErrorCode::InvalidSyntax: return "invalid-syntax";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::NoProposal: return "no-proposal";
    case ErrorCode::AuthFailed: return "auth-failed";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Exists: return "exists";
    case ErrorCode::Kernel: return "kernel";
    case ErrorCode::System: return "system";
    case ErrorCode::Config: return "config";
    case ErrorCode::Crypto: return "crypto";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Refused: return "refused";
    case ErrorCode::State: return "state";
    case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  return fmt::format("{}: {}", error_code_name(code), detail);
}

}  // namespace core

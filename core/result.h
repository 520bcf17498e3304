// core/result.h — Result<T> and Error: how every fallible call in kagi reports.
//
// Result<T> is tl::expected<T, Error> (g++ 12 / clang 14 cannot use
// std::expected at C++20). Error carries a closed code set and a human
// detail; engines map codes to wire answers (IKEv2 notify types, KINK
// errors) explicitly. Peer input never throws or asserts: it yields an Error.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <tl/expected.hpp>

namespace core {

// ErrorCode is the closed set of failure kinds; detail says what and where.
enum class ErrorCode {
  Malformed,        // wire input that does not parse (truncated, bad length)
  InvalidSyntax,    // parses but breaks a protocol rule (RFC 7296 INVALID_SYNTAX)
  Unsupported,      // a valid request kagi does not implement
  NoProposal,       // no acceptable proposal / algorithm
  AuthFailed,       // authentication or integrity check failed
  NotFound,         // no such SA, policy, remote, file ...
  Exists,           // already present
  Kernel,           // the kernel refused; detail has operation and errno text
  System,           // an OS call failed; detail has call and errno text
  Config,           // configuration error; detail has file:line:column
  Crypto,           // OpenSSL failure
  Timeout,          // retransmissions exhausted, KDC silent, ...
  Refused,          // policy/authorization refused the request
  State,            // request not valid in the current state
  Internal,         // a broken internal invariant reported instead of crashing
};

// error_code_name returns a stable lower-case name for logs and JSON.
std::string_view error_code_name(ErrorCode code);

// Error is a failure kind plus a message that names what and where.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string detail;

  std::string to_string() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Status is Result<void>: success, or an Error.
using Status = tl::expected<void, Error>;

// fail builds an unexpected Error with a fmt-formatted detail.
template <typename... Args>
tl::unexpected<Error> fail(ErrorCode code, fmt::format_string<Args...> f, Args&&... args) {
  return tl::unexpected<Error>(Error{code, fmt::format(f, std::forward<Args>(args)...)});
}

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

// ok returns a successful Status.
inline Status ok() { return {}; }

}  // namespace core

// core/crypto/ossl_error.h — turning OpenSSL's thread-local error queue into
// a core::Error.
#pragma once

#include <string_view>

#include "core/result.h"

namespace core::crypto {

// openssl_error builds Error{Crypto, "<what>: <OpenSSL reason>"} from the
// oldest entry of this thread's OpenSSL error queue, then clears the queue so
// a stale entry never lands in a later report.
Error openssl_error(std::string_view what);

// openssl_fail is openssl_error wrapped for `return openssl_fail("...");`.
inline tl::unexpected<Error> openssl_fail(std::string_view what) {
  return tl::unexpected<Error>(openssl_error(what));
}

}  // namespace core::crypto

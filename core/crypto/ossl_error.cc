// core/crypto/ossl_error.cc — OpenSSL error queue -> core::Error.
#include "core/crypto/ossl_error.h"

#include <openssl/err.h>

namespace core::crypto {

Error openssl_error(std::string_view what) {
  unsigned long code = ERR_get_error();
  std::string reason;
  if (code == 0) {
    reason = "no OpenSSL error recorded";
  } else {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    reason = buf;
  }
  ERR_clear_error();
  return Error{ErrorCode::Crypto, fmt::format("{}: {}", what, reason)};
}

}  // namespace core::crypto

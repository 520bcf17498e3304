// core/crypto/fetch.h — OpenSSL algorithm objects fetched once per process.
//
// EVP_CIPHER_fetch and EVP_PKEY_CTX_new_from_name take a lock and look the
// name up in the provider store on every call; per IKE_SA that showed up as
// a few percent of a responder's CPU (scripts/bench ike). Fetched ciphers
// are immutable and shared safely between threads; key-generation contexts
// are not, so those are kept per thread.
#pragma once

#include <openssl/evp.h>

namespace core::crypto {

// cipher_by_name returns the fetched cipher (never freed), or nullptr if
// the provider does not have it.
const EVP_CIPHER* cipher_by_name(const char* name);

// keygen_ctx returns this thread's key-generation context for an OpenSSL
// key type (and EC/DH group, or nullptr), initialised for EVP_PKEY_generate,
// or nullptr on failure. The caller must not free it.
EVP_PKEY_CTX* keygen_ctx(const char* type, const char* group_name);

}  // namespace core::crypto

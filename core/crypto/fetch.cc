#include "core/crypto/fetch.h"

#include <map>
#include <mutex>
#include <string>

#include <openssl/core_names.h>

#include "core/crypto/openssl_ptr.h"

namespace core::crypto {

const EVP_CIPHER* cipher_by_name(const char* name) {
  // Never destroyed: the ciphers live as long as the process (a destructor
  // at exit would only race with threads still encrypting).
  static auto* mu = new std::mutex;
  static auto* cache = new std::map<std::string, EVP_CIPHER*>;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = cache->find(name);
  if (it != cache->end()) return it->second;
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (c != nullptr) cache->emplace(name, c);
  return c;
}

EVP_PKEY_CTX* keygen_ctx(const char* type, const char* group_name) {
  thread_local std::map<std::string, EvpPkeyCtxPtr> cache;
  std::string key = std::string(type) + "/" + (group_name != nullptr ? group_name : "");
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
  if (group_name != nullptr) {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_name), 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return nullptr;
  }
  return cache.emplace(key, std::move(ctx)).first->second.get();
}

}  // namespace core::crypto

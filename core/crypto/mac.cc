// core/crypto/mac.cc — HMAC and AES-CMAC over OpenSSL EVP_MAC.
#include "core/crypto/mac.h"

#include <algorithm>

#include <openssl/core_names.h>

#include "core/crypto/openssl_ptr.h"
#include "core/crypto/ossl_error.h"
#include "core/crypto/secure_buffer.h"

namespace core::crypto {

Status MacContext::compute(std::span<const std::uint8_t> data, std::span<std::uint8_t> out) {
  if (auto s = reset(); !s) return s;
  if (auto s = update(data); !s) return s;
  return final(out);
}

namespace {

// Fetched once and never freed (see hash_md for why).
EVP_MAC* fetch_mac(const char* name) {
  return EVP_MAC_fetch(nullptr, name, nullptr);
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = fetch_mac(OSSL_MAC_NAME_HMAC);
  return mac;
}

EVP_MAC* cmac_algorithm() {
  static EVP_MAC* mac = fetch_mac(OSSL_MAC_NAME_CMAC);
  return mac;
}

// EvpMacContext: an EVP_MAC_CTX keyed once. EVP_MAC_init with a null key
// restarts the MAC under the key already set, without re-deriving it.
class EvpMacContext final : public MacContext {
 public:
  EvpMacContext(EvpMacCtxPtr ctx, std::size_t size) : ctx_(std::move(ctx)), size_(size) {}

  std::size_t size() const override { return size_; }

  Status update(std::span<const std::uint8_t> data) override {
    if (data.empty()) return ok();
    if (EVP_MAC_update(ctx_.get(), data.data(), data.size()) != 1)
      return openssl_fail("EVP_MAC_update");
    return ok();
  }

  Status final(std::span<std::uint8_t> out) override {
    if (out.empty() || out.size() > size_)
      return fail(ErrorCode::Internal, "MAC output of {} bytes, MAC has {}", out.size(), size_);
    std::uint8_t full[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (EVP_MAC_final(ctx_.get(), full, &len, sizeof(full)) != 1 || len != size_)
      return openssl_fail("EVP_MAC_final");
    std::copy_n(full, out.size(), out.begin());
    cleanse(full, sizeof(full));
    return reset();
  }

  Status reset() override {
    if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) return openssl_fail("EVP_MAC_init");
    return ok();
  }

  Result<std::unique_ptr<MacContext>> clone() const override {
    EvpMacCtxPtr copy(EVP_MAC_CTX_dup(ctx_.get()));
    if (!copy) return openssl_fail("EVP_MAC_CTX_dup");
    return std::make_unique<EvpMacContext>(std::move(copy), size_);
  }

 private:
  EvpMacCtxPtr ctx_;
  std::size_t size_;
};

Result<std::unique_ptr<MacContext>> make_evp_mac(EVP_MAC* alg, const char* param_name,
                                                 const char* param_value,
                                                 std::span<const std::uint8_t> key) {
  if (alg == nullptr) return fail(ErrorCode::Unsupported, "MAC {} not available", param_value);
  EvpMacCtxPtr ctx(EVP_MAC_CTX_new(alg));
  if (!ctx) return openssl_fail("EVP_MAC_CTX_new");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(param_name, const_cast<char*>(param_value), 0),
      OSSL_PARAM_construct_end(),
  };
  // A null key pointer means "keep the old key" to EVP_MAC_init, so an empty
  // key (legal for HMAC) must still point somewhere.
  static const std::uint8_t kEmpty = 0;
  const std::uint8_t* k = key.empty() ? &kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), k, key.size(), params) != 1) return openssl_fail("EVP_MAC_init");
  std::size_t size = EVP_MAC_CTX_get_mac_size(ctx.get());
  if (size == 0 || size > EVP_MAX_MD_SIZE) return openssl_fail("EVP_MAC_CTX_get_mac_size");
  return std::make_unique<EvpMacContext>(std::move(ctx), size);
}

const char* hmac_digest_name(HashAlg alg) {
  switch (alg) {
    case HashAlg::Md5: return "MD5";
    case HashAlg::Sha1: return "SHA1";
    case HashAlg::Sha256: return "SHA2-256";
    case HashAlg::Sha384: return "SHA2-384";
    case HashAlg::Sha512: return "SHA2-512";
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<MacContext>> make_hmac(HashAlg alg, std::span<const std::uint8_t> key) {
  return make_evp_mac(hmac_algorithm(), OSSL_MAC_PARAM_DIGEST, hmac_digest_name(alg), key);
}

Result<std::unique_ptr<MacContext>> make_aes128_cmac(std::span<const std::uint8_t> key) {
  if (key.size() != 16)
    return fail(ErrorCode::InvalidSyntax, "AES-CMAC key is {} bytes, needs 16", key.size());
  return make_evp_mac(cmac_algorithm(), OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", key);
}

}  // namespace core::crypto

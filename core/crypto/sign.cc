// core/crypto/sign.cc — EVP_DigestSign / EVP_DigestVerify for IKEv2 AUTH.
#include "core/crypto/sign.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "core/crypto/ossl_error.h"

namespace core::crypto {

namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;

Status check_fit(KeyType type, SigScheme scheme) {
  bool fits = false;
  switch (scheme) {
    case SigScheme::RsaPkcs1:
    case SigScheme::RsaPss: fits = type == KeyType::Rsa; break;
    case SigScheme::Ecdsa: fits = type == KeyType::Ec; break;
    case SigScheme::EdDsa: fits = type == KeyType::Ed25519 || type == KeyType::Ed448; break;
  }
  if (!fits) return fail(ErrorCode::InvalidSyntax, "signature scheme does not fit a {} key", key_type_name(type));
  return ok();
}

// init prepares ctx for signing (sign=true) or verifying under params.
Status init(EVP_MD_CTX* ctx, EVP_PKEY* pkey, const SignParams& params, bool sign) {
  const EVP_MD* md = nullptr;
  if (params.scheme != SigScheme::EdDsa) {
    md = hash_md(params.hash);
    if (md == nullptr) return fail(ErrorCode::Unsupported, "digest {} not available", hash_name(params.hash));
  }
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  int rc = sign ? EVP_DigestSignInit_ex(ctx, &pctx, md ? EVP_MD_get0_name(md) : nullptr, nullptr,
                                        nullptr, pkey, nullptr)
                : EVP_DigestVerifyInit_ex(ctx, &pctx, md ? EVP_MD_get0_name(md) : nullptr, nullptr,
                                          nullptr, pkey, nullptr);
  if (rc != 1) return openssl_fail(sign ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex");
  if (params.scheme == SigScheme::RsaPss) {
    int salt = params.pss_salt_len < 0 ? RSA_PSS_SALTLEN_DIGEST : params.pss_salt_len;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) != 1)
      return openssl_fail("RSA-PSS parameters");
  } else if (params.scheme == SigScheme::RsaPkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
      return openssl_fail("RSA PKCS#1 padding");
  }
  return ok();
}

std::size_t order_bytes(EVP_PKEY* pkey) {
  return (static_cast<std::size_t>(EVP_PKEY_get_bits(pkey)) + 7) / 8;
}

}  // namespace

Result<std::vector<std::uint8_t>> sign(const PrivateKey& key, const SignParams& params,
                                       std::span<const std::uint8_t> data) {
  if (auto s = check_fit(key.type(), params.scheme); !s) return tl::unexpected(s.error());
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return openssl_fail("EVP_MD_CTX_new");
  if (auto s = init(ctx.get(), key.get(), params, true); !s) return tl::unexpected(s.error());
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1)
    return openssl_fail("EVP_DigestSign size");
  std::vector<std::uint8_t> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1)
    return openssl_fail("EVP_DigestSign");
  sig.resize(len);
  if (params.scheme == SigScheme::Ecdsa && params.ecdsa_format == EcdsaFormat::Raw)
    return ecdsa_der_to_raw(sig, order_bytes(key.get()));
  return sig;
}

Status verify(const PublicKey& key, const SignParams& params, std::span<const std::uint8_t> data,
              std::span<const std::uint8_t> sig) {
  if (auto s = check_fit(key.type(), params.scheme); !s) return s;
  std::vector<std::uint8_t> der;
  if (params.scheme == SigScheme::Ecdsa && params.ecdsa_format == EcdsaFormat::Raw) {
    // RFC 4754 §7: r and s are each exactly the order's length.
    if (sig.size() != 2 * order_bytes(key.get()))
      return fail(ErrorCode::AuthFailed, "ECDSA signature of {} bytes", sig.size());
    auto converted = ecdsa_raw_to_der(sig);
    if (!converted) return tl::unexpected(converted.error());
    der = std::move(*converted);
    sig = der;
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return openssl_fail("EVP_MD_CTX_new");
  if (auto s = init(ctx.get(), key.get(), params, false); !s) return s;
  int rc = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size());
  if (rc != 1) {
    // 0 is a bad signature, < 0 a malformed one: both are the peer's fault.
    ERR_clear_error();
    return fail(ErrorCode::AuthFailed, "{} signature does not verify", key_type_name(key.type()));
  }
  return ok();
}

Result<std::vector<std::uint8_t>> ecdsa_der_to_raw(std::span<const std::uint8_t> der,
                                                   std::size_t order_bytes) {
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != der.data() + der.size())
    return fail(ErrorCode::Malformed, "ECDSA signature is not a DER Ecdsa-Sig-Value");
  std::vector<std::uint8_t> raw(2 * order_bytes);
  const int n = static_cast<int>(order_bytes);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), n) != n ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + n, n) != n)
    return fail(ErrorCode::Malformed, "ECDSA r or s longer than {} bytes", order_bytes);
  return raw;
}

Result<std::vector<std::uint8_t>> ecdsa_raw_to_der(std::span<const std::uint8_t> raw) {
  if (raw.empty() || raw.size() % 2 != 0)
    return fail(ErrorCode::Malformed, "raw ECDSA signature of {} bytes", raw.size());
  const int n = static_cast<int>(raw.size() / 2);
  BIGNUM* r = BN_bin2bn(raw.data(), n, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + n, n, nullptr);
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return openssl_fail("ECDSA_SIG_set0");
  }
  unsigned char* buf = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &buf);
  if (len <= 0) return openssl_fail("i2d_ECDSA_SIG");
  std::vector<std::uint8_t> der(buf, buf + len);
  OPENSSL_free(buf);
  return der;
}

}  // namespace core::crypto

// core/crypto/aead.cc — AES-GCM and ChaCha20-Poly1305 over EVP.
#include "core/crypto/aead.h"

#include <climits>
#include <cstring>

#include <openssl/err.h>

#include "core/crypto/fetch.h"
#include "core/crypto/ossl_error.h"
#include "core/crypto/secure_buffer.h"

namespace core::crypto {

namespace {

constexpr std::size_t kIv = 8;
constexpr std::size_t kNonce = 12;

const char* evp_name(std::uint16_t id, unsigned bits) {
  if (id == EncrId::ChaCha20Poly1305) return "ChaCha20-Poly1305";
  return bits == 128 ? "AES-128-GCM" : bits == 192 ? "AES-192-GCM" : "AES-256-GCM";
}

Result<EvpCipherCtxPtr> keyed_ctx(const char* name, std::span<const std::uint8_t> key, int enc) {
  const EVP_CIPHER* cipher = cipher_by_name(name);
  if (cipher == nullptr) return openssl_fail(fmt::format("EVP_CIPHER_fetch {}", name));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, enc) != 1)
    return openssl_fail(fmt::format("EVP_CipherInit_ex {}", name));
  // 12 is the default nonce length of both ciphers; set it to be explicit.
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, int(kNonce), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nullptr, enc) != 1)
    return openssl_fail(fmt::format("{}: set key", name));
  return ctx;
}

}  // namespace

AeadKey::~AeadKey() { cleanse(salt_.data(), salt_.size()); }

Result<std::unique_ptr<AeadKey>> AeadKey::create(std::uint16_t id,
                                                 std::span<const std::uint8_t> keymat) {
  const CipherInfo* info = cipher_info(id);
  if (info == nullptr || !info->aead)
    return fail(ErrorCode::Unsupported, "AEAD transform {} not supported", id);
  if (keymat.size() < info->salt_size)
    return fail(ErrorCode::InvalidSyntax, "{} keying material too short", info->name);
  const std::size_t key_len = keymat.size() - info->salt_size;
  const unsigned bits = static_cast<unsigned>(key_len * 8);
  if (!info->allows_key_bits(bits))
    return fail(ErrorCode::InvalidSyntax, "{}: {}-bit key not allowed", info->name, bits);
  std::array<std::uint8_t, 4> salt{};
  std::memcpy(salt.data(), keymat.data() + key_len, salt.size());
  auto key = keymat.first(key_len);
  auto enc = keyed_ctx(evp_name(id, bits), key, 1);
  if (!enc) return tl::unexpected(enc.error());
  auto dec = keyed_ctx(evp_name(id, bits), key, 0);
  if (!dec) return tl::unexpected(dec.error());
  return std::make_unique<AeadKey>(info, std::move(*enc), std::move(*dec), salt);
}

Status AeadKey::set_nonce(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> iv) {
  if (iv.size() != kIv)
    return fail(ErrorCode::InvalidSyntax, "{}: IV of {} bytes, needs 8", info_->name, iv.size());
  // RFC 4106 §4, RFC 7634 §2: nonce = salt | IV.
  std::array<std::uint8_t, kNonce> nonce;
  std::memcpy(nonce.data(), salt_.data(), salt_.size());
  std::memcpy(nonce.data() + salt_.size(), iv.data(), kIv);
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), -1) != 1)
    return openssl_fail(fmt::format("{}: set nonce", info_->name));
  return ok();
}

Status AeadKey::seal(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                     std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> out) {
  const std::size_t icv = info_->icv_size;
  if (out.size() != plaintext.size() + icv)
    return fail(ErrorCode::Internal, "{}: output {} bytes for {} of plaintext", info_->name,
                out.size(), plaintext.size());
  if (plaintext.size() > INT_MAX || aad.size() > INT_MAX)
    return fail(ErrorCode::InvalidSyntax, "{}: message too long", info_->name);
  EVP_CIPHER_CTX* ctx = enc_.get();
  if (auto s = set_nonce(ctx, iv); !s) return s;
  int len = 0;
  if (!aad.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), int(aad.size())) != 1)
    return openssl_fail(fmt::format("{}: AAD", info_->name));
  if (!plaintext.empty() &&
      (EVP_EncryptUpdate(ctx, out.data(), &len, plaintext.data(), int(plaintext.size())) != 1 ||
       std::size_t(len) != plaintext.size()))
    return openssl_fail(fmt::format("{}: encrypt", info_->name));
  if (EVP_EncryptFinal_ex(ctx, out.data() + plaintext.size(), &len) != 1 || len != 0)
    return openssl_fail(fmt::format("{}: EVP_EncryptFinal_ex", info_->name));
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, int(icv), out.data() + plaintext.size()) != 1)
    return openssl_fail(fmt::format("{}: get tag", info_->name));
  return ok();
}

Status AeadKey::open(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                     std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  const std::size_t icv = info_->icv_size;
  if (in.size() < icv)
    return fail(ErrorCode::AuthFailed, "{}: {} bytes cannot hold the ICV", info_->name, in.size());
  const std::size_t n = in.size() - icv;
  if (out.size() != n)
    return fail(ErrorCode::Internal, "{}: output {} bytes for {} of ciphertext", info_->name,
                out.size(), n);
  if (n > INT_MAX || aad.size() > INT_MAX)
    return fail(ErrorCode::InvalidSyntax, "{}: message too long", info_->name);
  EVP_CIPHER_CTX* ctx = dec_.get();
  if (auto s = set_nonce(ctx, iv); !s) return s;
  // SET_TAG wants a writable buffer, and out may overwrite in.
  std::array<std::uint8_t, 16> tag;
  std::memcpy(tag.data(), in.data() + n, icv);
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, int(icv), tag.data()) != 1)
    return openssl_fail(fmt::format("{}: set tag", info_->name));
  int len = 0;
  if (!aad.empty() && EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), int(aad.size())) != 1)
    return openssl_fail(fmt::format("{}: AAD", info_->name));
  if (n != 0 && (EVP_DecryptUpdate(ctx, out.data(), &len, in.data(), int(n)) != 1 ||
                 std::size_t(len) != n))
    return openssl_fail(fmt::format("{}: decrypt", info_->name));
  std::uint8_t tail[16];
  if (EVP_DecryptFinal_ex(ctx, tail, &len) != 1) {
    cleanse(out.data(), out.size());
    ERR_clear_error();
    return fail(ErrorCode::AuthFailed, "{}: ICV mismatch", info_->name);
  }
  return ok();
}

}  // namespace core::crypto

// core/crypto/cipher.cc — the encryption transform table and CipherKey.
#include "core/crypto/cipher.h"

#include <climits>
#include <cstring>

#include "core/crypto/fetch.h"
#include "core/crypto/ossl_error.h"
#include "core/crypto/secure_buffer.h"

namespace core::crypto {

namespace {

constexpr std::uint16_t kNo = 0xffff;

// Sizes: RFC 2451 §2.2 (3DES), RFC 2410 (NULL), RFC 3602 §2 (AES-CBC),
// RFC 3686 §3-§5 (AES-CTR: 8-byte IV, 4-byte nonce), RFC 4106 §3-§8 and
// RFC 5282 (GCM: 8-byte IV, 4-byte salt, 8/12/16-byte ICV), RFC 7634 §2-§3
// (ChaCha20-Poly1305: 256-bit key, 8-byte IV, 4-byte salt, 16-byte ICV).
constexpr std::array<CipherInfo, 8> kCiphers{{
    {EncrId::Des3, "ENCR_3DES", {192, kNo, kNo}, false, 0, 8, 8, 0, false},
    {EncrId::Null, "ENCR_NULL", {0, kNo, kNo}, false, 0, 1, 0, 0, false},
    {EncrId::AesCbc, "ENCR_AES_CBC", {128, 192, 256}, true, 0, 16, 16, 0, false},
    {EncrId::AesCtr, "ENCR_AES_CTR", {128, 192, 256}, true, 4, 1, 8, 0, false},
    {EncrId::AesGcm8, "ENCR_AES_GCM_8", {128, 192, 256}, true, 4, 1, 8, 8, true},
    {EncrId::AesGcm12, "ENCR_AES_GCM_12", {128, 192, 256}, true, 4, 1, 8, 12, true},
    {EncrId::AesGcm16, "ENCR_AES_GCM_16", {128, 192, 256}, true, 4, 1, 8, 16, true},
    {EncrId::ChaCha20Poly1305, "ENCR_CHACHA20_POLY1305", {256, kNo, kNo}, false, 4, 1, 8, 16, true},
}};

const char* evp_name(std::uint16_t id, unsigned bits) {
  switch (id) {
    case EncrId::Des3: return "DES-EDE3-CBC";
    case EncrId::AesCbc: return bits == 128 ? "AES-128-CBC" : bits == 192 ? "AES-192-CBC" : "AES-256-CBC";
    case EncrId::AesCtr: return bits == 128 ? "AES-128-CTR" : bits == 192 ? "AES-192-CTR" : "AES-256-CTR";
    default: return nullptr;
  }
}

Result<EvpCipherCtxPtr> keyed_ctx(const char* name, std::span<const std::uint8_t> key, int enc) {
  const EVP_CIPHER* cipher = cipher_by_name(name);
  if (cipher == nullptr) return openssl_fail(fmt::format("EVP_CIPHER_fetch {}", name));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  // The context keeps its own reference to the cipher.
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), nullptr, enc) != 1)
    return openssl_fail(fmt::format("EVP_CipherInit_ex {}", name));
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);  // ESP and SK do their own padding
  return ctx;
}

}  // namespace

bool CipherInfo::allows_key_bits(unsigned bits) const {
  for (auto b : key_bits)
    if (b == bits) return true;
  return false;
}

unsigned CipherInfo::default_key_bits() const {
  return key_bits[1] == kNo ? key_bits[0] : 0;
}

const CipherInfo* cipher_info(std::uint16_t id) {
  for (const auto& c : kCiphers)
    if (c.id == id) return &c;
  return nullptr;
}

Result<std::unique_ptr<CipherKey>> CipherKey::create(std::uint16_t id,
                                                     std::span<const std::uint8_t> keymat) {
  const CipherInfo* info = cipher_info(id);
  if (info == nullptr || info->aead)
    return fail(ErrorCode::Unsupported, "non-AEAD cipher transform {} not supported", id);
  if (keymat.size() < info->salt_size)
    return fail(ErrorCode::InvalidSyntax, "{} keying material too short", info->name);
  const std::size_t key_len = keymat.size() - info->salt_size;
  const unsigned bits = static_cast<unsigned>(key_len * 8);
  if (!info->allows_key_bits(bits))
    return fail(ErrorCode::InvalidSyntax, "{}: {}-bit key not allowed", info->name, bits);
  std::array<std::uint8_t, 4> nonce{};
  if (info->salt_size == nonce.size()) std::memcpy(nonce.data(), keymat.data() + key_len, 4);
  if (id == EncrId::Null) return std::make_unique<CipherKey>(info, nullptr, nullptr, nonce);

  auto key = keymat.first(key_len);
  auto enc = keyed_ctx(evp_name(id, bits), key, 1);
  if (!enc) return tl::unexpected(enc.error());
  auto dec = keyed_ctx(evp_name(id, bits), key, id == EncrId::AesCtr ? 1 : 0);
  if (!dec) return tl::unexpected(dec.error());
  return std::make_unique<CipherKey>(info, std::move(*enc), std::move(*dec), nonce);
}

Status CipherKey::encrypt(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
                          std::span<std::uint8_t> out) {
  return run(enc_.get(), iv, in, out);
}

Status CipherKey::decrypt(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
                          std::span<std::uint8_t> out) {
  return run(dec_.get(), iv, in, out);
}

Status CipherKey::run(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> iv,
                      std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  if (iv.size() != info_->iv_size)
    return fail(ErrorCode::InvalidSyntax, "{}: IV of {} bytes, needs {}", info_->name, iv.size(),
                info_->iv_size);
  if (out.size() != in.size())
    return fail(ErrorCode::Internal, "{}: output {} bytes for input {}", info_->name, out.size(),
                in.size());
  if (in.size() > static_cast<std::size_t>(INT_MAX))
    return fail(ErrorCode::InvalidSyntax, "{}: {} bytes is too long", info_->name, in.size());
  if (in.size() % info_->block_size != 0)
    return fail(ErrorCode::InvalidSyntax, "{}: {} bytes is not a multiple of the block size {}",
                info_->name, in.size(), info_->block_size);
  if (ctx == nullptr) {  // ENCR_NULL (RFC 2410): the identity
    if (out.data() != in.data() && !in.empty()) std::memmove(out.data(), in.data(), in.size());
    return ok();
  }
  const std::uint8_t* ivp = iv.data();
  std::array<std::uint8_t, 16> counter_block;
  if (info_->id == EncrId::AesCtr) {
    // RFC 3686 §4: nonce (4) | IV (8) | block counter (4), starting at 1.
    std::memcpy(counter_block.data(), nonce_.data(), 4);
    std::memcpy(counter_block.data() + 4, iv.data(), 8);
    counter_block[12] = counter_block[13] = counter_block[14] = 0;
    counter_block[15] = 1;
    ivp = counter_block.data();
  }
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, ivp, -1) != 1)
    return openssl_fail(fmt::format("{}: set IV", info_->name));
  if (in.empty()) return ok();
  int len = 0;
  if (EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<std::size_t>(len) != in.size())
    return openssl_fail(fmt::format("{}: EVP_CipherUpdate", info_->name));
  return ok();
}

}  // namespace core::crypto

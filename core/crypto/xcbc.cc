// core/crypto/xcbc.cc — AES-XCBC-MAC (RFC 3566 §4) built from OpenSSL's
// AES-128 (OpenSSL has no XCBC): ECB derives K1..K3, and a CBC context keyed
// with K1 and a zero IV does the chaining, so no AES is written here.
//
// RFC 3566 §4:
//   K1 = E(K, 0x01..01), K2 = E(K, 0x02..02), K3 = E(K, 0x03..03)
//   E[0] = 0; for each block M[i] except the last: E[i] = E(K1, M[i] ^ E[i-1])
//   last block complete:   E[n] = E(K1, M[n] ^ E[n-1] ^ K2)
//   last block incomplete: pad with 0x80 00..; E[n] = E(K1, M[n] ^ E[n-1] ^ K3)
// Feeding (M[n] ^ K2) or (padded M[n] ^ K3) as one more CBC block yields E[n].
#include <array>
#include <cstring>

#include "core/crypto/mac.h"
#include "core/crypto/openssl_ptr.h"
#include "core/crypto/ossl_error.h"
#include "core/crypto/secure_buffer.h"

namespace core::crypto {
namespace {

constexpr std::size_t kBlock = 16;
using Block = std::array<std::uint8_t, kBlock>;

const EVP_CIPHER* aes128_cbc() {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
  return c;
}

const EVP_CIPHER* aes128_ecb() {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  return c;
}

class XcbcContext final : public MacContext {
 public:
  XcbcContext() = default;
  ~XcbcContext() override {
    cleanse(k2_.data(), kBlock);
    cleanse(k3_.data(), kBlock);
    cleanse(pending_.data(), kBlock);
  }

  Status init(std::span<const std::uint8_t> key) {
    if (aes128_cbc() == nullptr || aes128_ecb() == nullptr)
      return fail(ErrorCode::Unsupported, "AES-128 not available");
    EvpCipherCtxPtr ecb(EVP_CIPHER_CTX_new());
    if (!ecb || EVP_EncryptInit_ex(ecb.get(), aes128_ecb(), nullptr, key.data(), nullptr) != 1)
      return openssl_fail("XCBC: AES-128-ECB init");
    EVP_CIPHER_CTX_set_padding(ecb.get(), 0);
    // Derive K1, K2, K3 in one ECB call over the three constant blocks.
    std::array<std::uint8_t, 3 * kBlock> in{};
    std::array<std::uint8_t, 3 * kBlock> out{};
    for (std::size_t i = 0; i < 3; ++i) std::memset(in.data() + i * kBlock, int(i + 1), kBlock);
    int len = 0;
    if (EVP_EncryptUpdate(ecb.get(), out.data(), &len, in.data(), int(in.size())) != 1 ||
        len != int(out.size()))
      return openssl_fail("XCBC: derive K1..K3");
    std::memcpy(k2_.data(), out.data() + kBlock, kBlock);
    std::memcpy(k3_.data(), out.data() + 2 * kBlock, kBlock);
    cbc_.reset(EVP_CIPHER_CTX_new());
    bool okay = cbc_ && EVP_EncryptInit_ex(cbc_.get(), aes128_cbc(), nullptr, out.data(),
                                           kZeroIv.data()) == 1;
    cleanse(out.data(), out.size());
    if (!okay) return openssl_fail("XCBC: AES-128-CBC init");
    EVP_CIPHER_CTX_set_padding(cbc_.get(), 0);
    pending_len_ = 0;
    return ok();
  }

  std::size_t size() const override { return kBlock; }

  Status update(std::span<const std::uint8_t> data) override {
    while (!data.empty()) {
      // The pending block is chained only once more data proves it is not last.
      if (pending_len_ == kBlock) {
        if (auto s = chain(pending_); !s) return s;
        pending_len_ = 0;
      }
      if (pending_len_ == 0 && data.size() > kBlock) {
        std::size_t n = (data.size() - 1) / kBlock * kBlock;
        if (auto s = chain(data.first(n)); !s) return s;
        data = data.subspan(n);
      }
      std::size_t take = std::min(kBlock - pending_len_, data.size());
      std::memcpy(pending_.data() + pending_len_, data.data(), take);
      pending_len_ += take;
      data = data.subspan(take);
    }
    return ok();
  }

  Status final(std::span<std::uint8_t> out) override {
    if (out.empty() || out.size() > kBlock)
      return fail(ErrorCode::Internal, "XCBC output of {} bytes", out.size());
    Block last{};
    const Block* k = &k2_;
    std::memcpy(last.data(), pending_.data(), pending_len_);
    if (pending_len_ < kBlock) {
      last[pending_len_] = 0x80;  // RFC 3566 §4 step 3: 10* padding
      k = &k3_;
    }
    for (std::size_t i = 0; i < kBlock; ++i) last[i] ^= (*k)[i];
    Block mac{};
    int len = 0;
    bool okay = EVP_EncryptUpdate(cbc_.get(), mac.data(), &len, last.data(), int(kBlock)) == 1 &&
                len == int(kBlock);
    cleanse(last.data(), kBlock);
    if (!okay) return openssl_fail("XCBC: final block");
    std::memcpy(out.data(), mac.data(), out.size());
    cleanse(mac.data(), kBlock);
    return reset();
  }

  Status reset() override {
    pending_len_ = 0;
    if (EVP_EncryptInit_ex(cbc_.get(), nullptr, nullptr, nullptr, kZeroIv.data()) != 1)
      return openssl_fail("XCBC: reset");
    return ok();
  }

  Result<std::unique_ptr<MacContext>> clone() const override {
    auto copy = std::make_unique<XcbcContext>();
    copy->cbc_.reset(EVP_CIPHER_CTX_new());
    if (!copy->cbc_ || EVP_CIPHER_CTX_copy(copy->cbc_.get(), cbc_.get()) != 1)
      return openssl_fail("XCBC: EVP_CIPHER_CTX_copy");
    copy->k2_ = k2_;
    copy->k3_ = k3_;
    copy->pending_ = pending_;
    copy->pending_len_ = pending_len_;
    return std::unique_ptr<MacContext>(std::move(copy));
  }

 private:
  static constexpr Block kZeroIv{};

  // chain runs whole blocks through CBC under K1; only the chaining state
  // inside cbc_ matters, the ciphertext goes to a scratch buffer (not wiped:
  // intermediate CBC values reveal nothing without K1, and this is per packet).
  Status chain(std::span<const std::uint8_t> blocks) {
    std::array<std::uint8_t, 512> scratch;
    while (!blocks.empty()) {
      std::size_t n = std::min(blocks.size(), scratch.size());
      int len = 0;
      if (EVP_EncryptUpdate(cbc_.get(), scratch.data(), &len, blocks.data(), int(n)) != 1 ||
          len != int(n))
        return openssl_fail("XCBC: chain");
      blocks = blocks.subspan(n);
    }
    return ok();
  }

  EvpCipherCtxPtr cbc_;
  Block k2_{};
  Block k3_{};
  Block pending_{};
  std::size_t pending_len_ = 0;
};

}  // namespace

Result<std::unique_ptr<MacContext>> make_aes128_xcbc(std::span<const std::uint8_t> key) {
  if (key.size() != kBlock)
    return fail(ErrorCode::InvalidSyntax, "AES-XCBC key is {} bytes, needs 16", key.size());
  auto ctx = std::make_unique<XcbcContext>();
  if (auto s = ctx->init(key); !s) return tl::unexpected(s.error());
  return std::unique_ptr<MacContext>(std::move(ctx));
}

}  // namespace core::crypto

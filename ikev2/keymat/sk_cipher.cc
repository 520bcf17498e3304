// ikev2/keymat/sk_cipher.cc — the SK payload transform (RFC 7296 §3.14,
// RFC 5282 §3, RFC 7634 §4).
#include "ikev2/keymat/sk_cipher.h"

#include <algorithm>


namespace ikev2 {

namespace {

// kGenericHeaderSize is the SK payload's generic header; the AEAD associated
// data ends with it (RFC 5282 §5.1).
constexpr std::size_t kGenericHeaderSize = 4;

}  // namespace

core::Result<SkCipher> SkCipher::create(std::uint16_t encr, std::span<const std::uint8_t> encr_keymat,
                                        std::uint16_t integ,
                                        std::span<const std::uint8_t> integ_key) {
  const auto* info = core::crypto::cipher_info(encr);
  if (info == nullptr) return core::fail(core::ErrorCode::Unsupported, "SK: cipher {} unsupported", encr);
  SkCipher sk;
  sk.info_ = info;
  if (info->aead) {
    if (integ != 0)
      return core::fail(core::ErrorCode::InvalidSyntax, "SK: {} with integrity transform {}",
                        info->name, integ);
    auto k = core::crypto::AeadKey::create(encr, encr_keymat);
    if (!k) return tl::unexpected(k.error());
    sk.aead_ = std::move(*k);
    return sk;
  }
  if (integ == 0)
    return core::fail(core::ErrorCode::InvalidSyntax, "SK: {} without integrity", info->name);
  auto c = core::crypto::CipherKey::create(encr, encr_keymat);
  if (!c) return tl::unexpected(c.error());
  auto i = core::crypto::IntegKey::create(integ, integ_key);
  if (!i) return tl::unexpected(i.error());
  sk.cipher_ = std::move(*c);
  sk.integ_ = std::move(*i);
  return sk;
}

std::size_t SkCipher::iv_size() const { return info_->iv_size; }

std::size_t SkCipher::icv_size() const { return aead_ ? aead_->icv_size() : integ_->icv_size(); }

std::size_t SkCipher::block_size() const { return std::max<std::size_t>(info_->block_size, 1); }

std::size_t SkCipher::sealed_size(std::size_t plain_len) const {
  const std::size_t b = block_size();
  const std::size_t padded = (plain_len + 1 + b - 1) / b * b;  // payloads | padding | Pad Length
  return iv_size() + padded + icv_size();
}

std::vector<std::uint8_t> SkCipher::make_iv(core::crypto::Rng& rng, std::uint64_t& counter) const {
  std::vector<std::uint8_t> iv(iv_size());
  if (aead_) {
    const std::uint64_t c = ++counter;
    for (std::size_t i = 0; i < iv.size(); ++i)
      iv[iv.size() - 1 - i] = i < 8 ? static_cast<std::uint8_t>(c >> (8 * i)) : 0;
  } else {
    rng.fill(iv);
  }
  return iv;
}

core::Status SkCipher::seal(std::vector<std::uint8_t>& message, std::span<const std::uint8_t> plain,
                            std::span<const std::uint8_t> iv) {
  if (iv.size() != iv_size())
    return core::fail(core::ErrorCode::Internal, "SK: IV of {} bytes, want {}", iv.size(), iv_size());
  const std::size_t body_size = sealed_size(plain.size());
  const std::size_t aad_end = message.size();
  const std::size_t padded = body_size - iv_size() - icv_size();
  // Build payloads | zero padding | Pad Length in place, after the IV.
  message.insert(message.end(), iv.begin(), iv.end());
  const std::size_t ct_off = message.size();
  message.insert(message.end(), plain.begin(), plain.end());
  message.resize(ct_off + padded, 0);
  message[ct_off + padded - 1] = static_cast<std::uint8_t>(padded - plain.size() - 1);
  message.resize(ct_off + padded + icv_size(), 0);
  std::span<std::uint8_t> all(message);
  if (aead_) {
    return aead_->seal(iv, all.first(aad_end), all.subspan(ct_off, padded),
                       all.subspan(ct_off, padded + icv_size()));
  }
  auto body = all.subspan(ct_off, padded);
  if (auto s = cipher_->encrypt(iv, body, body); !s) return s;
  // The checksum covers the message from the IKE header through Pad Length.
  return integ_->compute(all.first(ct_off + padded), all.subspan(ct_off + padded, icv_size()));
}

core::Result<std::vector<std::uint8_t>> SkCipher::open(std::span<const std::uint8_t> message,
                                                       std::size_t body_offset) {
  if (body_offset < kGenericHeaderSize || body_offset > message.size())
    return core::fail(core::ErrorCode::Malformed, "SK: body offset {} outside message", body_offset);
  const std::size_t body_len = message.size() - body_offset;
  const std::size_t iv_len = iv_size(), icv_len = icv_size(), b = block_size();
  if (body_len < iv_len + icv_len + 1 || (body_len - iv_len - icv_len) % b != 0)
    return core::fail(core::ErrorCode::Malformed, "SK: body of {} octets does not fit {}", body_len,
                      info_->name);
  const auto iv = message.subspan(body_offset, iv_len);
  const std::size_t ct_off = body_offset + iv_len;
  const std::size_t ct_len = body_len - iv_len - icv_len;
  std::vector<std::uint8_t> plain(ct_len);
  if (aead_) {
    if (auto s = aead_->open(iv, message.first(body_offset), message.subspan(ct_off, ct_len + icv_len),
                             plain);
        !s)
      return tl::unexpected(s.error());
  } else {
    if (!integ_->verify(message.first(ct_off + ct_len), message.subspan(ct_off + ct_len, icv_len)))
      return core::fail(core::ErrorCode::AuthFailed, "SK: integrity checksum mismatch");
    if (auto s = cipher_->decrypt(iv, message.subspan(ct_off, ct_len), plain); !s)
      return tl::unexpected(s.error());
  }
  const std::size_t pad = plain.back();
  if (pad + 1 > plain.size())
    return core::fail(core::ErrorCode::InvalidSyntax, "SK: Pad Length {} exceeds {} octets", pad,
                      plain.size());
  plain.resize(plain.size() - pad - 1);
  return plain;
}

}  // namespace ikev2

// core/crypto/integ.cc — integrity transforms over MacContext.
#include "core/crypto/integ.h"

#include <array>

#include "core/crypto/secure_buffer.h"

namespace core::crypto {

namespace {

// Key and ICV sizes: RFC 2403 §3, RFC 2404 §3, RFC 3566 §4/§5, RFC 4494 §2,
// RFC 4868 §2.1 (key = full hash length, ICV = half of it).
constexpr std::array<IntegInfo, 7> kIntegs{{
    {IntegId::HmacMd5_96, "AUTH_HMAC_MD5_96", 16, 12},
    {IntegId::HmacSha1_96, "AUTH_HMAC_SHA1_96", 20, 12},
    {IntegId::AesXcbc96, "AUTH_AES_XCBC_96", 16, 12},
    {IntegId::AesCmac96, "AUTH_AES_CMAC_96", 16, 12},
    {IntegId::HmacSha2_256_128, "AUTH_HMAC_SHA2_256_128", 32, 16},
    {IntegId::HmacSha2_384_192, "AUTH_HMAC_SHA2_384_192", 48, 24},
    {IntegId::HmacSha2_512_256, "AUTH_HMAC_SHA2_512_256", 64, 32},
}};

Result<std::unique_ptr<MacContext>> make_mac(std::uint16_t id, std::span<const std::uint8_t> key) {
  switch (id) {
    case IntegId::HmacMd5_96: return make_hmac(HashAlg::Md5, key);
    case IntegId::HmacSha1_96: return make_hmac(HashAlg::Sha1, key);
    case IntegId::AesXcbc96: return make_aes128_xcbc(key);
    case IntegId::AesCmac96: return make_aes128_cmac(key);
    case IntegId::HmacSha2_256_128: return make_hmac(HashAlg::Sha256, key);
    case IntegId::HmacSha2_384_192: return make_hmac(HashAlg::Sha384, key);
    case IntegId::HmacSha2_512_256: return make_hmac(HashAlg::Sha512, key);
    default: return fail(ErrorCode::Unsupported, "integrity transform {} not supported", id);
  }
}

}  // namespace

const IntegInfo* integ_info(std::uint16_t id) {
  for (const auto& i : kIntegs)
    if (i.id == id) return &i;
  return nullptr;
}

Result<std::unique_ptr<IntegKey>> IntegKey::create(std::uint16_t id,
                                                   std::span<const std::uint8_t> key) {
  const IntegInfo* info = integ_info(id);
  if (info == nullptr) return fail(ErrorCode::Unsupported, "integrity transform {} not supported", id);
  if (key.size() != info->key_size)
    return fail(ErrorCode::InvalidSyntax, "{} key is {} bytes, needs {}", info->name, key.size(),
                info->key_size);
  auto mac = make_mac(id, key);
  if (!mac) return tl::unexpected(mac.error());
  return std::make_unique<IntegKey>(info, std::move(*mac));
}

Status IntegKey::compute(std::initializer_list<std::span<const std::uint8_t>> parts,
                         std::span<std::uint8_t> icv) {
  if (icv.size() != info_->icv_size)
    return fail(ErrorCode::Internal, "{} ICV buffer of {} bytes", info_->name, icv.size());
  for (auto part : parts) {
    if (auto s = mac_->update(part); !s) {
      (void)mac_->reset();
      return s;
    }
  }
  return mac_->final(icv);
}

bool IntegKey::verify(std::initializer_list<std::span<const std::uint8_t>> parts,
                      std::span<const std::uint8_t> icv) {
  if (icv.size() != info_->icv_size) return false;
  std::array<std::uint8_t, 64> expected;
  auto out = std::span<std::uint8_t>(expected).first(info_->icv_size);
  if (!compute(parts, out)) return false;
  return equal_ct(out, icv);
}

Result<std::unique_ptr<IntegKey>> IntegKey::clone() const {
  auto mac = mac_->clone();
  if (!mac) return tl::unexpected(mac.error());
  return std::make_unique<IntegKey>(info_, std::move(*mac));
}

Result<std::vector<std::uint8_t>> integ_compute(std::uint16_t id, std::span<const std::uint8_t> key,
                                                std::span<const std::uint8_t> data) {
  auto k = IntegKey::create(id, key);
  if (!k) return tl::unexpected(k.error());
  std::vector<std::uint8_t> icv((*k)->icv_size());
  if (auto s = (*k)->compute(data, icv); !s) return tl::unexpected(s.error());
  return icv;
}

}  // namespace core::crypto

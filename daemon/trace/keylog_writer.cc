// daemon/trace/keylog_writer.cc — KeylogWriter and the Wireshark names.
#include "daemon/trace/keylog_writer.h"

#include <fmt/format.h>

#include <array>
#include <span>

#include "ikev2/wire/constants.h"

namespace kagid::trace {

namespace {

using ikev2::wire::EncrId;
using ikev2::wire::IntegId;

struct EncrName {
  EncrId id;
  std::uint16_t bits;  // Key Length attribute; 0 for fixed-size ciphers
  std::string_view name;
};

// kEncrNames are the IKEv2 ciphers of Wireshark's vs_ikev2_encr_algs
// (epan/dissectors/packet-isakmp.c, checked against tshark 4.0).
constexpr std::array kEncrNames{
    EncrName{EncrId::TripleDes, 0, "3DES [RFC2451]"},
    EncrName{EncrId::Null, 0, "NULL [RFC2410]"},
    EncrName{EncrId::AesCbc, 128, "AES-CBC-128 [RFC3602]"},
    EncrName{EncrId::AesCbc, 192, "AES-CBC-192 [RFC3602]"},
    EncrName{EncrId::AesCbc, 256, "AES-CBC-256 [RFC3602]"},
    EncrName{EncrId::AesCtr, 128, "AES-CTR-128 [RFC5930]"},
    EncrName{EncrId::AesCtr, 192, "AES-CTR-192 [RFC5930]"},
    EncrName{EncrId::AesCtr, 256, "AES-CTR-256 [RFC5930]"},
    EncrName{EncrId::AesGcm8, 128, "AES-GCM-128 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm8, 192, "AES-GCM-192 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm8, 256, "AES-GCM-256 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm12, 128, "AES-GCM-128 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm12, 192, "AES-GCM-192 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm12, 256, "AES-GCM-256 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm16, 128, "AES-GCM-128 with 16 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm16, 192, "AES-GCM-192 with 16 octet ICV [RFC5282]"},
    EncrName{EncrId::AesGcm16, 256, "AES-GCM-256 with 16 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm8, 128, "AES-CCM-128 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm8, 192, "AES-CCM-192 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm8, 256, "AES-CCM-256 with 8 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm12, 128, "AES-CCM-128 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm12, 192, "AES-CCM-192 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm12, 256, "AES-CCM-256 with 12 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm16, 128, "AES-CCM-128 with 16 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm16, 192, "AES-CCM-192 with 16 octet ICV [RFC5282]"},
    EncrName{EncrId::AesCcm16, 256, "AES-CCM-256 with 16 octet ICV [RFC5282]"},
};

struct IntegName {
  std::uint16_t id;
  std::string_view name;
};

// kIntegNames are Wireshark's vs_ikev2_auth_algs for the IANA IDs (RFC 7296
// §3.3.2; 6 and 7 are RFC 4595's HMAC_MD5_128 / HMAC_SHA1_160).
constexpr std::array kIntegNames{
    IntegName{static_cast<std::uint16_t>(IntegId::None), "NONE [RFC4306]"},
    IntegName{static_cast<std::uint16_t>(IntegId::HmacMd5_96), "HMAC_MD5_96 [RFC2403]"},
    IntegName{static_cast<std::uint16_t>(IntegId::HmacSha1_96), "HMAC_SHA1_96 [RFC2404]"},
    IntegName{6, "HMAC_MD5_128 [RFC4595]"},
    IntegName{7, "HMAC_SHA1_160 [RFC4595]"},
    IntegName{static_cast<std::uint16_t>(IntegId::HmacSha2_256_128), "HMAC_SHA2_256_128 [RFC4868]"},
    IntegName{static_cast<std::uint16_t>(IntegId::HmacSha2_384_192), "HMAC_SHA2_384_192 [RFC4868]"},
    IntegName{static_cast<std::uint16_t>(IntegId::HmacSha2_512_256), "HMAC_SHA2_512_256 [RFC4868]"},
};

std::string hex(std::span<const std::uint8_t> b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * b.size());
  for (std::uint8_t x : b) {
    s += kDigits[x >> 4];
    s += kDigits[x & 0xf];
  }
  return s;
}

}  // namespace

std::optional<std::string_view> wireshark_encr_name(std::uint16_t encr, std::uint16_t bits) {
  for (const auto& e : kEncrNames) {
    if (static_cast<std::uint16_t>(e.id) == encr && e.bits == bits) return e.name;
  }
  return std::nullopt;
}

std::optional<std::string_view> wireshark_integ_name(std::uint16_t integ) {
  for (const auto& i : kIntegNames) {
    if (i.id == integ) return i.name;
  }
  return std::nullopt;
}

core::Result<std::string> keylog_line(const ikev2::IkeKeyInfo& keys) {
  const auto encr = wireshark_encr_name(keys.algs.encr, keys.algs.encr_bits);
  if (!encr)
    return core::fail(core::ErrorCode::Unsupported,
                      "Wireshark cannot decrypt IKE cipher {} ({} bits)", keys.algs.encr,
                      keys.algs.encr_bits);
  const auto integ = wireshark_integ_name(keys.algs.integ);
  if (!integ)
    return core::fail(core::ErrorCode::Unsupported, "Wireshark does not know IKE integrity {}",
                      keys.algs.integ);
  return fmt::format("{:016x},{:016x},{},{},\"{}\",{},{},\"{}\"", keys.spi_i, keys.spi_r,
                     hex(keys.sk_ei), hex(keys.sk_er), *encr, hex(keys.sk_ai), hex(keys.sk_ar),
                     *integ);
}

core::Result<std::unique_ptr<KeylogWriter>> KeylogWriter::open(const std::string& path) {
  auto file = RecordFile::open(path, RecordFile::Mode::Append, 0600);
  if (!file) return tl::unexpected(file.error());
  return std::unique_ptr<KeylogWriter>(new KeylogWriter(std::move(*file)));
}

core::Status KeylogWriter::write(const ikev2::IkeKeyInfo& keys) {
  auto line = keylog_line(keys);
  if (!line) return tl::unexpected(line.error());
  *line += '\n';
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(line->data()),
                                            line->size());
  if (auto s = file_->write(bytes); !s) return s;
  ++lines_;
  return core::ok();
}

}  // namespace kagid::trace

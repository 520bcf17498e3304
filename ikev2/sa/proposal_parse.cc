// ikev2/sa/proposal_parse.cc — strongSwan-style proposal strings.
#include <array>
#include <string>

#include "ikev2/sa/settings.h"

#include "core/crypto/transform_ids.h"
#include "ikev2/sa/proposal.h"

namespace ikev2 {

namespace {

using core::crypto::DhGroup;
using core::crypto::EncrId;
using core::crypto::IntegId;
using core::crypto::PrfId;
using TT = wire::TransformType;

struct Keyword {
  std::string_view name;
  TT type;
  std::uint16_t id;
  std::uint16_t bits;
  std::uint16_t prf;  // for integrity keywords: the matching PRF in IKE proposals
};

constexpr std::array kKeywords = {
    Keyword{"aes128", TT::Encr, EncrId::AesCbc, 128, 0},
    Keyword{"aes192", TT::Encr, EncrId::AesCbc, 192, 0},
    Keyword{"aes256", TT::Encr, EncrId::AesCbc, 256, 0},
    Keyword{"aes128ctr", TT::Encr, EncrId::AesCtr, 128, 0},
    Keyword{"aes192ctr", TT::Encr, EncrId::AesCtr, 192, 0},
    Keyword{"aes256ctr", TT::Encr, EncrId::AesCtr, 256, 0},
    Keyword{"aes128gcm8", TT::Encr, EncrId::AesGcm8, 128, 0},
    Keyword{"aes128gcm12", TT::Encr, EncrId::AesGcm12, 128, 0},
    Keyword{"aes128gcm16", TT::Encr, EncrId::AesGcm16, 128, 0},
    Keyword{"aes192gcm16", TT::Encr, EncrId::AesGcm16, 192, 0},
    Keyword{"aes256gcm8", TT::Encr, EncrId::AesGcm8, 256, 0},
    Keyword{"aes256gcm12", TT::Encr, EncrId::AesGcm12, 256, 0},
    Keyword{"aes256gcm16", TT::Encr, EncrId::AesGcm16, 256, 0},
    Keyword{"chacha20poly1305", TT::Encr, EncrId::ChaCha20Poly1305, 0, 0},
    Keyword{"3des", TT::Encr, EncrId::Des3, 0, 0},
    Keyword{"null", TT::Encr, EncrId::Null, 0, 0},
    Keyword{"md5", TT::Integ, IntegId::HmacMd5_96, 0, PrfId::HmacMd5},
    Keyword{"sha1", TT::Integ, IntegId::HmacSha1_96, 0, PrfId::HmacSha1},
    Keyword{"sha256", TT::Integ, IntegId::HmacSha2_256_128, 0, PrfId::HmacSha2_256},
    Keyword{"sha384", TT::Integ, IntegId::HmacSha2_384_192, 0, PrfId::HmacSha2_384},
    Keyword{"sha512", TT::Integ, IntegId::HmacSha2_512_256, 0, PrfId::HmacSha2_512},
    Keyword{"aesxcbc", TT::Integ, IntegId::AesXcbc96, 0, PrfId::Aes128Xcbc},
    Keyword{"aescmac", TT::Integ, IntegId::AesCmac96, 0, PrfId::Aes128Cmac},
    Keyword{"prfmd5", TT::Prf, PrfId::HmacMd5, 0, 0},
    Keyword{"prfsha1", TT::Prf, PrfId::HmacSha1, 0, 0},
    Keyword{"prfsha256", TT::Prf, PrfId::HmacSha2_256, 0, 0},
    Keyword{"prfsha384", TT::Prf, PrfId::HmacSha2_384, 0, 0},
    Keyword{"prfsha512", TT::Prf, PrfId::HmacSha2_512, 0, 0},
    Keyword{"prfaesxcbc", TT::Prf, PrfId::Aes128Xcbc, 0, 0},
    Keyword{"prfaescmac", TT::Prf, PrfId::Aes128Cmac, 0, 0},
    Keyword{"modp768", TT::Ke, DhGroup::Modp768, 0, 0},
    Keyword{"modp1024", TT::Ke, DhGroup::Modp1024, 0, 0},
    Keyword{"modp1536", TT::Ke, DhGroup::Modp1536, 0, 0},
    Keyword{"modp2048", TT::Ke, DhGroup::Modp2048, 0, 0},
    Keyword{"modp3072", TT::Ke, DhGroup::Modp3072, 0, 0},
    Keyword{"modp4096", TT::Ke, DhGroup::Modp4096, 0, 0},
    Keyword{"modp6144", TT::Ke, DhGroup::Modp6144, 0, 0},
    Keyword{"modp8192", TT::Ke, DhGroup::Modp8192, 0, 0},
    Keyword{"ecp256", TT::Ke, DhGroup::Ecp256, 0, 0},
    Keyword{"ecp384", TT::Ke, DhGroup::Ecp384, 0, 0},
    Keyword{"ecp521", TT::Ke, DhGroup::Ecp521, 0, 0},
    Keyword{"x25519", TT::Ke, DhGroup::Curve25519, 0, 0},
    Keyword{"curve25519", TT::Ke, DhGroup::Curve25519, 0, 0},
    Keyword{"x448", TT::Ke, DhGroup::Curve448, 0, 0},
    Keyword{"curve448", TT::Ke, DhGroup::Curve448, 0, 0},
    Keyword{"esn", TT::Esn, 1, 0, 0},
    Keyword{"noesn", TT::Esn, 0, 0, 0},
};

void add(wire::Proposal& p, TT type, std::uint16_t id, std::uint16_t bits) {
  for (const auto& t : p.transforms) {
    if (t.type == type && t.id == id && t.key_length().value_or(0) == bits) return;
  }
  wire::Transform t{type, id, {}};
  if (bits != 0) t.attributes.push_back(wire::TransformAttribute::key_length(bits));
  p.transforms.push_back(std::move(t));
}

bool has(const wire::Proposal& p, TT type) {
  for (const auto& t : p.transforms) {
    if (t.type == type) return true;
  }
  return false;
}

}  // namespace

core::Result<wire::Proposal> parse_proposal(std::string_view text, wire::ProtocolId protocol) {
  wire::Proposal p{1, protocol, {}, {}};
  std::vector<std::uint16_t> implied_prfs;
  while (!text.empty()) {
    auto dash = text.find('-');
    std::string_view word = text.substr(0, dash);
    text = dash == std::string_view::npos ? std::string_view{} : text.substr(dash + 1);
    const Keyword* k = nullptr;
    for (const auto& kw : kKeywords) {
      if (kw.name == word) k = &kw;
    }
    if (k == nullptr) return core::fail(core::ErrorCode::Config, "proposal: unknown algorithm '{}'", word);
    if (protocol == wire::ProtocolId::Ike && (k->type == TT::Esn))
      return core::fail(core::ErrorCode::Config, "proposal: '{}' is not an IKE algorithm", word);
    if (protocol != wire::ProtocolId::Ike && k->type == TT::Prf)
      return core::fail(core::ErrorCode::Config, "proposal: '{}' is not an ESP algorithm", word);
    add(p, k->type, k->id, k->bits);
    if (k->prf != 0) implied_prfs.push_back(k->prf);
  }
  if (!has(p, TT::Encr)) return core::fail(core::ErrorCode::Config, "proposal: no encryption algorithm");
  if (protocol == wire::ProtocolId::Ike) {
    if (!has(p, TT::Prf)) {
      for (auto prf : implied_prfs) add(p, TT::Prf, prf, 0);
    }
    if (!has(p, TT::Prf)) return core::fail(core::ErrorCode::Config, "proposal: no PRF");
    if (!has(p, TT::Ke)) return core::fail(core::ErrorCode::Config, "proposal: no key exchange group");
  } else if (!has(p, TT::Esn)) {
    add(p, TT::Esn, 0, 0);
  }
  return p;
}

core::Result<std::vector<wire::Proposal>> parse_proposals(std::string_view text,
                                                          wire::ProtocolId protocol) {
  std::vector<wire::Proposal> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto one = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (one.empty()) continue;
    auto p = parse_proposal(one, protocol);
    if (!p) return tl::unexpected(p.error());
    p->number = static_cast<std::uint8_t>(out.size() + 1);
    out.push_back(std::move(*p));
  }
  if (out.empty()) return core::fail(core::ErrorCode::Config, "proposal: empty list");
  return out;
}

}  // namespace ikev2

namespace ikev2 {

std::vector<wire::Proposal> default_ike_proposals() {
  return parse_proposals("aes256gcm16-prfsha256-x25519-ecp256-modp2048,"
                         "aes256-sha256-x25519-ecp256-modp2048",
                         wire::ProtocolId::Ike)
      .value();
}

std::vector<wire::Proposal> default_esp_proposals() {
  return parse_proposals("aes256gcm16, aes128-sha256", wire::ProtocolId::Esp).value();
}

}  // namespace ikev2

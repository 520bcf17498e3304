// ikev2/sa/proposal.h — choosing and describing the algorithms of an IKE_SA
// or CHILD_SA (RFC 7296 §2.7, §3.3).
//
// Configuration holds proposals in wire form (ikev2::wire::Proposal), in
// preference order. The responder picks the first local proposal that
// matches an offered one (local preference, like strongSwan's default) and
// answers with one transform of each type. The SA keeps only the compact
// IkeAlgs/ChildAlgs it chose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ikev2/keymat/keymat.h"
#include "ikev2/wire/sa.h"

namespace ikev2 {

// IkeAlgs is one transform of each type for an IKE_SA. encr_bits is the Key
// Length attribute (0 when the cipher has none); integ is 0 with AEAD.
struct IkeAlgs {
  std::uint16_t encr = 0;
  std::uint16_t encr_bits = 0;
  std::uint16_t prf = 0;
  std::uint16_t integ = 0;
  std::uint16_t ke = 0;

  // key_sizes returns SK_* lengths; fails Unsupported for an unknown transform.
  core::Result<IkeKeySizes> key_sizes() const;
  std::string to_string() const;  // "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519"
  bool operator==(const IkeAlgs&) const = default;
};

// ChildAlgs is one transform of each type for an ESP CHILD_SA. ke is the
// PFS group, 0 for none.
struct ChildAlgs {
  std::uint16_t encr = 0;
  std::uint16_t encr_bits = 0;
  std::uint16_t integ = 0;
  std::uint16_t ke = 0;
  bool esn = false;

  core::Result<ChildKeySizes> key_sizes() const;
  std::string to_string() const;
  bool operator==(const ChildAlgs&) const = default;
};

// Chosen is the result of a selection: the algorithms, and the offered
// proposal's number and SPI (the peer's SPI for a CHILD_SA or a rekeyed
// IKE_SA).
template <typename Algs>
struct Chosen {
  Algs algs;
  std::uint8_t number = 1;
  std::vector<std::uint8_t> spi;
};

// select_ike picks an IKE proposal from offered. When ke_hint names a group
// that a matching proposal allows, that group is chosen (the group of the
// received KE payload, RFC 7296 §1.2); otherwise the local preference.
std::optional<Chosen<IkeAlgs>> select_ike(const wire::SaPayload& offered,
                                          const std::vector<wire::Proposal>& local,
                                          std::uint16_t ke_hint = 0);
// select_child picks an ESP proposal (AH is not offered by kagi).
std::optional<Chosen<ChildAlgs>> select_child(const wire::SaPayload& offered,
                                              const std::vector<wire::Proposal>& local,
                                              std::uint16_t ke_hint = 0);

// ike_proposal / child_proposal build the single proposal of a response,
// or the proposal of an IKE rekey / CREATE_CHILD_SA request.
wire::Proposal ike_proposal(const IkeAlgs& a, std::uint8_t number, std::vector<std::uint8_t> spi);
wire::Proposal child_proposal(const ChildAlgs& a, std::uint8_t number, std::vector<std::uint8_t> spi);

// with_spi returns local proposals numbered 1.. with the given SPI and
// protocol, for a request.
wire::SaPayload offer(const std::vector<wire::Proposal>& local, wire::ProtocolId protocol,
                      const std::vector<std::uint8_t>& spi);

// first_ke returns the first KE group of the first local proposal that has
// one (the group an initiator guesses for its KE payload), or 0.
std::uint16_t first_ke(const std::vector<wire::Proposal>& local);
// allows_ke says whether any local proposal allows group.
bool allows_ke(const std::vector<wire::Proposal>& local, std::uint16_t group);
// without_ke returns the proposals with their KE transforms removed (a
// CREATE_CHILD_SA without PFS, or the first CHILD_SA in IKE_AUTH, whose SA
// payload carries no KE transform, RFC 7296 §1.2).
std::vector<wire::Proposal> without_ke(std::vector<wire::Proposal> local);

// parse_proposal reads a strongSwan-style proposal string, e.g.
// "aes256gcm16-prfsha256-x25519", "aes128-sha256-modp2048",
// "aes128gcm16-esn". Keywords: aes128|192|256 (CBC), aes*ctr, aes*gcm8|12|16,
// chacha20poly1305, 3des, null; sha1, sha256, sha384, sha512, aesxcbc,
// aescmac (integrity; in IKE also the PRF unless prf* is given); prfsha1,
// prfsha256, prfsha384, prfsha512, prfaesxcbc, prfaescmac; modp1024,
// modp1536, modp2048..modp8192, ecp256, ecp384, ecp521, x25519, x448,
// curve25519, curve448; esn, noesn. Fails Config naming an unknown keyword.
core::Result<wire::Proposal> parse_proposal(std::string_view text, wire::ProtocolId protocol);
// parse_proposals splits on ',' and parses each.
core::Result<std::vector<wire::Proposal>> parse_proposals(std::string_view text,
                                                          wire::ProtocolId protocol);

}  // namespace ikev2

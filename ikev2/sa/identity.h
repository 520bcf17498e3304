// ikev2/sa/identity.h — an IKE identity (RFC 7296 §3.5): the ID Type and
// its Identification Data, parsed from and printed as configuration text.
//
//   "192.0.2.1", "2001:db8::1"     ID_IPV4_ADDR / ID_IPV6_ADDR
//   "vpn.example.org", "@example"  ID_FQDN (a leading '@' is dropped)
//   "user@example.org"             ID_RFC822_ADDR
//   "keyid:0a0b0c"                 ID_KEY_ID (hex)
//   "C=JP, O=WIDE, CN=mn1"         ID_DER_ASN1_DN (DER built by OpenSSL)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/address.h"
#include "core/result.h"
#include "ikev2/wire/constants.h"
#include "ikev2/wire/id.h"

namespace ikev2 {

// Identity is a value: type plus data, compared byte for byte.
struct Identity {
  wire::IdType type = wire::IdType::Fqdn;
  std::vector<std::uint8_t> data;

  // parse reads the text forms above; fails Config on an empty string, a
  // bad hex key id or a DN OpenSSL cannot parse.
  static core::Result<Identity> parse(std::string_view text);
  // from_payload takes the type and data of a received IDi/IDr.
  static Identity from_payload(const wire::IdPayload& id) { return {id.type, id.data}; }
  // from_address is ID_IPV4_ADDR / ID_IPV6_ADDR of a: the identity used when
  // none is configured (as strongSwan and racoon2 do).
  static Identity from_address(const core::net::Address& a) {
    return {a.is_v4() ? wire::IdType::Ipv4Addr : wire::IdType::Ipv6Addr, {a.bytes().begin(), a.bytes().end()}};
  }
  // to_payload builds IDi (initiator) or IDr.
  wire::IdPayload to_payload(bool initiator) const { return {initiator, type, data}; }
  // to_string prints the text form parse accepts (DNs in RFC 2253 order as
  // OpenSSL prints them one-line; unknown types as "<type>:<hex>").
  std::string to_string() const;

  bool empty() const { return data.empty(); }
  bool operator==(const Identity&) const = default;
};

}  // namespace ikev2

// ikev2/sa/identity.cc — identity text forms.
#include "ikev2/sa/identity.h"

#include <openssl/x509.h>

#include "core/crypto/openssl_ptr.h"
#include "core/net/address.h"

namespace ikev2 {

namespace {

using X509NamePtr = std::unique_ptr<X509_NAME, core::crypto::OsslDeleter<X509_NAME, X509_NAME_free>>;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string hex(const std::vector<std::uint8_t>& data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (auto b : data) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// parse_dn builds the DER of "C=JP, O=WIDE, CN=x" (RDNs separated by ',' or
// '/', each attr=value) with OpenSSL's X509_NAME.
core::Result<std::vector<std::uint8_t>> parse_dn(std::string_view text) {
  X509NamePtr name(X509_NAME_new());
  if (!name) return core::fail(core::ErrorCode::Crypto, "X509_NAME_new failed");
  while (!text.empty()) {
    auto end = text.find_first_of(",/");
    std::string_view rdn = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (rdn.empty()) continue;
    auto eq = rdn.find('=');
    if (eq == std::string_view::npos)
      return core::fail(core::ErrorCode::Config, "identity DN: '{}' is not attr=value", rdn);
    std::string attr(trim(rdn.substr(0, eq)));
    std::string value(trim(rdn.substr(eq + 1)));
    if (X509_NAME_add_entry_by_txt(name.get(), attr.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0) != 1)
      return core::fail(core::ErrorCode::Config, "identity DN: unknown attribute '{}'", attr);
  }
  unsigned char* der = nullptr;
  int len = i2d_X509_NAME(name.get(), &der);
  if (len <= 0) return core::fail(core::ErrorCode::Config, "identity DN: cannot encode");
  std::vector<std::uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

std::string print_dn(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  X509NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())));
  if (!name) return "dn:" + hex(der);
  std::string out;
  const int n = X509_NAME_entry_count(name.get());
  for (int i = 0; i < n; ++i) {
    X509_NAME_ENTRY* e = X509_NAME_get_entry(name.get(), i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    const char* sn = nid == NID_undef ? "?" : OBJ_nid2sn(nid);
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (!out.empty()) out += ", ";
    out += sn;
    out += '=';
    if (len > 0) out.append(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
  }
  return out;
}

}  // namespace

core::Result<Identity> Identity::parse(std::string_view text) {
  text = trim(text);
  if (text.empty()) return core::fail(core::ErrorCode::Config, "identity: empty");
  if (text.starts_with("keyid:")) {
    std::string_view h = text.substr(6);
    Identity id{wire::IdType::KeyId, {}};
    if (h.empty() || h.size() % 2 != 0)
      return core::fail(core::ErrorCode::Config, "identity: key id '{}' is not hex", h);
    for (std::size_t i = 0; i < h.size(); i += 2) {
      int hi = hex_digit(h[i]), lo = hex_digit(h[i + 1]);
      if (hi < 0 || lo < 0)
        return core::fail(core::ErrorCode::Config, "identity: key id '{}' is not hex", h);
      id.data.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    return id;
  }
  if (text.find('=') != std::string_view::npos) {
    auto der = parse_dn(text);
    if (!der) return tl::unexpected(der.error());
    return Identity{wire::IdType::DerAsn1Dn, std::move(*der)};
  }
  if (auto a = core::net::Address::parse(text); a && a->scope_id() == 0) {
    auto b = a->bytes();
    return Identity{a->is_v4() ? wire::IdType::Ipv4Addr : wire::IdType::Ipv6Addr, {b.begin(), b.end()}};
  }
  if (text.front() == '@') text.remove_prefix(1);
  if (text.empty()) return core::fail(core::ErrorCode::Config, "identity: empty FQDN");
  const auto type = text.find('@') != std::string_view::npos ? wire::IdType::Rfc822Addr
                                                             : wire::IdType::Fqdn;
  return Identity{type, {text.begin(), text.end()}};
}

std::string Identity::to_string() const {
  switch (type) {
    case wire::IdType::Ipv4Addr:
    case wire::IdType::Ipv6Addr:
      if (auto a = core::net::Address::from_bytes(data)) return a->to_string();
      break;
    case wire::IdType::Fqdn:
    case wire::IdType::Rfc822Addr:
      return std::string(data.begin(), data.end());
    case wire::IdType::KeyId:
      return "keyid:" + hex(data);
    case wire::IdType::DerAsn1Dn:
      return print_dn(data);
    default:
      break;
  }
  return wire::id_type_name(type) + ":" + hex(data);
}

}  // namespace ikev2

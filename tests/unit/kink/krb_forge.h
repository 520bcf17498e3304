// tests/unit/kink/krb_forge.h — a KDC in a function, for unit tests of
// kink/krb without a KDC: a scratch directory with a krb5.conf, and tickets
// forged the way a KDC makes them (RFC 4120 §5.3: an EncTicketPart in DER,
// encrypted under the service key with key usage 2, §7.5.1), handed to the
// client as krb5_creds. The DER is written here by hand, independently of
// MIT's encoder, from the ASN.1 of RFC 4120 §5.2-§5.3.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <krb5/krb5.h>

#include "kink/krb/handles.h"
#include "kink/krb/keys.h"

namespace forge {

using Bytes = std::vector<std::uint8_t>;

// --- DER (X.690) ------------------------------------------------------------

inline Bytes tlv(std::uint8_t tag, const Bytes& v) {
  Bytes out{tag};
  if (v.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(v.size()));
  } else if (v.size() < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(v.size())});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(v.size() >> 8), static_cast<std::uint8_t>(v.size())});
  }
  out.insert(out.end(), v.begin(), v.end());
  return out;
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
inline Bytes seq(std::initializer_list<Bytes> parts) { return tlv(0x30, cat(parts)); }
inline Bytes ctx(int n, const Bytes& v) { return tlv(static_cast<std::uint8_t>(0xa0 | n), v); }
inline Bytes app(int n, const Bytes& v) { return tlv(static_cast<std::uint8_t>(0x60 | n), v); }
inline Bytes integer(std::int64_t v) {
  Bytes b;
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  // minimal two's complement: drop redundant leading octets
  while (b.size() > 1 && ((b[0] == 0x00 && (b[1] & 0x80) == 0) || (b[0] == 0xff && (b[1] & 0x80) != 0))) {
    b.erase(b.begin());
  }
  return tlv(0x02, b);
}
inline Bytes octets(const Bytes& v) { return tlv(0x04, v); }
inline Bytes gstring(const std::string& s) { return tlv(0x1b, Bytes(s.begin(), s.end())); }
inline Bytes gtime(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
  return tlv(0x18, Bytes(buf, buf + 15));
}
inline Bytes flags32(std::uint32_t f) {
  return tlv(0x03, {0x00, static_cast<std::uint8_t>(f >> 24), static_cast<std::uint8_t>(f >> 16),
                    static_cast<std::uint8_t>(f >> 8), static_cast<std::uint8_t>(f)});
}

// PrincipalName (RFC 4120 §5.2.2) of a krb5_principal.
inline Bytes principal_name(krb5_const_principal p) {
  Bytes names;
  for (krb5_int32 i = 0; i < p->length; ++i) {
    const krb5_data& c = p->data[i];
    names = cat({names, gstring(std::string(c.data, c.length))});
  }
  return seq({ctx(0, integer(p->type)), ctx(1, tlv(0x30, names))});
}
inline std::string realm_of(krb5_const_principal p) { return std::string(p->realm.data, p->realm.length); }

// --- tickets -------------------------------------------------------------------

struct TicketSpec {
  std::int64_t authtime = 0;
  std::int64_t endtime = 0;
  std::uint32_t kvno = 2;
  bool user_to_user = false;  // encrypted in a TGT session key, not a long-term key
};

// ticket forges a Ticket for client -> server with session key `session`,
// encrypted under service_key, and returns the client's krb5_creds for it.
inline kink::krb::Creds ticket(const kink::krb::Context& kctx, const kink::krb::Principal& client,
                               const kink::krb::Principal& server, const kink::krb::SessionKey& service_key,
                               const kink::krb::SessionKey& session, const TicketSpec& spec) {
  krb5_context c = kctx.get();
  Bytes enc_part = app(3, seq({
      ctx(0, flags32(0x00400000 | 0x00200000)),  // initial, pre-authent (RFC 4120 §5.3)
      ctx(1, seq({ctx(0, integer(session.enctype)), ctx(1, octets(Bytes(session.bytes.begin(), session.bytes.end())))})),
      ctx(2, gstring(realm_of(client.get()))),
      ctx(3, principal_name(client.get())),
      ctx(4, seq({ctx(0, integer(1)), ctx(1, octets({}))})),  // DOMAIN-X500-COMPRESS, nothing transited
      ctx(5, gtime(spec.authtime)),
      ctx(7, gtime(spec.endtime)),
  }));
  krb5_keyblock kb{};
  kb.magic = KV5M_KEYBLOCK;
  kb.enctype = service_key.enctype;
  kb.length = static_cast<unsigned int>(service_key.bytes.size());
  kb.contents = const_cast<krb5_octet*>(service_key.bytes.data());
  krb5_data plain{KV5M_DATA, static_cast<unsigned int>(enc_part.size()), reinterpret_cast<char*>(enc_part.data())};
  std::size_t clen = 0;
  krb5_c_encrypt_length(c, kb.enctype, plain.length, &clen);
  Bytes cipher(clen);
  krb5_enc_data enc{};
  enc.enctype = kb.enctype;
  enc.ciphertext = {KV5M_DATA, static_cast<unsigned int>(clen), reinterpret_cast<char*>(cipher.data())};
  if (krb5_c_encrypt(c, &kb, KRB5_KEYUSAGE_KDC_REP_TICKET, nullptr, &plain, &enc) != 0) std::abort();
  cipher.resize(enc.ciphertext.length);
  Bytes enc_data = spec.user_to_user
                       ? seq({ctx(0, integer(kb.enctype)), ctx(2, octets(cipher))})
                       : seq({ctx(0, integer(kb.enctype)), ctx(1, integer(spec.kvno)), ctx(2, octets(cipher))});
  Bytes tkt = app(1, seq({ctx(0, integer(5)), ctx(1, gstring(realm_of(server.get()))),
                          ctx(2, principal_name(server.get())), ctx(3, enc_data)}));

  auto* cr = static_cast<krb5_creds*>(std::calloc(1, sizeof(krb5_creds)));
  cr->magic = KV5M_CREDS;
  krb5_copy_principal(c, client.get(), &cr->client);
  krb5_copy_principal(c, server.get(), &cr->server);
  cr->keyblock.magic = KV5M_KEYBLOCK;
  cr->keyblock.enctype = session.enctype;
  cr->keyblock.length = static_cast<unsigned int>(session.bytes.size());
  cr->keyblock.contents = static_cast<krb5_octet*>(std::malloc(session.bytes.size()));
  std::memcpy(cr->keyblock.contents, session.bytes.data(), session.bytes.size());
  cr->times.authtime = static_cast<krb5_timestamp>(spec.authtime);
  cr->times.endtime = static_cast<krb5_timestamp>(spec.endtime);
  cr->is_skey = spec.user_to_user ? 1 : 0;
  cr->ticket.magic = KV5M_DATA;
  cr->ticket.length = static_cast<unsigned int>(tkt.size());
  cr->ticket.data = static_cast<char*>(std::malloc(tkt.size()));
  std::memcpy(cr->ticket.data, tkt.data(), tkt.size());
  return kink::krb::Creds::adopt(c, cr);
}

// --- a scratch realm ---------------------------------------------------------

// Realm is a temporary directory with a krb5.conf for EXAMPLE.TEST (KDC at
// 192.0.2.2, never contacted), removed on destruction.
struct Realm {
  std::string dir;
  Realm() {
    char tmpl[] = "/tmp/kagi-krb-XXXXXX";
    dir = mkdtemp(tmpl);
    std::ofstream(dir + "/krb5.conf") << "[libdefaults]\n  default_realm = EXAMPLE.TEST\n"
                                         "  udp_preference_limit = 1000\n"
                                         "[realms]\n  EXAMPLE.TEST = {\n    kdc = 192.0.2.2\n"
                                         "    kdc = [2001:db8::2]:750\n  }\n";
  }
  ~Realm() { std::filesystem::remove_all(dir); }
  Realm(const Realm&) = delete;
  Realm& operator=(const Realm&) = delete;
  std::string conf() const { return dir + "/krb5.conf"; }
  std::string rcache() const { return "file2:" + dir + "/kink.rcache2"; }
};

// add_key puts key for principal at kvno into the keytab named kt_name.
inline void add_key(const kink::krb::Context& kctx, const std::string& kt_name, const kink::krb::Principal& p,
                    const kink::krb::SessionKey& key, std::uint32_t kvno) {
  krb5_keytab kt = nullptr;
  if (krb5_kt_resolve(kctx.get(), kt_name.c_str(), &kt) != 0) std::abort();
  krb5_keytab_entry e{};
  e.magic = KV5M_KEYTAB_ENTRY;
  e.principal = p.get();
  e.vno = kvno;
  e.key.magic = KV5M_KEYBLOCK;
  e.key.enctype = key.enctype;
  e.key.length = static_cast<unsigned int>(key.bytes.size());
  e.key.contents = const_cast<krb5_octet*>(key.bytes.data());
  if (krb5_kt_add_entry(kctx.get(), kt, &e) != 0) std::abort();
  krb5_kt_close(kctx.get(), kt);
}

}  // namespace forge

// kernel/pfkey/message_decode.cc — PF_KEY bytes -> Message.
//
// Every extension is split off by its own sadb_ext_len before its body is
// looked at, so a body decoder can never read past its extension, and an
// extension this code does not know is kept raw and skipped.
#include <bit>

#include "core/wire/reader.h"
#include "kernel/pfkey/message.h"
#include "kernel/pfkey/sockaddr_codec.h"

namespace kernel::pfkey {

// PF_KEY integers are host order; this codec is written for the
// little-endian hosts kagi runs on (x86-64, arm64).
static_assert(std::endian::native == std::endian::little, "PF_KEY codec assumes a little-endian host");

using core::ErrorCode;
using core::fail;
using core::Status;
using core::wire::Reader;

namespace {

// padding_only: what is left after a fixed-size content is the 8-byte pad.
bool padding_only(const Reader& r) { return r.remaining() < 8; }

Status bad(std::uint16_t type, std::string_view what) {
  return fail(ErrorCode::Malformed, "extension type {}: {}", type, what);
}

// decode_sa: struct sadb_sa after its header, 12 bytes (RFC 2367 §2.3.1).
//   | spi (be32) | replay u8 | state u8 | auth u8 | encrypt u8 | flags u32 |
Status decode_sa(Reader& b, std::uint16_t t, std::optional<SaExt>& out) {
  SaExt sa;
  if (b.remaining() != 12 || !b.u32(sa.spi) || !b.u8(sa.replay) || !b.u8(sa.state) ||
      !b.u8(sa.auth) || !b.u8(sa.encrypt) || !b.u32_le(sa.flags))
    return bad(t, "sadb_sa must be 16 bytes");
  out = sa;
  return core::ok();
}

// decode_lifetime: struct sadb_lifetime, 28 bytes after the header (§2.3.2).
Status decode_lifetime(Reader& b, std::uint16_t t, std::optional<LifetimeExt>& out) {
  LifetimeExt l;
  if (b.remaining() != 28 || !b.u32_le(l.allocations) || !b.u64_le(l.bytes) || !b.u64_le(l.addtime) ||
      !b.u64_le(l.usetime))
    return bad(t, "sadb_lifetime must be 32 bytes");
  out = l;
  return core::ok();
}

// decode_address: struct sadb_address + sockaddr, padded to 8 (§2.3.3).
//   | proto u8 | prefixlen u8 | reserved u16 | sockaddr ... | pad |
Status decode_address(Reader& b, std::uint16_t t, const Dialect& d, std::optional<AddressExt>& out) {
  AddressExt a;
  if (!b.u8(a.proto) || !b.u8(a.prefixlen) || !b.skip(2)) return bad(t, "truncated sadb_address");
  auto sa = read_sockaddr(b, d);
  if (!sa) return bad(t, sa.error().detail);
  a.sa = *sa;
  // Linux verify_address_len: the length is exactly the aligned sockaddr.
  if (!padding_only(b)) return bad(t, "sadb_address longer than its sockaddr");
  if (a.prefixlen > (a.sa.addr.is_v4() ? 32 : 128)) return bad(t, "prefix length beyond the address");
  out = a;
  return core::ok();
}

// decode_key: struct sadb_key, then (bits+7)/8 key bytes and padding (§2.3.4).
Status decode_key(Reader& b, std::uint16_t t, std::optional<KeyExt>& out) {
  KeyExt k;
  if (!b.u16_le(k.bits) || !b.skip(2)) return bad(t, "truncated sadb_key");
  // Linux verify_key_len: the key bits must fit inside the extension.
  if (!b.copy((k.bits + 7u) / 8u, k.key)) return bad(t, "key bits run past the extension");
  out = std::move(k);
  return core::ok();
}

// decode_identity: struct sadb_ident and its padded identity string (§2.3.5).
Status decode_identity(Reader& b, std::uint16_t t, std::optional<IdentityExt>& out) {
  IdentityExt id;
  if (!b.u16_le(id.type) || !b.skip(2) || !b.u64_le(id.id)) return bad(t, "truncated sadb_ident");
  auto rest = b.rest();
  id.data.assign(rest.begin(), rest.end());
  out = std::move(id);
  return core::ok();
}

// decode_sensitivity: struct sadb_sens then sens_len and integ_len u64 words.
Status decode_sensitivity(Reader& b, std::uint16_t t, std::optional<SensitivityExt>& out) {
  SensitivityExt s;
  std::uint8_t sens_len = 0, integ_len = 0;
  if (!b.u32_le(s.dpd) || !b.u8(s.sens_level) || !b.u8(sens_len) || !b.u8(s.integ_level) ||
      !b.u8(integ_len) || !b.skip(4))
    return bad(t, "truncated sadb_sens");
  if (b.remaining() != 8u * (sens_len + integ_len)) return bad(t, "bitmap lengths disagree with sadb_sens_len");
  s.sens_bitmap.resize(sens_len);
  s.integ_bitmap.resize(integ_len);
  for (auto& w : s.sens_bitmap) b.u64_le(w);
  for (auto& w : s.integ_bitmap) b.u64_le(w);
  out = std::move(s);
  return core::ok();
}

// decode_proposal: struct sadb_prop and N * 72-byte sadb_comb (§2.3.7).
Status decode_proposal(Reader& b, std::uint16_t t, std::optional<ProposalExt>& out) {
  ProposalExt p;
  if (!b.u8(p.replay) || !b.skip(3)) return bad(t, "truncated sadb_prop");
  if (b.remaining() % 72 != 0) return bad(t, "sadb_prop is not a whole number of sadb_comb");
  while (!b.empty()) {
    Comb c;
    b.u8(c.auth);
    b.u8(c.encrypt);
    b.u16_le(c.flags);
    b.u16_le(c.auth_minbits);
    b.u16_le(c.auth_maxbits);
    b.u16_le(c.encrypt_minbits);
    b.u16_le(c.encrypt_maxbits);
    b.skip(4);
    b.u32_le(c.soft_allocations);
    b.u32_le(c.hard_allocations);
    b.u64_le(c.soft_bytes);
    b.u64_le(c.hard_bytes);
    b.u64_le(c.soft_addtime);
    b.u64_le(c.hard_addtime);
    b.u64_le(c.soft_usetime);
    b.u64_le(c.hard_usetime);
    p.combs.push_back(c);
  }
  out = std::move(p);
  return core::ok();
}

// decode_supported: struct sadb_supported and N * 8-byte sadb_alg (§2.3.8).
Status decode_supported(Reader& b, std::uint16_t t, std::optional<std::vector<Alg>>& out) {
  if (!b.skip(4) || b.remaining() % 8 != 0) return bad(t, "sadb_supported is not a whole number of sadb_alg");
  std::vector<Alg> algs;
  while (!b.empty()) {
    Alg a;
    b.u8(a.id);
    b.u8(a.ivlen);
    b.u16_le(a.minbits);
    b.u16_le(a.maxbits);
    b.skip(2);
    algs.push_back(a);
  }
  out = std::move(algs);
  return core::ok();
}

Status decode_spirange(Reader& b, std::uint16_t t, std::optional<SpiRangeExt>& out) {
  SpiRangeExt s;
  if (b.remaining() != 12 || !b.u32_le(s.min) || !b.u32_le(s.max)) return bad(t, "sadb_spirange must be 16 bytes");
  out = s;
  return core::ok();
}

// decode_sa2: struct sadb_x_sa2 (KAME, Linux), 16 bytes.
//   | mode u8 | reserved u8 | reserved u16 | sequence u32 | reqid u32 |
Status decode_sa2(Reader& b, std::uint16_t t, std::optional<Sa2Ext>& out) {
  Sa2Ext s;
  if (b.remaining() != 12 || !b.u8(s.mode) || !b.skip(3) || !b.u32_le(s.sequence) || !b.u32_le(s.reqid))
    return bad(t, "sadb_x_sa2 must be 16 bytes");
  out = s;
  return core::ok();
}

// decode_request: one sadb_x_ipsecrequest, already cut to its own length.
//   Linux: | len u16 | proto u16 | mode u8 | level u8 | rsv u16 | reqid u32 | rsv u32 |
//   KAME:  | len u16 | proto u16 | mode u8 | level u8 | reqid u16 |
// followed by the src and dst sockaddrs when the request carries endpoints.
Status decode_request(Reader& rq, const Dialect& d, IpsecRequest& out) {
  rq.skip(2);  // sadb_x_ipsecrequest_len, already used to cut rq
  rq.u16_le(out.proto);
  rq.u8(out.mode);
  rq.u8(out.level);
  if (d.flavor == Flavor::Kame) {
    std::uint16_t reqid = 0;
    rq.u16_le(reqid);
    out.reqid = reqid;
  } else {
    rq.skip(2);
    rq.u32_le(out.reqid);
    rq.skip(4);
  }
  if (rq.empty()) return core::ok();
  auto src = read_sockaddr(rq, d);
  if (!src) return fail(src.error());
  auto dst = read_sockaddr(rq, d);
  if (!dst) return fail(dst.error());
  if (src->addr.family() != dst->addr.family()) return fail(ErrorCode::Malformed, "endpoint families differ");
  if (!padding_only(rq)) return fail(ErrorCode::Malformed, "ipsecrequest longer than its endpoints");
  out.src = *src;
  out.dst = *dst;
  return core::ok();
}

// decode_policy: struct sadb_x_policy, 16 bytes on both flavors, then the
// ipsecrequests, each sized by its own byte length (not 64-bit units).
//   | type u16 | dir u8 | rsv u8 | id u32 | priority u32 (Linux) / rsv2 (KAME) |
Status decode_policy(Reader& b, std::uint16_t t, const Dialect& d, std::optional<PolicyExt>& out) {
  PolicyExt p;
  std::uint32_t last = 0;
  if (!b.u16_le(p.type) || !b.u8(p.dir) || !b.skip(1) || !b.u32_le(p.id) || !b.u32_le(last))
    return bad(t, "truncated sadb_x_policy");
  if (d.flavor == Flavor::Linux) p.priority = last;
  const std::size_t min_rq = d.flavor == Flavor::Kame ? kKameIpsecRequestLen : kLinuxIpsecRequestLen;
  while (!b.empty()) {
    std::uint16_t rq_len = 0;
    Reader peek(b.view());
    // Linux parse_ipsecrequests / KAME key_msg2sp: len >= header, <= rest.
    if (!peek.u16_le(rq_len) || rq_len < min_rq || rq_len > b.remaining())
      return bad(t, "ipsecrequest length out of bounds");
    Reader rq;
    b.sub(rq_len, rq);
    IpsecRequest req;
    if (auto st = decode_request(rq, d, req); !st) return bad(t, st.error().detail);
    p.requests.push_back(std::move(req));
  }
  out = std::move(p);
  return core::ok();
}

// decode_nat_t_type: struct sadb_x_nat_t_type, 8 bytes.
Status decode_nat_t_type(Reader& b, std::uint16_t t, std::optional<std::uint8_t>& out) {
  std::uint8_t type = 0;
  if (b.remaining() != 4 || !b.u8(type)) return bad(t, "sadb_x_nat_t_type must be 8 bytes");
  out = type;
  return core::ok();
}

// decode_nat_t_port: struct sadb_x_nat_t_port, port in network order.
Status decode_nat_t_port(Reader& b, std::uint16_t t, std::optional<std::uint16_t>& out) {
  std::uint16_t port = 0;
  if (b.remaining() != 4 || !b.u16(port)) return bad(t, "sadb_x_nat_t_port must be 8 bytes");
  out = port;
  return core::ok();
}

// decode_kmaddress: Linux struct sadb_x_kmaddress then local and remote
// sockaddrs of one family (af_key parse_sockaddr_pair).
Status decode_kmaddress(Reader& b, std::uint16_t t, const Dialect& d, std::optional<KmAddressExt>& out) {
  if (!b.skip(4)) return bad(t, "truncated sadb_x_kmaddress");
  auto local = read_sockaddr(b, d);
  if (!local) return bad(t, local.error().detail);
  auto remote = read_sockaddr(b, d);
  if (!remote) return bad(t, remote.error().detail);
  if (local->addr.family() != remote->addr.family()) return bad(t, "KM address families differ");
  if (!padding_only(b)) return bad(t, "sadb_x_kmaddress longer than its addresses");
  out = KmAddressExt{*local, *remote};
  return core::ok();
}

// decode_packet: KAME struct sadb_x_packet { len, exttype, u32 copylen }
// then copylen bytes of the packet from its IP header, padded to 8 (layout
// as read by racoon2 rcpfk_recv_acquire and ipsec-tools kdebug_sadb_x_packet).
Status decode_packet(Reader& b, std::uint16_t t, std::optional<std::vector<std::uint8_t>>& out) {
  std::uint32_t copylen = 0;
  std::vector<std::uint8_t> pkt;
  if (!b.u32_le(copylen) || !b.copy(copylen, pkt)) return bad(t, "packet copylen runs past the extension");
  if (!padding_only(b)) return bad(t, "sadb_x_packet longer than its packet");
  out = std::move(pkt);
  return core::ok();
}

template <typename T>
Status once(const std::optional<T>& slot, std::uint16_t type) {
  // RFC 2367 §2.3: each extension type appears at most once.
  if (slot) return bad(type, "duplicate extension");
  return core::ok();
}

Status decode_extension(std::uint16_t t, Reader& b, const Dialect& d, Message& m) {
  const bool kame = d.flavor == Flavor::Kame;
  auto run = [&](auto& slot, auto&& fn) -> Status {
    if (auto st = once(slot, t); !st) return st;
    return fn(slot);
  };
  switch (t) {
    case ext::kSa: return run(m.sa, [&](auto& s) { return decode_sa(b, t, s); });
    case ext::kLifetimeCurrent: return run(m.lifetime_current, [&](auto& s) { return decode_lifetime(b, t, s); });
    case ext::kLifetimeHard: return run(m.lifetime_hard, [&](auto& s) { return decode_lifetime(b, t, s); });
    case ext::kLifetimeSoft: return run(m.lifetime_soft, [&](auto& s) { return decode_lifetime(b, t, s); });
    case ext::kAddressSrc: return run(m.src, [&](auto& s) { return decode_address(b, t, d, s); });
    case ext::kAddressDst: return run(m.dst, [&](auto& s) { return decode_address(b, t, d, s); });
    case ext::kAddressProxy: return run(m.proxy, [&](auto& s) { return decode_address(b, t, d, s); });
    case ext::kKeyAuth: return run(m.key_auth, [&](auto& s) { return decode_key(b, t, s); });
    case ext::kKeyEncrypt: return run(m.key_encrypt, [&](auto& s) { return decode_key(b, t, s); });
    case ext::kIdentitySrc: return run(m.identity_src, [&](auto& s) { return decode_identity(b, t, s); });
    case ext::kIdentityDst: return run(m.identity_dst, [&](auto& s) { return decode_identity(b, t, s); });
    case ext::kSensitivity: return run(m.sensitivity, [&](auto& s) { return decode_sensitivity(b, t, s); });
    case ext::kProposal: return run(m.proposal, [&](auto& s) { return decode_proposal(b, t, s); });
    case ext::kSupportedAuth: return run(m.supported_auth, [&](auto& s) { return decode_supported(b, t, s); });
    case ext::kSupportedEncrypt:
      return run(m.supported_encrypt, [&](auto& s) { return decode_supported(b, t, s); });
    case ext::kSpirange: return run(m.spirange, [&](auto& s) { return decode_spirange(b, t, s); });
    case ext::kXPolicy: return run(m.policy, [&](auto& s) { return decode_policy(b, t, d, s); });
    case ext::kXSa2: return run(m.sa2, [&](auto& s) { return decode_sa2(b, t, s); });
    case ext::kXNatTType: return run(m.nat_t_type, [&](auto& s) { return decode_nat_t_type(b, t, s); });
    case ext::kXNatTSport: return run(m.nat_t_sport, [&](auto& s) { return decode_nat_t_port(b, t, s); });
    case ext::kXNatTDport: return run(m.nat_t_dport, [&](auto& s) { return decode_nat_t_port(b, t, s); });
    case ext::kXNatTOa: return run(m.nat_t_oa, [&](auto& s) { return decode_address(b, t, d, s); });
    default: break;
  }
  if (kame && t == ext::kKameXNatTOar) return run(m.nat_t_oar, [&](auto& s) { return decode_address(b, t, d, s); });
  if (kame && t == ext::kKameXPacket) return run(m.packet, [&](auto& s) { return decode_packet(b, t, s); });
  if (!kame && t == ext::kLinuxXKmaddress)
    return run(m.kmaddress, [&](auto& s) { return decode_kmaddress(b, t, d, s); });
  // Unknown here (SEC_CTX, FILTER, KMPRIVATE, TAG, SA3, ...): keep and skip.
  auto rest = b.rest();
  m.unknown.push_back(RawExt{t, {rest.begin(), rest.end()}});
  return core::ok();
}

}  // namespace

core::Result<Message> decode_message(std::span<const std::uint8_t> bytes, const Dialect& d) {
  Reader r(bytes);
  Message m;
  std::uint16_t len = 0;
  if (!r.u8(m.header.version) || !r.u8(m.header.type) || !r.u8(m.header.errno_value) ||
      !r.u8(m.header.satype) || !r.u16_le(len) || !r.skip(2) || !r.u32_le(m.header.seq) ||
      !r.u32_le(m.header.pid))
    return fail(ErrorCode::Malformed, "truncated sadb_msg ({} bytes)", bytes.size());
  if (m.header.version != kPfKeyV2)
    return fail(ErrorCode::Malformed, "sadb_msg_version {} is not PF_KEY_V2", m.header.version);
  if (std::size_t{len} * 8 != bytes.size())
    return fail(ErrorCode::Malformed, "sadb_msg_len {} words but {} bytes", len, bytes.size());
  while (!r.empty()) {
    std::uint16_t ext_len = 0, ext_type = 0;
    if (!r.u16_le(ext_len) || !r.u16_le(ext_type)) return fail(ErrorCode::Malformed, "truncated extension header");
    Reader body;
    if (ext_len == 0 || !r.sub(std::size_t{ext_len} * 8 - 4, body))
      return fail(ErrorCode::Malformed, "extension type {} has bad length {}", ext_type, ext_len);
    if (auto st = decode_extension(ext_type, body, d, m); !st)
      return fail(ErrorCode::Malformed, "message type {} seq {}: {}", m.header.type, m.header.seq, st.error().detail);
  }
  return m;
}

std::vector<core::Result<Message>> decode_stream(std::span<const std::uint8_t> bytes, const Dialect& d) {
  std::vector<core::Result<Message>> out;
  Reader r(bytes);
  while (!r.empty()) {
    Reader peek(r.view());
    std::uint16_t len = 0;
    if (!peek.skip(4) || !peek.u16_le(len) || len < 2 || std::size_t{len} * 8 > r.remaining()) {
      out.push_back(fail(ErrorCode::Malformed, "sadb_msg_len unusable with {} bytes left; stream ends",
                         r.remaining()));
      break;
    }
    std::span<const std::uint8_t> one;
    r.bytes(std::size_t{len} * 8, one);
    out.push_back(decode_message(one, d));
  }
  return out;
}

}  // namespace kernel::pfkey

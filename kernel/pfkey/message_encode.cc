// kernel/pfkey/message_encode.cc — Message -> PF_KEY bytes.
//
// Extensions are written in ascending type order (both kernels collect
// them by type, Linux into ext_hdrs[], KAME into mhp[], so order carries no
// meaning), then the raw extensions kept by decode. Every length is
// back-patched in 64-bit words once the body is known.
#include "core/wire/writer.h"
#include "kernel/pfkey/message.h"
#include "kernel/pfkey/sockaddr_codec.h"

namespace kernel::pfkey {

using core::ErrorCode;
using core::fail;
using core::Status;
using core::wire::Writer;

namespace {

constexpr std::size_t kMaxBytes = std::size_t{0xffff} * 8;  // u16 count of 64-bit words

// ExtWriter opens one extension, then closes it: pads to 8 and patches
// sadb_ext_len. Offsets are from the message start, which is 8-aligned.
class ExtWriter {
 public:
  ExtWriter(Writer& w, std::uint16_t type) : w_(w), start_(w.size()), len_(w.reserve_u16_le()) { w.u16_le(type); }
  Status close() {
    w_.pad_to(8);
    const std::size_t n = w_.size() - start_;
    if (n > kMaxBytes) return fail(ErrorCode::Malformed, "extension of {} bytes exceeds sadb_ext_len", n);
    w_.patch_u16_le(len_, static_cast<std::uint16_t>(n / 8));
    return core::ok();
  }

 private:
  Writer& w_;
  std::size_t start_;
  Writer::Mark len_;
};

Status put_sa(Writer& w, const SaExt& s) {
  ExtWriter e(w, ext::kSa);
  w.u32(s.spi);  // network order (RFC 2367 §2.3.1)
  w.u8(s.replay);
  w.u8(s.state);
  w.u8(s.auth);
  w.u8(s.encrypt);
  w.u32_le(s.flags);
  return e.close();
}

Status put_lifetime(Writer& w, std::uint16_t type, const LifetimeExt& l) {
  ExtWriter e(w, type);
  w.u32_le(l.allocations);
  w.u64_le(l.bytes);
  w.u64_le(l.addtime);
  w.u64_le(l.usetime);
  return e.close();
}

Status put_address(Writer& w, std::uint16_t type, const AddressExt& a, const Dialect& d) {
  ExtWriter e(w, type);
  w.u8(a.proto);
  w.u8(a.prefixlen);
  w.u16_le(0);
  write_sockaddr(w, a.sa, d);
  return e.close();
}

Status put_key(Writer& w, std::uint16_t type, const KeyExt& k) {
  if (k.key.size() != (k.bits + 7u) / 8u)
    return fail(ErrorCode::Internal, "sadb_key of {} bits carries {} bytes", k.bits, k.key.size());
  ExtWriter e(w, type);
  w.u16_le(k.bits);
  w.u16_le(0);
  w.bytes(k.key);
  return e.close();
}

Status put_identity(Writer& w, std::uint16_t type, const IdentityExt& id) {
  ExtWriter e(w, type);
  w.u16_le(id.type);
  w.u16_le(0);
  w.u64_le(id.id);
  w.bytes(id.data);
  return e.close();
}

Status put_sensitivity(Writer& w, const SensitivityExt& s) {
  if (s.sens_bitmap.size() > 0xff || s.integ_bitmap.size() > 0xff)
    return fail(ErrorCode::Malformed, "sensitivity bitmap longer than 255 words");
  ExtWriter e(w, ext::kSensitivity);
  w.u32_le(s.dpd);
  w.u8(s.sens_level);
  w.u8(static_cast<std::uint8_t>(s.sens_bitmap.size()));
  w.u8(s.integ_level);
  w.u8(static_cast<std::uint8_t>(s.integ_bitmap.size()));
  w.u32_le(0);
  for (auto v : s.sens_bitmap) w.u64_le(v);
  for (auto v : s.integ_bitmap) w.u64_le(v);
  return e.close();
}

Status put_proposal(Writer& w, const ProposalExt& p) {
  ExtWriter e(w, ext::kProposal);
  w.u8(p.replay);
  w.zeros(3);
  for (const auto& c : p.combs) {
    w.u8(c.auth);
    w.u8(c.encrypt);
    w.u16_le(c.flags);
    w.u16_le(c.auth_minbits);
    w.u16_le(c.auth_maxbits);
    w.u16_le(c.encrypt_minbits);
    w.u16_le(c.encrypt_maxbits);
    w.u32_le(0);
    w.u32_le(c.soft_allocations);
    w.u32_le(c.hard_allocations);
    w.u64_le(c.soft_bytes);
    w.u64_le(c.hard_bytes);
    w.u64_le(c.soft_addtime);
    w.u64_le(c.hard_addtime);
    w.u64_le(c.soft_usetime);
    w.u64_le(c.hard_usetime);
  }
  return e.close();
}

Status put_supported(Writer& w, std::uint16_t type, const std::vector<Alg>& algs) {
  ExtWriter e(w, type);
  w.u32_le(0);
  for (const auto& a : algs) {
    w.u8(a.id);
    w.u8(a.ivlen);
    w.u16_le(a.minbits);
    w.u16_le(a.maxbits);
    w.u16_le(0);
  }
  return e.close();
}

Status put_request(Writer& w, const IpsecRequest& rq, const Dialect& d) {
  if (rq.src.has_value() != rq.dst.has_value())
    return fail(ErrorCode::Internal, "ipsecrequest with one tunnel endpoint");
  if (rq.src && rq.src->addr.family() != rq.dst->addr.family())
    return fail(ErrorCode::Unsupported, "ipsecrequest endpoints of two families");
  const bool kame = d.flavor == Flavor::Kame;
  // KAME's sadb_x_ipsecrequest_reqid is u_int16_t (NetBSD pfkeyv2.h).
  if (kame && rq.reqid > 0xffff) return fail(ErrorCode::Unsupported, "KAME reqid {} exceeds 16 bits", rq.reqid);
  const std::size_t hdr = kame ? kKameIpsecRequestLen : kLinuxIpsecRequestLen;
  const std::size_t pair = rq.src ? 2 * sockaddr_len(rq.src->addr) : 0;
  // Linux set_ipsecrequest: header + PFKEY_ALIGN8(pair); KAME: ALIGN8(header + pair).
  const std::size_t len = kame ? align8(hdr + pair) : hdr + align8(pair);
  const std::size_t start = w.size();
  w.u16_le(static_cast<std::uint16_t>(len));  // in bytes, not 64-bit units
  w.u16_le(rq.proto);
  w.u8(rq.mode);
  w.u8(rq.level);
  if (kame) {
    w.u16_le(static_cast<std::uint16_t>(rq.reqid));
  } else {
    w.u16_le(0);
    w.u32_le(rq.reqid);
    w.u32_le(0);
  }
  if (rq.src) {
    write_sockaddr(w, *rq.src, d);
    write_sockaddr(w, *rq.dst, d);
  }
  w.zeros(start + len - w.size());
  return core::ok();
}

Status put_policy(Writer& w, const PolicyExt& p, const Dialect& d) {
  ExtWriter e(w, ext::kXPolicy);
  w.u16_le(p.type);
  w.u8(p.dir);
  w.u8(0);
  w.u32_le(p.id);
  // Linux sadb_x_policy_priority; KAME sadb_x_policy_reserved2 (zero).
  w.u32_le(d.flavor == Flavor::Linux ? p.priority : 0);
  for (const auto& rq : p.requests)
    if (auto st = put_request(w, rq, d); !st) return st;
  return e.close();
}

Status put_sa2(Writer& w, const Sa2Ext& s) {
  ExtWriter e(w, ext::kXSa2);
  w.u8(s.mode);
  w.zeros(3);
  w.u32_le(s.sequence);
  w.u32_le(s.reqid);
  return e.close();
}

Status put_nat_t_type(Writer& w, std::uint8_t type) {
  ExtWriter e(w, ext::kXNatTType);
  w.u8(type);
  w.zeros(3);
  return e.close();
}

Status put_nat_t_port(Writer& w, std::uint16_t type, std::uint16_t port) {
  ExtWriter e(w, type);
  w.u16(port);  // __be16 sadb_x_nat_t_port_port
  w.u16_le(0);
  return e.close();
}

Status put_kmaddress(Writer& w, const KmAddressExt& k, const Dialect& d) {
  if (k.local.addr.family() != k.remote.addr.family())
    return fail(ErrorCode::Unsupported, "KM addresses of two families");
  ExtWriter e(w, ext::kLinuxXKmaddress);
  w.u32_le(0);
  write_sockaddr(w, k.local, d);
  write_sockaddr(w, k.remote, d);
  return e.close();
}

Status put_packet(Writer& w, const std::vector<std::uint8_t>& pkt) {
  ExtWriter e(w, ext::kKameXPacket);
  w.u32_le(static_cast<std::uint32_t>(pkt.size()));  // sadb_x_packet_copylen
  w.bytes(pkt);
  return e.close();
}

Status put_raw(Writer& w, const RawExt& raw) {
  ExtWriter e(w, raw.type);
  w.bytes(raw.body);
  return e.close();
}

Status put_all(Writer& w, const Message& m, const Dialect& d) {
  const bool kame = d.flavor == Flavor::Kame;
  if (kame && m.kmaddress) return fail(ErrorCode::Unsupported, "KAME PF_KEY has no SADB_X_EXT_KMADDRESS");
  if (!kame && m.packet) return fail(ErrorCode::Unsupported, "Linux PF_KEY has no SADB_X_EXT_PACKET");
  if (!kame && m.nat_t_oar) return fail(ErrorCode::Unsupported, "Linux PF_KEY has no SADB_X_EXT_NAT_T_OAR");
  Status err = core::ok();
  auto run = [&](Status st) {
    if (err && !st) err = std::move(st);  // keep the first failure
  };
  if (m.sa) run(put_sa(w, *m.sa));
  if (m.lifetime_current) run(put_lifetime(w, ext::kLifetimeCurrent, *m.lifetime_current));
  if (m.lifetime_hard) run(put_lifetime(w, ext::kLifetimeHard, *m.lifetime_hard));
  if (m.lifetime_soft) run(put_lifetime(w, ext::kLifetimeSoft, *m.lifetime_soft));
  if (m.src) run(put_address(w, ext::kAddressSrc, *m.src, d));
  if (m.dst) run(put_address(w, ext::kAddressDst, *m.dst, d));
  if (m.proxy) run(put_address(w, ext::kAddressProxy, *m.proxy, d));
  if (m.key_auth) run(put_key(w, ext::kKeyAuth, *m.key_auth));
  if (m.key_encrypt) run(put_key(w, ext::kKeyEncrypt, *m.key_encrypt));
  if (m.identity_src) run(put_identity(w, ext::kIdentitySrc, *m.identity_src));
  if (m.identity_dst) run(put_identity(w, ext::kIdentityDst, *m.identity_dst));
  if (m.sensitivity) run(put_sensitivity(w, *m.sensitivity));
  if (m.proposal) run(put_proposal(w, *m.proposal));
  if (m.supported_auth) run(put_supported(w, ext::kSupportedAuth, *m.supported_auth));
  if (m.supported_encrypt) run(put_supported(w, ext::kSupportedEncrypt, *m.supported_encrypt));
  if (m.spirange) {
    ExtWriter e(w, ext::kSpirange);
    w.u32_le(m.spirange->min);
    w.u32_le(m.spirange->max);
    w.u32_le(0);
    run(e.close());
  }
  if (m.policy) run(put_policy(w, *m.policy, d));
  if (m.sa2) run(put_sa2(w, *m.sa2));
  if (m.nat_t_type) run(put_nat_t_type(w, *m.nat_t_type));
  if (m.nat_t_sport) run(put_nat_t_port(w, ext::kXNatTSport, *m.nat_t_sport));
  if (m.nat_t_dport) run(put_nat_t_port(w, ext::kXNatTDport, *m.nat_t_dport));
  if (m.nat_t_oa) run(put_address(w, ext::kXNatTOa, *m.nat_t_oa, d));
  if (m.nat_t_oar) run(put_address(w, ext::kKameXNatTOar, *m.nat_t_oar, d));
  if (m.kmaddress) run(put_kmaddress(w, *m.kmaddress, d));
  if (m.packet) run(put_packet(w, *m.packet));
  for (const auto& raw : m.unknown) run(put_raw(w, raw));
  return err;
}

}  // namespace

core::Result<std::vector<std::uint8_t>> encode_message(const Message& m, const Dialect& d) {
  Writer w;
  w.u8(m.header.version);
  w.u8(m.header.type);
  w.u8(m.header.errno_value);
  w.u8(m.header.satype);
  auto len = w.reserve_u16_le();
  w.u16_le(0);  // sadb_msg_reserved
  w.u32_le(m.header.seq);
  w.u32_le(m.header.pid);
  if (auto st = put_all(w, m, d); !st) return fail(st.error());
  if (w.size() > kMaxBytes) return fail(ErrorCode::Malformed, "message of {} bytes exceeds sadb_msg_len", w.size());
  w.patch_u16_le(len, static_cast<std::uint16_t>(w.size() / 8));
  return w.take();
}

}  // namespace kernel::pfkey

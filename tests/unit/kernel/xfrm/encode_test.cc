// Byte-for-byte tests of the XFRM encoders against messages built from
// linux/xfrm.h structs (nl_builder.h). Algorithm names and ICV lengths
// follow the mapping of kernel/xfrm/algorithms.h (RFC 4106 §8.1 for the GCM
// salt, RFC 2404 for HMAC-SHA1-96, RFC 3948 for UDP encapsulation).
#include <catch2/catch.hpp>

#include <linux/udp.h>

#include <vector>

#include "core/crypto/transform_ids.h"
#include "kernel/xfrm/encode.h"
#include "tests/unit/kernel/xfrm/nl_builder.h"

using namespace core::ipsec;
using core::crypto::EncrId;
using core::crypto::IntegId;
using kernel::xfrm::NlMessage;
using xfrm_test::Msg;

namespace {

core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

std::vector<std::uint8_t> seq_bytes(std::uint8_t first, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

std::vector<std::uint8_t> bytes_of(const NlMessage& m) {
  return {m.bytes().begin(), m.bytes().end()};
}

constexpr std::uint16_t kReqAck = NLM_F_REQUEST | NLM_F_ACK;

}  // namespace

TEST_CASE("ESP tunnel SA with AES-CBC, HMAC-SHA1-96 and UDP encap encodes exactly", "[xfrm]") {
  auto enc_key = seq_bytes(0x10, 16);
  auto auth_key = seq_bytes(0x40, 20);
  SaSpec sa;
  sa.src = A("192.0.2.1");
  sa.dst = A("198.51.100.1");
  sa.spi = 0xc0ffee01;
  sa.proto = Proto::Esp;
  sa.mode = Mode::Tunnel;
  sa.reqid = 7;
  sa.enc = {EncrId::AesCbc, 128, enc_key};
  sa.integ = {IntegId::HmacSha1_96, 0, auth_key};
  sa.encap = Encap{4500, 4501};
  sa.lifetime.soft_seconds = 3000;
  sa.lifetime.hard_seconds = 3600;
  sa.lifetime.hard_bytes = 1u << 30;
  sa.mark = {0x10, 0xff};

  NlMessage m;
  REQUIRE(kernel::xfrm::encode_add_sa(m, sa, false));

  xfrm_usersa_info info;
  std::memset(&info, 0, sizeof(info));
  info.id.daddr = xfrm_test::xaddr("198.51.100.1");
  info.id.spi = htonl(0xc0ffee01);
  info.id.proto = IPPROTO_ESP;
  info.saddr = xfrm_test::xaddr("192.0.2.1");
  xfrm_test::infinite(info.lft);
  info.lft.hard_byte_limit = 1u << 30;
  info.lft.soft_add_expires_seconds = 3000;
  info.lft.hard_add_expires_seconds = 3600;
  info.family = AF_INET;
  info.mode = XFRM_MODE_TUNNEL;
  info.reqid = 7;
  info.replay_window = 32;
  info.flags = XFRM_STATE_AF_UNSPEC;
  xfrm_encap_tmpl encap;
  std::memset(&encap, 0, sizeof(encap));
  encap.encap_type = UDP_ENCAP_ESPINUDP;
  encap.encap_sport = htons(4500);
  encap.encap_dport = htons(4501);
  xfrm_mark mark{0x10, 0xff};
  auto crypt = xfrm_test::algo("cbc(aes)", enc_key);
  auto auth = xfrm_test::algo_sized("hmac(sha1)", 96, auth_key);
  auto want = Msg(XFRM_MSG_NEWSA, kReqAck)
                  .body(info)
                  .attr(XFRMA_ALG_CRYPT, crypt.data(), crypt.size())
                  .attr(XFRMA_ALG_AUTH_TRUNC, auth.data(), auth.size())
                  .attr(XFRMA_ENCAP, encap)
                  .attr(XFRMA_MARK, mark)
                  .bytes();
  CHECK(bytes_of(m) == want);

  // The same SA completing an ALLOCSPI reservation is an UPDSA.
  REQUIRE(kernel::xfrm::encode_add_sa(m, sa, true));
  want[4] = XFRM_MSG_UPDSA;
  CHECK(bytes_of(m) == want);
}

TEST_CASE("AEAD transport SA with ESN and a selector encodes exactly", "[xfrm]") {
  auto key = seq_bytes(0x80, 36);  // AES-256 key + 4-byte salt (RFC 4106 §8.1)
  SaSpec sa;
  sa.src = A("2001:db8::1");
  sa.dst = A("2001:db8::2");
  sa.spi = 0x1234;
  sa.mode = Mode::Transport;
  sa.reqid = 3;
  core::net::Selector s;
  s.src = P("2001:db8::1/128");
  s.dst = P("2001:db8::2/128");
  s.proto = core::net::proto::kUdp;
  s.dport = core::net::PortRange::single(4500);
  sa.selector = s;
  sa.enc = {EncrId::AesGcm16, 256, key};
  sa.esn = true;
  sa.replay_window = 128;

  NlMessage m;
  REQUIRE(kernel::xfrm::encode_add_sa(m, sa, false));

  xfrm_usersa_info info;
  std::memset(&info, 0, sizeof(info));
  info.sel = xfrm_test::sel("2001:db8::1", 128, "2001:db8::2", 128, IPPROTO_UDP, 0, 0, 4500,
                            0xffff);
  info.id.daddr = xfrm_test::xaddr("2001:db8::2");
  info.id.spi = htonl(0x1234);
  info.id.proto = IPPROTO_ESP;
  info.saddr = xfrm_test::xaddr("2001:db8::1");
  xfrm_test::infinite(info.lft);
  info.family = AF_INET6;
  info.mode = XFRM_MODE_TRANSPORT;
  info.reqid = 3;
  info.flags = XFRM_STATE_ESN;
  auto aead = xfrm_test::algo_sized("rfc4106(gcm(aes))", 128, key);
  std::vector<std::uint8_t> esn(sizeof(xfrm_replay_state_esn) + 16, 0);
  xfrm_replay_state_esn r;
  std::memset(&r, 0, sizeof(r));
  r.bmp_len = 4;
  r.replay_window = 128;
  std::memcpy(esn.data(), &r, sizeof(r));
  auto want = Msg(XFRM_MSG_NEWSA, kReqAck)
                  .body(info)
                  .attr(XFRMA_ALG_AEAD, aead.data(), aead.size())
                  .attr(XFRMA_REPLAY_ESN_VAL, esn.data(), esn.size())
                  .bytes();
  CHECK(bytes_of(m) == want);
}

TEST_CASE("Every mapped transform gets the kernel's name and ICV length", "[xfrm]") {
  struct Row {
    std::uint16_t id;
    bool integ;
    const char* name;
    std::uint16_t attr;
    unsigned bits;
  };
  // Table 1: IKEv2 transform ID -> crypto API name (IANA IKEv2 registry).
  const Row rows[] = {
      {EncrId::AesCbc, false, "cbc(aes)", XFRMA_ALG_CRYPT, 0},
      {EncrId::AesCtr, false, "rfc3686(ctr(aes))", XFRMA_ALG_CRYPT, 0},
      {EncrId::AesGcm8, false, "rfc4106(gcm(aes))", XFRMA_ALG_AEAD, 64},
      {EncrId::AesGcm12, false, "rfc4106(gcm(aes))", XFRMA_ALG_AEAD, 96},
      {EncrId::AesGcm16, false, "rfc4106(gcm(aes))", XFRMA_ALG_AEAD, 128},
      {EncrId::ChaCha20Poly1305, false, "rfc7539esp(chacha20,poly1305)", XFRMA_ALG_AEAD, 128},
      {EncrId::Des3, false, "cbc(des3_ede)", XFRMA_ALG_CRYPT, 0},
      {EncrId::Null, false, "ecb(cipher_null)", XFRMA_ALG_CRYPT, 0},
      {IntegId::HmacSha1_96, true, "hmac(sha1)", XFRMA_ALG_AUTH_TRUNC, 96},
      {IntegId::HmacSha2_256_128, true, "hmac(sha256)", XFRMA_ALG_AUTH_TRUNC, 128},
      {IntegId::HmacSha2_384_192, true, "hmac(sha384)", XFRMA_ALG_AUTH_TRUNC, 192},
      {IntegId::HmacSha2_512_256, true, "hmac(sha512)", XFRMA_ALG_AUTH_TRUNC, 256},
      {IntegId::AesXcbc96, true, "xcbc(aes)", XFRMA_ALG_AUTH_TRUNC, 96},
      {IntegId::AesCmac96, true, "cmac(aes)", XFRMA_ALG_AUTH_TRUNC, 96},
      {IntegId::HmacMd5_96, true, "hmac(md5)", XFRMA_ALG_AUTH_TRUNC, 96},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    SaSpec sa;
    sa.src = A("192.0.2.1");
    sa.dst = A("192.0.2.2");
    sa.spi = 0x1000;
    sa.proto = row.integ ? Proto::Ah : Proto::Esp;
    Algorithm alg{row.id, 0, seq_bytes(1, 20)};
    (row.integ ? sa.integ : sa.enc) = alg;
    NlMessage m;
    REQUIRE(kernel::xfrm::encode_add_sa(m, sa, false));
    auto all = bytes_of(m);
    std::size_t at = NLMSG_HDRLEN + sizeof(xfrm_usersa_info);
    REQUIRE(all.size() > at + 4 + 72);
    nlattr head;
    std::memcpy(&head, all.data() + at, sizeof(head));
    CHECK(head.nla_type == row.attr);
    std::string name(all.begin() + at + 4, all.begin() + at + 4 + 64);
    name.resize(name.find('\0'));
    CHECK(name == row.name);
    if (row.bits != 0) {
      unsigned icv = 0;
      std::memcpy(&icv, all.data() + at + 4 + 68, 4);
      CHECK(icv == row.bits);
    }
  }
}

TEST_CASE("Policy with a tunnel template encodes exactly", "[xfrm]") {
  PolicySpec p;
  p.selector.src = P("2001:db8:1::/64");
  p.selector.dst = P("2001:db8:2::/64");
  p.dir = Dir::Fwd;
  p.priority = 1000;
  p.templates.push_back(
      {Proto::Esp, Mode::Tunnel, A("2001:db8::a"), A("2001:db8::b"), 5, Level::Require});
  p.templates.push_back({Proto::Comp, Mode::Transport, {}, {}, 6, Level::Use});

  NlMessage m;
  REQUIRE(kernel::xfrm::encode_policy(m, p, false));

  xfrm_userpolicy_info info;
  std::memset(&info, 0, sizeof(info));
  info.sel = xfrm_test::sel("2001:db8:1::", 64, "2001:db8:2::", 64);
  xfrm_test::infinite(info.lft);
  info.priority = 1000;
  info.dir = XFRM_POLICY_FWD;
  info.action = XFRM_POLICY_ALLOW;
  xfrm_user_tmpl t[2];
  std::memset(t, 0, sizeof(t));
  t[0].id.daddr = xfrm_test::xaddr("2001:db8::b");
  t[0].id.proto = IPPROTO_ESP;
  t[0].family = AF_INET6;
  t[0].saddr = xfrm_test::xaddr("2001:db8::a");
  t[0].reqid = 5;
  t[0].mode = XFRM_MODE_TUNNEL;
  t[1].id.proto = IPPROTO_COMP;
  t[1].family = AF_INET6;
  t[1].reqid = 6;
  t[1].optional = 1;
  for (auto& x : t) x.aalgos = x.ealgos = x.calgos = ~0u;
  auto want = Msg(XFRM_MSG_NEWPOLICY, kReqAck).body(info).attr(XFRMA_TMPL, t).bytes();
  CHECK(bytes_of(m) == want);

  REQUIRE(kernel::xfrm::encode_policy(m, p, true));
  want[4] = XFRM_MSG_UPDPOLICY;
  CHECK(bytes_of(m) == want);
}

TEST_CASE("ICMPv6 and MH selectors put type and code in the port fields", "[xfrm]") {
  core::net::Selector icmp;
  icmp.src = P("2001:db8::1/128");
  icmp.dst = P("2001:db8::2/128");
  icmp.proto = core::net::proto::kIcmpv6;
  icmp.sport = core::net::PortRange::single(135);  // neighbour solicitation
  icmp.dport = core::net::PortRange::single(0);
  xfrm_selector got;
  REQUIRE(kernel::xfrm::encode_selector(icmp, got));
  auto want = xfrm_test::sel("2001:db8::1", 128, "2001:db8::2", 128, IPPROTO_ICMPV6, 135, 0xffff,
                             0, 0xffff);
  CHECK(std::memcmp(&got, &want, sizeof(got)) == 0);

  core::net::Selector mh = icmp;
  mh.proto = core::net::proto::kMh;
  mh.sport = core::net::PortRange::single(5);  // Binding Update (RFC 6275 §6.1.7)
  mh.dport = core::net::PortRange::any();
  REQUIRE(kernel::xfrm::encode_selector(mh, got));
  want = xfrm_test::sel("2001:db8::1", 128, "2001:db8::2", 128, 135, 5, 0xffff);
  CHECK(std::memcmp(&got, &want, sizeof(got)) == 0);

  core::net::Selector ports = icmp;
  ports.proto = core::net::proto::kTcp;
  ports.sport = {1024, 2047};
  ports.dport = {0, 65535};
  REQUIRE(kernel::xfrm::encode_selector(ports, got));
  want = xfrm_test::sel("2001:db8::1", 128, "2001:db8::2", 128, IPPROTO_TCP, 1024, 0xfc00);
  CHECK(std::memcmp(&got, &want, sizeof(got)) == 0);

  ports.sport = {1000, 2000};  // no port/mask pair expresses this
  auto bad = kernel::xfrm::encode_selector(ports, got);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == core::ErrorCode::Unsupported);
}

TEST_CASE("MIGRATE with KM address encodes exactly", "[xfrm]") {
  MigrateRequest req;
  req.selector.src = P("2001:db8:a::1/128");
  req.selector.dst = P("2001:db8:b::1/128");
  req.dir = Dir::Out;
  req.entries.push_back({Proto::Esp, Mode::Tunnel, 9, A("2001:db8:c::1"), A("2001:db8:d::1"),
                         A("2001:db8:e::1"), A("2001:db8:d::1")});
  req.old_km = KmAddress{A("2001:db8:c::1"), A("2001:db8:d::1")};
  req.new_km = KmAddress{A("2001:db8:e::1"), A("2001:db8:d::1")};

  NlMessage m;
  REQUIRE(kernel::xfrm::encode_migrate(m, req));

  xfrm_userpolicy_id id;
  std::memset(&id, 0, sizeof(id));
  id.sel = xfrm_test::sel("2001:db8:a::1", 128, "2001:db8:b::1", 128);
  id.dir = XFRM_POLICY_OUT;
  xfrm_user_migrate mig;
  std::memset(&mig, 0, sizeof(mig));
  mig.old_daddr = xfrm_test::xaddr("2001:db8:d::1");
  mig.old_saddr = xfrm_test::xaddr("2001:db8:c::1");
  mig.new_daddr = xfrm_test::xaddr("2001:db8:d::1");
  mig.new_saddr = xfrm_test::xaddr("2001:db8:e::1");
  mig.proto = IPPROTO_ESP;
  mig.mode = XFRM_MODE_TUNNEL;
  mig.reqid = 9;
  mig.old_family = mig.new_family = AF_INET6;
  xfrm_user_kmaddress km;
  std::memset(&km, 0, sizeof(km));
  km.local = xfrm_test::xaddr("2001:db8:e::1");
  km.remote = xfrm_test::xaddr("2001:db8:d::1");
  km.family = AF_INET6;
  auto want = Msg(XFRM_MSG_MIGRATE, kReqAck)
                  .body(id)
                  .attr(XFRMA_MIGRATE, mig)
                  .attr(XFRMA_KMADDRESS, km)
                  .bytes();
  CHECK(bytes_of(m) == want);
}

TEST_CASE("ALLOCSPI, DELSA and DELPOLICY requests encode exactly", "[xfrm]") {
  NlMessage m;
  REQUIRE(kernel::xfrm::encode_alloc_spi(m, A("192.0.2.1"), A("192.0.2.2"), Proto::Esp, 4,
                                         0x100, 0xffffffff));
  xfrm_userspi_info spi;
  std::memset(&spi, 0, sizeof(spi));
  spi.info.id.daddr = xfrm_test::xaddr("192.0.2.2");
  spi.info.id.proto = IPPROTO_ESP;
  spi.info.saddr = xfrm_test::xaddr("192.0.2.1");
  spi.info.family = AF_INET;
  spi.info.reqid = 4;
  spi.min = 0x100;
  spi.max = 0xffffffff;
  CHECK(bytes_of(m) == Msg(XFRM_MSG_ALLOCSPI, NLM_F_REQUEST).body(spi).bytes());

  REQUIRE(kernel::xfrm::encode_sa_id(m, XFRM_MSG_DELSA, SaId{A("192.0.2.2"), 0xabc, Proto::Ah}));
  xfrm_usersa_id said;
  std::memset(&said, 0, sizeof(said));
  said.daddr = xfrm_test::xaddr("192.0.2.2");
  said.spi = htonl(0xabc);
  said.family = AF_INET;
  said.proto = IPPROTO_AH;
  CHECK(bytes_of(m) == Msg(XFRM_MSG_DELSA, kReqAck).body(said).bytes());

  PolicyKey key;
  key.selector.src = P("192.0.2.0/24");
  key.selector.dst = P("198.51.100.0/24");
  key.dir = Dir::In;
  key.mark = {1, 0xffffffff};
  REQUIRE(kernel::xfrm::encode_policy_id(m, XFRM_MSG_DELPOLICY, key));
  xfrm_userpolicy_id pid;
  std::memset(&pid, 0, sizeof(pid));
  pid.sel = xfrm_test::sel("192.0.2.0", 24, "198.51.100.0", 24);
  pid.dir = XFRM_POLICY_IN;
  xfrm_mark mark{1, 0xffffffff};
  CHECK(bytes_of(m) ==
        Msg(XFRM_MSG_DELPOLICY, kReqAck).body(pid).attr(XFRMA_MARK, mark).bytes());
}

TEST_CASE("Values XFRM cannot express are refused before the kernel sees them", "[xfrm]") {
  NlMessage m;
  SaSpec sa;
  sa.src = A("192.0.2.1");
  sa.dst = A("2001:db8::1");
  CHECK(kernel::xfrm::encode_add_sa(m, sa, false).error().code == core::ErrorCode::InvalidSyntax);
  sa.dst = A("192.0.2.2");
  sa.enc = {999, 0, {}};
  CHECK(kernel::xfrm::encode_add_sa(m, sa, false).error().code == core::ErrorCode::Unsupported);
  sa.enc = {EncrId::AesCbc, 256, seq_bytes(0, 16)};  // 16 bytes is not AES-256
  CHECK(kernel::xfrm::encode_add_sa(m, sa, false).error().code == core::ErrorCode::InvalidSyntax);
  sa.enc = {EncrId::AesGcm16, 128, seq_bytes(0, 20)};
  sa.integ = {IntegId::HmacSha1_96, 0, seq_bytes(0, 20)};
  CHECK_FALSE(kernel::xfrm::encode_add_sa(m, sa, false));

  PolicySpec p;
  p.selector.src = P("192.0.2.0/24");
  p.selector.dst = P("198.51.100.0/24");
  CHECK_FALSE(kernel::xfrm::encode_policy(m, p, false));  // protect without template
  p.action = Action::Bypass;
  CHECK(kernel::xfrm::encode_policy(m, p, false));

  MigrateRequest req;
  req.selector = p.selector;
  CHECK_FALSE(kernel::xfrm::encode_migrate(m, req));  // no entries
}

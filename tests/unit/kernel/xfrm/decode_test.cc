// Decoding tests: kernel messages built from linux/xfrm.h structs in the
// layout net/xfrm/xfrm_user.c sends them (build_acquire, build_expire,
// xfrm_notify_policy, xfrm_send_migrate), encoder round trips, the bit-flip
// sweep over each decoder, and receive buffers holding several messages.
#include <catch2/catch.hpp>

#include <linux/udp.h>

#include <vector>

#include "bitflip.h"
#include "core/crypto/transform_ids.h"
#include "core/log/log.h"
#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/encode.h"
#include "tests/fuzz/kernel/xfrm_compare.h"
#include "tests/unit/kernel/xfrm/nl_builder.h"

using namespace core::ipsec;
using core::wire::Reader;
using kernel::xfrm::NlMessage;
using xfrm_test::Msg;

namespace {

core::net::Address A(const char* s) { return *core::net::Address::parse(s); }
core::net::Prefix P(const char* s) { return *core::net::Prefix::parse(s); }

xfrm_user_tmpl tmpl(std::uint8_t proto, const char* src, const char* dst, std::uint32_t reqid) {
  xfrm_user_tmpl t;
  std::memset(&t, 0, sizeof(t));
  t.id.proto = proto;
  t.id.daddr = xfrm_test::xaddr(dst);
  t.saddr = xfrm_test::xaddr(src);
  t.family = xfrm_test::fam(dst);
  t.reqid = reqid;
  t.mode = XFRM_MODE_TUNNEL;
  t.aalgos = t.ealgos = t.calgos = ~0u;
  return t;
}

// acquire_msg is what build_acquire() sends for a UDP packet 192.0.2.1:40000
// -> 192.0.2.2:9 hitting policy 0x69, whose second template has no SA.
std::vector<std::uint8_t> acquire_msg() {
  xfrm_user_acquire ua;
  std::memset(&ua, 0, sizeof(ua));
  ua.id.daddr = xfrm_test::xaddr("192.0.2.2");
  ua.id.proto = IPPROTO_ESP;
  ua.saddr = xfrm_test::xaddr("192.0.2.1");
  ua.sel = xfrm_test::sel("192.0.2.1", 32, "192.0.2.2", 32, IPPROTO_UDP, 40000, 0xffff, 9, 0xffff);
  ua.policy.sel = xfrm_test::sel("192.0.2.0", 24, "192.0.2.0", 24, IPPROTO_UDP);
  xfrm_test::infinite(ua.policy.lft);
  ua.policy.index = 0x69;
  ua.policy.dir = XFRM_POLICY_OUT;
  ua.aalgos = ua.ealgos = ua.calgos = ~0u;
  ua.seq = 1;
  xfrm_user_tmpl t[2] = {tmpl(IPPROTO_COMP, "192.0.2.1", "192.0.2.2", 6),
                         tmpl(IPPROTO_ESP, "192.0.2.1", "192.0.2.2", 7)};
  return Msg(XFRM_MSG_ACQUIRE, 0).body(ua).attr(XFRMA_TMPL, t).bytes();
}

std::vector<std::uint8_t> expire_msg(bool hard) {
  xfrm_user_expire ue;
  std::memset(&ue, 0, sizeof(ue));
  ue.state.id.daddr = xfrm_test::xaddr("2001:db8::2");
  ue.state.id.spi = htonl(0xc0de0001);
  ue.state.id.proto = IPPROTO_ESP;
  ue.state.saddr = xfrm_test::xaddr("2001:db8::1");
  ue.state.family = AF_INET6;
  ue.state.mode = XFRM_MODE_TUNNEL;
  ue.state.reqid = 11;
  ue.hard = hard ? 1 : 0;
  return Msg(XFRM_MSG_EXPIRE, 0).body(ue).bytes();
}

xfrm_user_migrate mig(const char* os, const char* od, const char* ns, const char* nd,
                      std::uint8_t proto, std::uint32_t reqid) {
  xfrm_user_migrate m;
  std::memset(&m, 0, sizeof(m));
  m.old_saddr = xfrm_test::xaddr(os);
  m.old_daddr = xfrm_test::xaddr(od);
  m.new_saddr = xfrm_test::xaddr(ns);
  m.new_daddr = xfrm_test::xaddr(nd);
  m.proto = proto;
  m.mode = XFRM_MODE_TUNNEL;
  m.reqid = reqid;
  m.old_family = xfrm_test::fam(od);
  m.new_family = xfrm_test::fam(nd);
  return m;
}

// migrate_msg is xfrm_send_migrate()'s broadcast: policy id, KM address,
// policy type, then one XFRMA_MIGRATE per entry (here a move from IPv6 to
// an IPv4 care-of address for the second entry).
std::vector<std::uint8_t> migrate_msg() {
  xfrm_userpolicy_id id;
  std::memset(&id, 0, sizeof(id));
  id.sel = xfrm_test::sel("2001:db8:a::1", 128, "2001:db8:b::1", 128);
  id.dir = XFRM_POLICY_OUT;
  xfrm_user_kmaddress km;
  std::memset(&km, 0, sizeof(km));
  km.local = xfrm_test::xaddr("2001:db8:e::1");
  km.remote = xfrm_test::xaddr("2001:db8:d::1");
  km.family = AF_INET6;
  xfrm_userpolicy_type type;
  std::memset(&type, 0, sizeof(type));
  type.type = XFRM_POLICY_TYPE_MAIN;
  return Msg(XFRM_MSG_MIGRATE, 0)
      .body(id)
      .attr(XFRMA_KMADDRESS, km)
      .attr(XFRMA_POLICY_TYPE, type)
      .attr(XFRMA_MIGRATE,
            mig("2001:db8:c::1", "2001:db8:d::1", "2001:db8:e::1", "2001:db8:d::1", IPPROTO_ESP, 9))
      .attr(XFRMA_MIGRATE, mig("2001:db8:c::1", "2001:db8:d::1", "198.51.100.7", "203.0.113.1",
                               IPPROTO_AH, 10))
      .bytes();
}

// delpolicy_msg is xfrm_notify_policy() for XFRM_MSG_DELPOLICY.
std::vector<std::uint8_t> delpolicy_msg(std::uint32_t pid = 0) {
  xfrm_userpolicy_id id;
  std::memset(&id, 0, sizeof(id));
  id.sel = xfrm_test::sel("192.0.2.0", 24, "198.51.100.0", 24);
  id.dir = XFRM_POLICY_IN;
  xfrm_userpolicy_info info;
  std::memset(&info, 0, sizeof(info));
  info.sel = id.sel;
  xfrm_test::infinite(info.lft);
  info.index = 0x4a;
  info.dir = XFRM_POLICY_IN;
  info.priority = 7;
  xfrm_user_tmpl t = tmpl(IPPROTO_ESP, "198.51.100.1", "192.0.2.1", 3);
  return Msg(XFRM_MSG_DELPOLICY, 0, 0, pid)
      .body(id)
      .attr(XFRMA_POLICY, info)
      .attr(XFRMA_TMPL, t)
      .bytes();
}

std::vector<std::uint8_t> payload_of(std::span<const std::uint8_t> msg) {
  return {msg.begin() + NLMSG_HDRLEN, msg.end()};
}

std::vector<std::uint8_t> encoded(const NlMessage& m) { return payload_of(m.bytes()); }

SaSpec sample_sa() {
  SaSpec sa;
  sa.src = A("192.0.2.1");
  sa.dst = A("198.51.100.1");
  sa.spi = 0xc0ffee01;
  sa.mode = Mode::Tunnel;
  sa.reqid = 7;
  sa.enc = {core::crypto::EncrId::AesCbc, 128, std::vector<std::uint8_t>(16, 0x11)};
  sa.integ = {core::crypto::IntegId::HmacSha2_256_128, 0, std::vector<std::uint8_t>(32, 0x22)};
  sa.encap = Encap{4500, 4500};
  sa.lifetime = {0, 1u << 30, 0, 0, 3000, 3600};
  sa.mark = {3, 0xff};
  return sa;
}

PolicySpec sample_policy() {
  PolicySpec p;
  p.selector.src = P("2001:db8::1/128");
  p.selector.dst = P("2001:db8::2/128");
  p.selector.proto = core::net::proto::kMh;
  p.selector.sport = core::net::PortRange::single(5);
  p.dir = Dir::Out;
  p.priority = 100;
  p.index = 0x1231;
  p.mark = {5, 0xf};
  p.templates.push_back({Proto::Esp, Mode::Transport, {}, {}, 12, Level::Unique});
  p.templates.push_back(
      {Proto::Ah, Mode::Tunnel, A("2001:db8::1"), A("2001:db8::9"), 13, Level::Use});
  return p;
}

// sweep runs the bit-flip sweep and checks that the decoder both rejects
// and accepts some mutants (a decoder that rejects everything, or nothing,
// is not checking what it reads).
template <typename Decode>
void sweep(const std::vector<std::uint8_t>& valid, Decode decode) {
  std::size_t accepted = 0, rejected = 0;
  auto n = testing::for_each_mutation(valid, [&](std::span<const std::uint8_t> m) {
    (decode(m) ? accepted : rejected)++;
  });
  CHECK(n == valid.size() * 9 + 1);
  CHECK(accepted > 0);
  CHECK(rejected > 0);
}

}  // namespace

TEST_CASE("ACQUIRE decodes into policy index, packet selector and template", "[xfrm]") {
  auto msg = acquire_msg();
  auto ev = kernel::xfrm::decode_acquire(Reader(payload_of(msg)));
  REQUIRE(ev);
  CHECK(ev->policy_index == 0x69);
  CHECK(ev->selector.src == P("192.0.2.1/32"));
  CHECK(ev->selector.dst == P("192.0.2.2/32"));
  CHECK(ev->selector.proto == core::net::proto::kUdp);
  CHECK(ev->selector.sport == core::net::PortRange::single(40000));
  CHECK(ev->selector.dport == core::net::PortRange::single(9));
  CHECK(ev->tmpl == Template{Proto::Esp, Mode::Tunnel, A("192.0.2.1"), A("192.0.2.2"), 7,
                             Level::Require});
  CHECK(ev->src == A("192.0.2.1"));
  CHECK(ev->dst == A("192.0.2.2"));
  CHECK_FALSE(ev->packet);
}

TEST_CASE("EXPIRE decodes soft and hard", "[xfrm]") {
  for (bool hard : {false, true}) {
    auto msg = expire_msg(hard);
    auto ev = kernel::xfrm::decode_expire(Reader(payload_of(msg)));
    REQUIRE(ev);
    CHECK(ev->sa == SaId{A("2001:db8::2"), 0xc0de0001, Proto::Esp});
    CHECK(ev->reqid == 11);
    CHECK(ev->hard == hard);
  }
}

TEST_CASE("MIGRATE broadcast decodes every entry and the KM address", "[xfrm]") {
  auto msg = migrate_msg();
  auto req = kernel::xfrm::decode_migrate(Reader(payload_of(msg)));
  REQUIRE(req);
  CHECK(req->selector.src == P("2001:db8:a::1/128"));
  CHECK(req->dir == Dir::Out);
  REQUIRE(req->entries.size() == 2);
  CHECK(req->entries[0] == MigrateEntry{Proto::Esp, Mode::Tunnel, 9, A("2001:db8:c::1"),
                                        A("2001:db8:d::1"), A("2001:db8:e::1"),
                                        A("2001:db8:d::1")});
  CHECK(req->entries[1].proto == Proto::Ah);
  CHECK(req->entries[1].new_src == A("198.51.100.7"));
  CHECK(req->entries[1].new_dst == A("203.0.113.1"));
  REQUIRE(req->new_km);
  CHECK(*req->new_km == KmAddress{A("2001:db8:e::1"), A("2001:db8:d::1")});
  CHECK_FALSE(req->old_km);

  // What encode_migrate sends decodes back to itself.
  NlMessage m;
  REQUIRE(kernel::xfrm::encode_migrate(m, *req));
  auto again = kernel::xfrm::decode_migrate(Reader(encoded(m)));
  REQUIRE(again);
  CHECK(xfrm_test::same(*again, *req));
}

TEST_CASE("Policy notifications decode into PolicyEvents", "[xfrm]") {
  auto msg = delpolicy_msg();
  kernel::xfrm::NlHeader h;
  h.type = XFRM_MSG_DELPOLICY;
  auto ev = kernel::xfrm::decode_event(h, Reader(payload_of(msg)));
  REQUIRE(ev);
  REQUIRE(*ev);
  const auto& pe = std::get<PolicyEvent>(**ev);
  CHECK(pe.kind == PolicyEvent::Kind::Deleted);
  CHECK(pe.policy.index == 0x4a);
  CHECK(pe.policy.dir == Dir::In);
  CHECK(pe.policy.action == Action::Protect);
  REQUIRE(pe.policy.templates.size() == 1);
  CHECK(pe.policy.templates[0].dst == A("192.0.2.1"));

  // POLEXPIRE: hard removes the policy (an event), soft does not.
  xfrm_user_polexpire pe_raw;
  std::memset(&pe_raw, 0, sizeof(pe_raw));
  pe_raw.pol.sel = xfrm_test::sel("192.0.2.0", 24, "198.51.100.0", 24);
  pe_raw.pol.dir = XFRM_POLICY_OUT;
  pe_raw.pol.action = XFRM_POLICY_BLOCK;
  pe_raw.hard = 1;
  h.type = XFRM_MSG_POLEXPIRE;
  auto hard = kernel::xfrm::decode_event(h, Reader(Msg(XFRM_MSG_POLEXPIRE, 0).body(pe_raw).payload()));
  REQUIRE(hard);
  REQUIRE(*hard);
  CHECK(std::get<PolicyEvent>(**hard).kind == PolicyEvent::Kind::Expired);
  CHECK(std::get<PolicyEvent>(**hard).policy.action == Action::Discard);
  pe_raw.hard = 0;
  auto soft = kernel::xfrm::decode_event(h, Reader(Msg(XFRM_MSG_POLEXPIRE, 0).body(pe_raw).payload()));
  REQUIRE(soft);
  CHECK_FALSE(*soft);
}

TEST_CASE("SAs and policies decode back to what was encoded", "[xfrm]") {
  NlMessage m;
  auto sa = sample_sa();
  REQUIRE(kernel::xfrm::encode_add_sa(m, sa, false));
  auto rec = kernel::xfrm::decode_sa(Reader(encoded(m)));
  REQUIRE(rec);
  CHECK(xfrm_test::same(rec->info.spec, sa));

  SaSpec aead;
  aead.src = A("2001:db8::1");
  aead.dst = A("2001:db8::2");
  aead.spi = 9;
  aead.enc = {core::crypto::EncrId::ChaCha20Poly1305, 0, std::vector<std::uint8_t>(36, 7)};
  aead.esn = true;
  aead.replay_window = 1024;
  core::net::Selector s;
  s.src = P("2001:db8::1/128");
  s.dst = P("2001:db8::2/128");
  aead.selector = s;
  REQUIRE(kernel::xfrm::encode_add_sa(m, aead, false));
  rec = kernel::xfrm::decode_sa(Reader(encoded(m)));
  REQUIRE(rec);
  CHECK(xfrm_test::same(rec->info.spec, aead));
  CHECK(rec->replay_type == XFRMA_REPLAY_ESN_VAL);

  auto p = sample_policy();
  REQUIRE(kernel::xfrm::encode_policy(m, p, false));
  auto got = kernel::xfrm::decode_policy(Reader(encoded(m)));
  REQUIRE(got);
  CHECK(xfrm_test::same(*got, p));
  CHECK(got->templates[0].level == Level::Unique);
  CHECK(got->templates[1].level == Level::Use);
}

TEST_CASE("Netlink error messages carry errno and the extended-ack text", "[xfrm]") {
  // struct nlmsgerr with NLM_F_CAPPED | NLM_F_ACK_TLVS, as the kernel
  // answers a capped request when NETLINK_EXT_ACK is on.
  nlmsgerr e;
  std::memset(&e, 0, sizeof(e));
  e.error = -EPROTONOSUPPORT;
  e.msg.nlmsg_len = 300;
  e.msg.nlmsg_type = XFRM_MSG_NEWSA;
  e.msg.nlmsg_seq = 77;
  const char text[] = "Requested type not found";
  auto msg = Msg(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 77)
                 .body(e)
                 .attr(NLMSGERR_ATTR_MSG, text, sizeof(text))
                 .bytes();
  kernel::xfrm::NlHeader h;
  Reader stream(msg), payload;
  REQUIRE(kernel::xfrm::next_message(stream, h, payload));
  auto err = kernel::xfrm::decode_error(h, payload);
  REQUIRE(err);
  CHECK(err->error == EPROTONOSUPPORT);
  CHECK(err->seq == 77);
  CHECK(err->message == "Requested type not found");
  auto ke = kernel::xfrm::kernel_error("add SA esp spi 0x00000100 dst 192.0.2.2", err->error,
                                       err->message);
  CHECK(ke.code == core::ErrorCode::Kernel);
  CHECK(ke.detail ==
        "add SA esp spi 0x00000100 dst 192.0.2.2: Requested type not found (Protocol not "
        "supported)");
}

TEST_CASE("Bit-flip sweep over every XFRM decoder", "[xfrm][bitflip]") {
  // Thousands of mutants are each logged at Warn by decode_stream.
  auto level = core::log::level();
  core::log::set_level(core::log::Level::Error);
  auto on_payload = [](auto decode) {
    return [decode](std::span<const std::uint8_t> m) { return bool(decode(Reader(m))); };
  };
  sweep(payload_of(acquire_msg()), on_payload(kernel::xfrm::decode_acquire));
  sweep(payload_of(expire_msg(true)), on_payload(kernel::xfrm::decode_expire));
  sweep(payload_of(migrate_msg()), on_payload(kernel::xfrm::decode_migrate));
  sweep(payload_of(delpolicy_msg()), on_payload([](Reader r) {
          return kernel::xfrm::decode_policy_event(XFRM_MSG_DELPOLICY, r);
        }));
  xfrm_user_polexpire pe;
  std::memset(&pe, 0, sizeof(pe));
  pe.pol.sel = xfrm_test::sel("192.0.2.0", 24, "198.51.100.0", 24);
  pe.hard = 1;
  xfrm_user_tmpl t = tmpl(IPPROTO_ESP, "198.51.100.1", "192.0.2.1", 3);
  sweep(Msg(XFRM_MSG_POLEXPIRE, 0).body(pe).attr(XFRMA_TMPL, t).payload(),
        on_payload([](Reader r) { return kernel::xfrm::decode_policy_event(XFRM_MSG_POLEXPIRE, r); }));
  NlMessage m;
  REQUIRE(kernel::xfrm::encode_add_sa(m, sample_sa(), false));
  sweep(encoded(m), on_payload(kernel::xfrm::decode_sa));
  REQUIRE(kernel::xfrm::encode_policy(m, sample_policy(), false));
  sweep(encoded(m), on_payload(kernel::xfrm::decode_policy));

  // The stream decoder over several messages never loses count.
  std::vector<std::uint8_t> all = acquire_msg();
  for (auto part : {expire_msg(false), migrate_msg()}) all.insert(all.end(), part.begin(), part.end());
  testing::for_each_mutation(all, [](std::span<const std::uint8_t> b) {
    auto stats = kernel::xfrm::decode_stream(b, 0, [](const KernelEvent&) {});
    CHECK(stats.events + stats.skipped + stats.ignored <= 3);
  });
  core::log::set_level(level);
}

TEST_CASE("A malformed message in the middle of a buffer costs only itself", "[xfrm]") {
  // The middle EXPIRE keeps its framing but its struct is cut short (the
  // netlink length says 40 bytes of payload, xfrm_user_expire needs 232).
  auto bad = expire_msg(true);
  bad.resize(NLMSG_HDRLEN + 40);
  std::uint32_t len = static_cast<std::uint32_t>(bad.size());
  std::memcpy(bad.data(), &len, 4);
  // A second bad one: an attribute whose length runs past its message.
  auto bad_attr = migrate_msg();
  std::uint16_t huge = 0x7ff0;
  std::memcpy(bad_attr.data() + NLMSG_HDRLEN + sizeof(xfrm_userpolicy_id), &huge, 2);

  std::vector<std::uint8_t> buf = acquire_msg();
  for (auto part : {bad, bad_attr, migrate_msg(), expire_msg(false)})
    buf.insert(buf.end(), part.begin(), part.end());

  std::vector<KernelEvent> got;
  auto stats = kernel::xfrm::decode_stream(buf, 0, [&](const KernelEvent& e) { got.push_back(e); });
  CHECK(stats.skipped == 2);
  CHECK(stats.events == 3);
  CHECK_FALSE(stats.truncated);
  REQUIRE(got.size() == 3);
  CHECK(std::holds_alternative<AcquireEvent>(got[0]));
  CHECK(std::holds_alternative<MigrateEvent>(got[1]));
  CHECK(std::get<ExpireEvent>(got[2]).hard == false);

  // Broken framing (a length past the end) ends the buffer, keeping what
  // came before it.
  auto tail = acquire_msg();
  std::uint32_t past = static_cast<std::uint32_t>(tail.size() + 100);
  std::memcpy(tail.data(), &past, 4);
  std::vector<std::uint8_t> framed = migrate_msg();
  framed.insert(framed.end(), tail.begin(), tail.end());
  got.clear();
  stats = kernel::xfrm::decode_stream(framed, 0, [&](const KernelEvent& e) { got.push_back(e); });
  CHECK(stats.truncated);
  CHECK(got.size() == 1);
}

TEST_CASE("Our own policy notifications are not reported back", "[xfrm]") {
  auto buf = delpolicy_msg(4242);
  auto other = delpolicy_msg(0);
  buf.insert(buf.end(), other.begin(), other.end());
  std::size_t n = 0;
  auto stats = kernel::xfrm::decode_stream(buf, 4242, [&](const KernelEvent&) { ++n; });
  CHECK(n == 1);
  CHECK(stats.ignored == 1);
}

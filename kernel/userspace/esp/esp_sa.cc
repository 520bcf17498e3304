// kernel/userspace/esp/esp_sa.cc — ESP packet processing (RFC 4303) for the
// userspace data plane: seal and open one packet of one SA.
//
// RFC 4303 §2.1, the ESP packet. The IV, when the transform has one, opens
// the Payload Data; an AEAD's ICV (RFC 4106 §6, RFC 7634 §2) sits where the
// integrity ICV does. With ESN the high 32 bits of the sequence number are
// not sent but authenticated: appended after the Next Header for the ICV
// (§2.2.1, §3.3.2.1), inside the AAD for AEAD (RFC 4106 §5).
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ----
//   |               Security Parameters Index (SPI)                 | ^Int.
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
//   |                      Sequence Number                          | |ered
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | ----
//   |                    Payload Data* (variable)                   | |   ^
//   ~                                                               ~ |   |
//   |                                                               | |Conf.
//   +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
//   |               |     Padding (0-255 bytes)                     | |ered*
//   +-+-+-+-+-+-+-+-+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |   |
//   |                               |  Pad Length   | Next Header   | v   v
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ------
//   |         Integrity Check Value-ICV   (variable)                |
//   ~                                                               ~
//   |                                                               |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// IVs. GCM, CTR and ChaCha20-Poly1305 need a unique 8-byte IV per key: it is
// the 64-bit sequence number (RFC 4106 §3.1, RFC 3686 §3, RFC 7634 §2 allow a
// counter), which never repeats under one SA. CBC needs unpredictable IVs
// (RFC 3602 §3): the IV is the sequence number encrypted with the SA's own
// key, E_K(0..0 | seq), NIST SP 800-38A Appendix C's first method; it costs
// one block cipher call instead of a CSPRNG call per packet.
#include "kernel/userspace/esp/esp_sa.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "core/crypto/aead.h"
#include "core/crypto/cipher.h"
#include "core/crypto/integ.h"
#include "core/crypto/secure_buffer.h"
#include "core/log/log.h"
#include "core/wire/reader.h"
#include "kernel/userspace/esp/replay_window.h"

namespace kernel::userspace {

namespace crypto = core::crypto;
using core::ErrorCode;
using core::fail;

namespace {

constexpr std::size_t kHeader = 8;   // SPI + Sequence Number
constexpr std::size_t kTrailer = 2;  // Pad Length + Next Header
constexpr std::size_t kMaxIv = 16;   // AES-CBC

// put_u32 stores big-endian. seal writes straight into the caller's buffer
// (core::wire::Writer owns its vector, which would cost an allocation per
// packet); every position is inside the size computed before the resize.
void put_u32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

void put_u64(std::uint8_t* p, std::uint64_t v) {
  put_u32(p, static_cast<std::uint32_t>(v >> 32));
  put_u32(p + 4, static_cast<std::uint32_t>(v));
}

void wipe(core::ipsec::Algorithm& a) {
  crypto::cleanse(a.key.data(), a.key.size());
  a.key.clear();
  a.key.shrink_to_fit();
}

tl::unexpected<core::Error> with_spi(std::uint32_t spi, core::Error e) {
  e.detail = fmt::format("ESP SA {:08x}: {}", spi, e.detail);
  return tl::unexpected(std::move(e));
}

}  // namespace

std::string_view esp_drop_name(EspDrop d) {
  switch (d) {
    case EspDrop::Malformed: return "malformed";
    case EspDrop::Replay: return "replay";
    case EspDrop::Integrity: return "integrity";
    case EspDrop::Padding: return "padding";
    case EspDrop::Expired: return "expired";
  }
  return "unknown";
}

struct EspSa::Impl {
  explicit Impl(std::uint32_t replay_window) : window(replay_window) {}

  core::Status seal(std::span<const std::uint8_t> payload, std::uint8_t next_header,
                    std::vector<std::uint8_t>& out);
  tl::expected<Decapsulated, EspDrop> open(std::span<std::uint8_t> esp);

  // aad is SPI | seq (RFC 4106 §5), or SPI | seq high | seq low with ESN.
  std::span<const std::uint8_t> aad(std::uint64_t seq, std::array<std::uint8_t, 12>& buf) const;
  core::Status make_iv(std::uint64_t seq, std::span<std::uint8_t> iv);
  // account counts one packet of bytes payload and notes limits it crosses.
  void account(std::size_t bytes);
  tl::unexpected<EspDrop> drop(EspDrop d, std::uint32_t seq_lo);

  core::ipsec::SaSpec spec;  // keys wiped
  std::unique_ptr<crypto::AeadKey> aead;
  std::unique_ptr<crypto::CipherKey> cipher;  // non-AEAD, ENCR_NULL included
  std::unique_ptr<crypto::IntegKey> integ;    // null: no integrity transform
  std::size_t iv_size = 0;
  std::size_t block = 1;  // ciphertext must be a multiple (CBC)
  std::size_t align = 4;  // payload + padding + trailer alignment (§2.4)
  std::size_t icv_size = 0;
  bool encrypted_iv = false;  // CBC: IV = E_K(seq)
  ReplayWindow window;
  std::uint64_t seq_out = 0;
  EspCounters counters;
  LimitHit pending;
  bool soft_hit = false, hard_hit = false;
  std::array<std::uint8_t, kMaxIv> forced_iv{};
  bool iv_forced = false;
};

std::span<const std::uint8_t> EspSa::Impl::aad(std::uint64_t seq,
                                               std::array<std::uint8_t, 12>& buf) const {
  put_u32(buf.data(), spec.spi);
  if (!spec.esn) {
    put_u32(buf.data() + 4, static_cast<std::uint32_t>(seq));
    return std::span(buf).first(8);
  }
  put_u64(buf.data() + 4, seq);
  return buf;
}

core::Status EspSa::Impl::make_iv(std::uint64_t seq, std::span<std::uint8_t> iv) {
  if (iv_forced) {
    std::memcpy(iv.data(), forced_iv.data(), iv.size());
    iv_forced = false;
    return core::ok();
  }
  if (iv.empty()) return core::ok();
  if (!encrypted_iv) {  // GCM, CTR, ChaCha20: the 8-byte counter
    put_u64(iv.data(), seq);
    return core::ok();
  }
  // CBC: one block, zero IV, so the output is E_K(0..0 | seq).
  std::array<std::uint8_t, kMaxIv> counter{}, zero{};
  put_u64(counter.data() + iv.size() - 8, seq);
  return cipher->encrypt(std::span(zero).first(iv.size()), std::span(counter).first(iv.size()), iv);
}

core::Status EspSa::Impl::seal(std::span<const std::uint8_t> payload, std::uint8_t next_header,
                               std::vector<std::uint8_t>& out) {
  if (hard_hit) return fail(ErrorCode::State, "ESP SA {:08x}: hard lifetime reached", spec.spi);
  // RFC 4303 §3.3.3: the counter never cycles; a new SA takes over.
  const std::uint64_t last = spec.esn ? UINT64_MAX : UINT32_MAX;
  if (seq_out >= last)
    return fail(ErrorCode::State, "ESP SA {:08x}: sequence number exhausted", spec.spi);
  // The number is spent before any crypto runs, so a failure below can
  // never lead to an IV being used twice.
  const std::uint64_t seq = ++seq_out;

  // RFC 4303 §2.4: pad so payload + padding + trailer fills whole cipher
  // blocks and ends on a 4-byte boundary; padding bytes are 1, 2, 3, ...
  const std::size_t padded = (payload.size() + kTrailer + align - 1) / align * align;
  const std::size_t pad = padded - payload.size() - kTrailer;
  const std::size_t body = kHeader + iv_size;
  out.resize(body + padded + icv_size);
  put_u32(out.data(), spec.spi);
  put_u32(out.data() + 4, static_cast<std::uint32_t>(seq));
  const auto iv = std::span(out).subspan(kHeader, iv_size);
  if (auto s = make_iv(seq, iv); !s) return with_spi(spec.spi, s.error());
  const auto plain = std::span(out).subspan(body, padded);
  if (!payload.empty()) std::memcpy(plain.data(), payload.data(), payload.size());
  for (std::size_t i = 0; i < pad; ++i)
    plain[payload.size() + i] = static_cast<std::uint8_t>(i + 1);
  plain[padded - 2] = static_cast<std::uint8_t>(pad);
  plain[padded - 1] = next_header;

  if (aead) {
    std::array<std::uint8_t, 12> buf;
    if (auto s = aead->seal(iv, aad(seq, buf), plain, std::span(out).subspan(body)); !s)
      return with_spi(spec.spi, s.error());
  } else {
    if (auto s = cipher->encrypt(iv, plain, plain); !s) return with_spi(spec.spi, s.error());
    if (integ) {
      const auto covered = std::span<const std::uint8_t>(out).first(body + padded);
      const auto icv = std::span(out).subspan(body + padded);
      std::array<std::uint8_t, 4> hi;
      put_u32(hi.data(), static_cast<std::uint32_t>(seq >> 32));
      auto s = spec.esn ? integ->compute({covered, hi}, icv) : integ->compute(covered, icv);
      if (!s) return with_spi(spec.spi, s.error());
    }
  }
  account(payload.size());
  return core::ok();
}

tl::expected<Decapsulated, EspDrop> EspSa::Impl::open(std::span<std::uint8_t> esp) {
  if (hard_hit) {
    ++counters.expired_dropped;
    return tl::unexpected(EspDrop::Expired);
  }
  core::wire::Reader r(esp);
  std::uint32_t spi = 0, seq_lo = 0;
  std::span<const std::uint8_t> iv;
  // The Payload Data holds at least the trailer, and CBC whole blocks.
  if (!r.u32(spi) || !r.u32(seq_lo) || !r.bytes(iv_size, iv) ||
      r.remaining() < icv_size + kTrailer)
    return drop(EspDrop::Malformed, seq_lo);
  // The caller found this SA by SPI; anything else is its bug or a forgery
  // that only the ICV would otherwise catch (and NULL/NULL would not).
  if (spi != spec.spi) return drop(EspDrop::Malformed, seq_lo);
  const std::size_t body = kHeader + iv_size;
  const std::size_t len = r.remaining() - icv_size;
  if (len % block != 0) return drop(EspDrop::Malformed, seq_lo);

  // RFC 4303 §3.4.3: duplicates and packets left of the window are refused
  // before the (expensive) ICV check; the window itself moves only after.
  const auto seq = window.infer(seq_lo, spec.esn);
  if (!seq || !window.check(*seq)) return drop(EspDrop::Replay, seq_lo);

  const auto plain = esp.subspan(body, len);
  if (aead) {
    std::array<std::uint8_t, 12> buf;
    if (!aead->open(iv, aad(*seq, buf), esp.subspan(body, len + icv_size), plain))
      return drop(EspDrop::Integrity, seq_lo);
  } else {
    if (integ) {
      const auto covered = std::span<const std::uint8_t>(esp).first(body + len);
      const auto icv = std::span<const std::uint8_t>(esp).subspan(body + len, icv_size);
      std::array<std::uint8_t, 4> hi;
      put_u32(hi.data(), static_cast<std::uint32_t>(*seq >> 32));
      const bool good = spec.esn ? integ->verify({covered, hi}, icv) : integ->verify(covered, icv);
      if (!good) return drop(EspDrop::Integrity, seq_lo);
    }
    // Lengths and IV size were checked above; this cannot fail on input.
    if (!cipher->decrypt(iv, plain, plain)) return drop(EspDrop::Malformed, seq_lo);
  }
  window.accept(*seq);

  // RFC 4303 §2.4-§2.6: the trailer, then the padding checked as the
  // default monotonic sequence the sender must use without other rules.
  const std::uint8_t next_header = plain[len - 1];
  const std::size_t pad = plain[len - 2];
  if (pad + kTrailer > len) return drop(EspDrop::Padding, seq_lo);
  const std::size_t inner = len - kTrailer - pad;
  for (std::size_t i = 0; i < pad; ++i)
    if (plain[inner + i] != static_cast<std::uint8_t>(i + 1)) return drop(EspDrop::Padding, seq_lo);
  account(inner);
  return Decapsulated{next_header, plain.first(inner), *seq};
}

void EspSa::Impl::account(std::size_t bytes) {
  counters.bytes += bytes;
  counters.packets += 1;
  const auto& lt = spec.lifetime;
  auto reached = [](std::uint64_t limit, std::uint64_t v) { return limit != 0 && v >= limit; };
  if (!soft_hit && (reached(lt.soft_bytes, counters.bytes) || reached(lt.soft_packets, counters.packets))) {
    soft_hit = pending.soft = true;
    KLOG(Knl, Info, "ESP SA {:08x}: soft lifetime reached ({} bytes, {} packets)", spec.spi,
         counters.bytes, counters.packets);
  }
  if (!hard_hit && (reached(lt.hard_bytes, counters.bytes) || reached(lt.hard_packets, counters.packets))) {
    hard_hit = pending.hard = true;
    KLOG(Knl, Info, "ESP SA {:08x}: hard lifetime reached ({} bytes, {} packets)", spec.spi,
         counters.bytes, counters.packets);
  }
}

tl::unexpected<EspDrop> EspSa::Impl::drop(EspDrop d, std::uint32_t seq_lo) {
  switch (d) {
    case EspDrop::Malformed: ++counters.malformed; break;
    case EspDrop::Replay: ++counters.replay_dropped; break;
    case EspDrop::Integrity: ++counters.integrity_failed; break;
    case EspDrop::Padding: ++counters.padding_bad; break;
    case EspDrop::Expired: ++counters.expired_dropped; break;
  }
  KLOG(Knl, Debug, "ESP SA {:08x}: dropped seq {} ({})", spec.spi, seq_lo, esp_drop_name(d));
  return tl::unexpected(d);
}

core::Result<std::unique_ptr<EspSa>> EspSa::create(const core::ipsec::SaSpec& spec) {
  if (spec.proto != core::ipsec::Proto::Esp)
    return fail(ErrorCode::Unsupported, "SA {:08x}: {} is not ESP", spec.spi,
                core::ipsec::proto_name(spec.proto));
  const crypto::CipherInfo* info = crypto::cipher_info(spec.enc.id);
  if (info == nullptr)
    return fail(ErrorCode::Unsupported, "ESP SA {:08x}: encryption transform {} not supported",
                spec.spi, spec.enc.id);
  if (spec.enc.key_bits != 0 && spec.enc.key.size() != info->keymat_size(spec.enc.key_bits))
    return fail(ErrorCode::InvalidSyntax, "ESP SA {:08x}: {} key of {} bytes for {} bits",
                spec.spi, info->name, spec.enc.key.size(), spec.enc.key_bits);

  auto impl = std::make_unique<Impl>(spec.replay_window);
  if (info->aead) {
    // RFC 4303 §3.2 / RFC 7296 §3.3: a combined-mode cipher has no separate
    // integrity transform.
    if (spec.integ.id != 0)
      return fail(ErrorCode::InvalidSyntax, "ESP SA {:08x}: {} with integrity transform {}",
                  spec.spi, info->name, spec.integ.id);
    auto key = crypto::AeadKey::create(spec.enc.id, spec.enc.key);
    if (!key) return with_spi(spec.spi, key.error());
    impl->aead = std::move(*key);
    impl->icv_size = impl->aead->icv_size();
  } else {
    auto key = crypto::CipherKey::create(spec.enc.id, spec.enc.key);
    if (!key) return with_spi(spec.spi, key.error());
    impl->cipher = std::move(*key);
    // Integrity NONE is allowed: RFC 4303 §3.2 permits confidentiality-only
    // SAs (and NULL/NONE serves tests); IKEv2 policy decides what to accept.
    if (spec.integ.id != 0) {
      auto integ = crypto::IntegKey::create(spec.integ.id, spec.integ.key);
      if (!integ) return with_spi(spec.spi, integ.error());
      impl->integ = std::move(*integ);
      impl->icv_size = impl->integ->icv_size();
    }
    impl->encrypted_iv = info->block_size > 1;
  }
  impl->iv_size = info->iv_size;
  impl->block = info->block_size;
  impl->align = std::max<std::size_t>(info->block_size, 4);
  impl->spec = spec;
  wipe(impl->spec.enc);
  wipe(impl->spec.integ);
  KLOG(Knl, Diag, "ESP SA {:08x} keyed: {} + {}, ESN {}, replay window {}", spec.spi, info->name,
       impl->integ ? impl->integ->info().name : std::string_view("none"), spec.esn ? "on" : "off",
       impl->window.size());
  return std::unique_ptr<EspSa>(new EspSa(std::move(impl)));
}

EspSa::EspSa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EspSa::~EspSa() = default;

const core::ipsec::SaSpec& EspSa::spec() const { return impl_->spec; }

core::Status EspSa::seal(std::span<const std::uint8_t> payload, std::uint8_t next_header,
                         std::vector<std::uint8_t>& out) {
  return impl_->seal(payload, next_header, out);
}

tl::expected<Decapsulated, EspDrop> EspSa::open(std::span<std::uint8_t> esp) {
  return impl_->open(esp);
}

LimitHit EspSa::take_limit_hit() { return std::exchange(impl_->pending, LimitHit{}); }

const EspCounters& EspSa::counters() const { return impl_->counters; }
std::uint64_t EspSa::last_seq_out() const { return impl_->seq_out; }
std::uint64_t EspSa::replay_top() const { return impl_->window.top(); }
std::uint32_t EspSa::replay_window_size() const { return impl_->window.size(); }

core::Status EspSa::restore_sequence_numbers(std::uint64_t last_seq_out, std::uint64_t replay_top) {
  const std::uint32_t spi = impl_->spec.spi;
  if (last_seq_out < impl_->seq_out)
    return fail(ErrorCode::State, "ESP SA {:08x}: sequence number {} below {} already sent", spi,
                last_seq_out, impl_->seq_out);
  if (!impl_->spec.esn && (last_seq_out > UINT32_MAX || replay_top > UINT32_MAX))
    return fail(ErrorCode::InvalidSyntax, "ESP SA {:08x}: 64-bit sequence number without ESN", spi);
  impl_->seq_out = last_seq_out;
  impl_->window.reset_to(replay_top);
  return core::ok();
}

core::Status EspSa::use_iv_once_for_test(std::span<const std::uint8_t> iv) {
  if (iv.empty() || iv.size() != impl_->iv_size)
    return fail(ErrorCode::InvalidSyntax, "ESP SA {:08x}: IV of {} bytes, transform uses {}",
                impl_->spec.spi, iv.size(), impl_->iv_size);
  std::memcpy(impl_->forced_iv.data(), iv.data(), iv.size());
  impl_->iv_forced = true;
  return core::ok();
}

}  // namespace kernel::userspace

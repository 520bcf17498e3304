// kernel/userspace/esp/esp_sa.h — one ESP security association of the userspace
// data plane (RFC 4303): keys, sequence numbers, the anti-replay window and
// counters. Packet in, packet out; no sockets, no clock.
//
//   auto sa = EspSa::create(spec).value();        // spec as IKEv2 negotiated it
//   std::vector<std::uint8_t> out;
//   sa->seal(inner_packet, next_header, out);     // out = SPI|seq|IV|ct|ICV
//   auto r = sa->open(esp);                       // verify, replay-check, decrypt
//   if (!r) count(r.error()); else deliver(r->next_header, r->inner);
//
// Algorithms are IKEv2 transform IDs as in core::ipsec::SaSpec: AES-GCM-8/12/16
// (RFC 4106), ChaCha20-Poly1305 (RFC 7634), AES-CBC and AES-CTR (RFC 3686)
// with HMAC-SHA1-96 / HMAC-SHA2-256-128 / -384-192 / -512-256 / AES-XCBC-96 /
// AES-CMAC-96, and NULL encryption (with an integrity transform, or alone for
// tests). Sequence numbers are 64-bit when spec.esn (RFC 4303 §2.2.1: the
// high half is authenticated but not sent). An EspSa keeps one keyed EVP
// context per transform and is not thread-safe: one thread per SA.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/ipsec/types.h"
#include "core/result.h"

namespace kernel::userspace {

// EspDrop says why an inbound packet was dropped; each has its own counter.
enum class EspDrop : std::uint8_t {
  Malformed,   // shorter than SPI+seq+IV+ICV, or ciphertext not block-aligned
  Replay,      // sequence number already seen or left of the window
  Integrity,   // ICV (or AEAD tag) did not verify
  Padding,     // pad length beyond the payload or pad bytes not 1,2,3,...
  Expired,     // the SA reached its hard byte/packet limit
};

std::string_view esp_drop_name(EspDrop d);

// Decapsulated is the result of a successful open: views into the packet
// that was passed in (valid as long as it is). In tunnel mode inner may end
// with TFC padding (RFC 4303 §2.7): take the length from the inner IP
// header. Next header 59 is a dummy packet the caller must discard
// (RFC 4303 §2.6).
struct Decapsulated {
  std::uint8_t next_header = 0;           // 4 = IPv4, 41 = IPv6 (tunnel), else transport
  std::span<const std::uint8_t> inner;    // the payload without ESP trailer
  std::uint64_t seq = 0;                  // full (ESN-expanded) sequence number
};

// EspCounters is what kagictl status and the SaInfo report.
struct EspCounters {
  std::uint64_t bytes = 0, packets = 0;   // of inner payloads, accepted or sent
  std::uint64_t replay_dropped = 0, integrity_failed = 0, malformed = 0, padding_bad = 0;
  std::uint64_t expired_dropped = 0;      // opens refused after the hard limit
};

// LimitHit says whether an operation crossed a lifetime limit (bytes or
// packets) of the SaSpec for the first time, so the owner raises one soft or
// hard expire event.
struct LimitHit {
  bool soft = false, hard = false;
};

class EspSa {
 public:
  // create keys the SA. Fails with Unsupported for an algorithm it does not
  // carry or a protocol other than ESP, InvalidSyntax for a wrong key length
  // or an integrity transform next to an AEAD cipher (RFC 4303 §3.2).
  static core::Result<std::unique_ptr<EspSa>> create(const core::ipsec::SaSpec& spec);
  ~EspSa();

  // spec is the SA as installed, with its key material wiped.
  const core::ipsec::SaSpec& spec() const;

  // seal builds one ESP packet (SPI | seq | IV | encrypted payload, padding,
  // pad length, next header | ICV) for payload into out (resized; capacity
  // is reused between calls; payload must not view out). Fails with State
  // once the sequence number would wrap (RFC 4303 §3.3.3) or the hard limit
  // was reached; a failed seal still spends its sequence number.
  core::Status seal(std::span<const std::uint8_t> payload, std::uint8_t next_header,
                    std::vector<std::uint8_t>& out);

  // open verifies and decrypts one ESP packet in place (esp starts at the
  // SPI). The replay window moves only after the ICV verified (RFC 4303
  // §3.4.3).
  tl::expected<Decapsulated, EspDrop> open(std::span<std::uint8_t> esp);

  // take_limit_hit reports (once) a soft or hard limit crossed since the last call.
  LimitHit take_limit_hit();

  const EspCounters& counters() const;
  std::uint64_t last_seq_out() const;

  // replay_top is the highest sequence number accepted by open (0 before any).
  std::uint64_t replay_top() const;
  // replay_window_size is the effective window in packets (spec.replay_window
  // clamped to 32..4096 and rounded up to 64-bit words; 0 when off).
  std::uint32_t replay_window_size() const;

  // restore_sequence_numbers sets the outbound counter (the next seal uses
  // last_seq_out + 1) and resets the replay window to end at replay_top, for
  // an SA whose state is carried over (XFRM's replay state does the same)
  // and for tests near 2^32 and 2^64. Fails with State if last_seq_out is
  // below last_seq_out(): the IVs of GCM, CTR and ChaCha20 are the
  // sequence numbers and must never repeat under one key.
  core::Status restore_sequence_numbers(std::uint64_t last_seq_out, std::uint64_t replay_top);

  // use_iv_once_for_test makes the next seal carry iv (iv_size bytes of the
  // transform) instead of the IV it derives, so known-answer tests can
  // reproduce published packets. Fails with InvalidSyntax on a wrong size.
  // Tests only: a repeated IV breaks GCM, CTR and ChaCha20 completely.
  core::Status use_iv_once_for_test(std::span<const std::uint8_t> iv);

 private:
  struct Impl;
  explicit EspSa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kernel::userspace

// kink/krb/keys.cc — PRF, KEYMAT, KINK_ENCRYPT and the KINK checksum over
// MIT's RFC 3961 crypto (krb5_c_*).
#include "kink/krb/keys.h"

#include <krb5/krb5.h>

#include <cstdlib>

#include "kink/krb/context.h"

namespace kink::krb {

using core::ErrorCode;
using core::fail;
using core::crypto::SecureBytes;

namespace {

// view lends key to a krb5_c_* call; krb5 only reads through it.
krb5_keyblock view(const SessionKey& key) {
  krb5_keyblock kb{};
  kb.magic = KV5M_KEYBLOCK;
  kb.enctype = key.enctype;
  kb.length = static_cast<unsigned int>(key.bytes.size());
  kb.contents = const_cast<krb5_octet*>(key.bytes.data());
  return kb;
}

krb5_data data_of(std::span<const std::uint8_t> b) {
  krb5_data d{};
  d.magic = KV5M_DATA;
  d.length = static_cast<unsigned int>(b.size());
  d.data = const_cast<char*>(reinterpret_cast<const char*>(b.data()));
  return d;
}

krb5_data data_of(std::span<std::uint8_t> b) {
  krb5_data d{};
  d.magic = KV5M_DATA;
  d.length = static_cast<unsigned int>(b.size());
  d.data = reinterpret_cast<char*>(b.data());
  return d;
}

core::Status check_key(const Context& ctx, const SessionKey& key) {
  if (krb5_c_valid_enctype(key.enctype) == 0) {
    return fail(ErrorCode::NoProposal, "enctype {} is not supported by krb5", key.enctype);
  }
  std::size_t keybytes = 0;
  std::size_t keylength = 0;
  krb5_error_code r = krb5_c_keylengths(ctx.get(), key.enctype, &keybytes, &keylength);
  if (r != 0) return fail(ctx.error(r, "krb5_c_keylengths"));
  if (key.bytes.size() != keylength) {
    return fail(ErrorCode::InvalidSyntax, "key of {} octets for enctype {} (needs {})", key.bytes.size(), key.enctype,
                keylength);
  }
  return core::ok();
}

// mandatory_cksumtype is the enctype's required checksum mechanism (RFC
// 3961 §3). MIT exposes it only through krb5_c_make_checksum with type 0,
// so make one over no data and read its type.
core::Result<krb5_cksumtype> mandatory_cksumtype(const Context& ctx, const krb5_keyblock& kb) {
  krb5_data empty{};
  krb5_checksum ck{};
  krb5_error_code r = krb5_c_make_checksum(ctx.get(), 0, &kb, kKeyUsageKinkChecksum, &empty, &ck);
  if (r != 0) return fail(ctx.error(r, "krb5_c_make_checksum"));
  krb5_cksumtype t = ck.checksum_type;
  krb5_free_checksum_contents(ctx.get(), &ck);
  // RFC 4430 §4: a checksum type that is not keyed MUST be rejected.
  if (krb5_c_is_keyed_cksum(t) == 0) return fail(ErrorCode::NoProposal, "checksum type {} is not keyed", t);
  return t;
}

}  // namespace

core::Result<SessionKey> random_key(const Context& ctx, std::int32_t enctype) {
  krb5_keyblock kb{};
  krb5_error_code r = krb5_c_make_random_key(ctx.get(), enctype, &kb);
  if (r != 0) return fail(ctx.error(r, fmt::format("random key of enctype {}", enctype)));
  SessionKey out;
  out.enctype = kb.enctype;
  out.bytes = SecureBytes(std::span<const std::uint8_t>(kb.contents, kb.length));
  krb5_free_keyblock_contents(ctx.get(), &kb);
  return out;
}

core::Result<std::size_t> prf_length(const Context& ctx, std::int32_t enctype) {
  std::size_t n = 0;
  krb5_error_code r = krb5_c_prf_length(ctx.get(), enctype, &n);
  if (r != 0) return fail(ctx.error(r, fmt::format("PRF length of enctype {}", enctype)));
  return n;
}

core::Result<SecureBytes> prf(const Context& ctx, const SessionKey& key, std::span<const std::uint8_t> input) {
  if (auto ok = check_key(ctx, key); !ok) return fail(ok.error());
  auto n = prf_length(ctx, key.enctype);
  if (!n) return fail(n.error());
  SecureBytes out(*n);
  krb5_keyblock kb = view(key);
  krb5_data in = data_of(input);
  krb5_data o = data_of(out.span());
  krb5_error_code r = krb5_c_prf(ctx.get(), &kb, &in, &o);
  if (r != 0) return fail(ctx.error(r, "krb5_c_prf"));
  return out;
}

core::Result<SecureBytes> prf_plus(const Context& ctx, const SessionKey& key, std::span<const std::uint8_t> seed,
                                   std::size_t length) {
  auto n = prf_length(ctx, key.enctype);
  if (!n) return fail(n.error());
  if (length == 0 || length > 255 * *n) {
    return fail(ErrorCode::InvalidSyntax, "KEYMAT of {} octets (1..{} for enctype {})", length, 255 * *n,
                key.enctype);
  }
  SecureBytes out;
  out.reserve(length + *n);
  SecureBytes input;  // Kn | seed
  SecureBytes block;
  while (out.size() < length) {
    input.clear();
    input.append(block);
    input.append(seed);
    auto next = prf(ctx, key, input);
    if (!next) return fail(next.error());
    block = std::move(*next);
    out.append(block);
  }
  out.resize(length);
  return out;
}

core::Result<std::vector<std::uint8_t>> encrypt(const Context& ctx, const SessionKey& key,
                                                std::span<const std::uint8_t> plaintext) {
  if (auto ok = check_key(ctx, key); !ok) return fail(ok.error());
  std::size_t outlen = 0;
  krb5_error_code r = krb5_c_encrypt_length(ctx.get(), key.enctype, plaintext.size(), &outlen);
  if (r != 0) return fail(ctx.error(r, "krb5_c_encrypt_length"));
  std::vector<std::uint8_t> out(outlen);
  krb5_keyblock kb = view(key);
  krb5_data in = data_of(plaintext);
  krb5_enc_data enc{};
  enc.magic = KV5M_ENC_DATA;
  enc.enctype = key.enctype;
  enc.ciphertext = data_of(std::span<std::uint8_t>(out));
  r = krb5_c_encrypt(ctx.get(), &kb, kKeyUsageKinkEncrypt, nullptr, &in, &enc);
  if (r != 0) return fail(ctx.error(r, "krb5_c_encrypt"));
  out.resize(enc.ciphertext.length);
  return out;
}

core::Result<SecureBytes> decrypt(const Context& ctx, const SessionKey& key, std::span<const std::uint8_t> ciphertext) {
  if (auto ok = check_key(ctx, key); !ok) return fail(ok.error());
  // The plaintext is never longer than the ciphertext (RFC 3961 §3).
  SecureBytes out(ciphertext.size());
  krb5_keyblock kb = view(key);
  krb5_enc_data enc{};
  enc.magic = KV5M_ENC_DATA;
  enc.enctype = key.enctype;
  enc.ciphertext = data_of(ciphertext);
  krb5_data o = data_of(out.span());
  krb5_error_code r = krb5_c_decrypt(ctx.get(), &kb, kKeyUsageKinkEncrypt, nullptr, &enc, &o);
  if (r == KRB5KRB_AP_ERR_BAD_INTEGRITY) return fail(ErrorCode::AuthFailed, "KINK_ENCRYPT integrity check failed");
  if (r == KRB5_BAD_MSIZE) return fail(ErrorCode::Malformed, "KINK_ENCRYPT of {} octets is too short", ciphertext.size());
  if (r != 0) return fail(ctx.error(r, "krb5_c_decrypt"));
  out.resize(o.length);
  return out;
}

core::Result<std::vector<std::uint8_t>> make_checksum(const Context& ctx, const SessionKey& key,
                                                      std::span<const std::uint8_t> data) {
  if (auto ok = check_key(ctx, key); !ok) return fail(ok.error());
  krb5_keyblock kb = view(key);
  auto type = mandatory_cksumtype(ctx, kb);
  if (!type) return fail(type.error());
  krb5_data in = data_of(data);
  krb5_checksum ck{};
  krb5_error_code r = krb5_c_make_checksum(ctx.get(), *type, &kb, kKeyUsageKinkChecksum, &in, &ck);
  if (r != 0) return fail(ctx.error(r, "krb5_c_make_checksum"));
  std::vector<std::uint8_t> out(ck.contents, ck.contents + ck.length);
  krb5_free_checksum_contents(ctx.get(), &ck);
  return out;
}

core::Status verify_checksum(const Context& ctx, const SessionKey& key, std::span<const std::uint8_t> data,
                             std::span<const std::uint8_t> cksum) {
  if (auto ok = check_key(ctx, key); !ok) return fail(ok.error());
  krb5_keyblock kb = view(key);
  auto type = mandatory_cksumtype(ctx, kb);
  if (!type) return fail(type.error());
  krb5_data in = data_of(data);
  krb5_checksum ck{};
  ck.magic = KV5M_CHECKSUM;
  ck.checksum_type = *type;
  ck.length = static_cast<unsigned int>(cksum.size());
  ck.contents = const_cast<krb5_octet*>(cksum.data());
  krb5_boolean valid = 0;
  krb5_error_code r = krb5_c_verify_checksum(ctx.get(), &kb, kKeyUsageKinkChecksum, &in, &ck, &valid);
  if (r == KRB5_BAD_MSIZE) return fail(ErrorCode::AuthFailed, "KINK checksum of {} octets has the wrong size", cksum.size());
  if (r != 0) return fail(ctx.error(r, "krb5_c_verify_checksum"));
  if (valid == 0) return fail(ErrorCode::AuthFailed, "KINK checksum does not verify");
  return core::ok();
}

}  // namespace kink::krb

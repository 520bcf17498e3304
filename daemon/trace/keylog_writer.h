// daemon/trace/keylog_writer.h — KeylogWriter: IKE_SA keys in Wireshark's
// IKEv2 decryption table format, so a capture of the encrypted exchanges
// can be read in the clear.
//
//   auto keylog = kagid::trace::KeylogWriter::open("/tmp/ikev2_decryption_table").value();
//   engine.set_key_logger([&](const ikev2::IkeKeyInfo& k) { (void)keylog->write(k); });
//
// The file is Wireshark's "ikev2_decryption_table" UAT (Preferences →
// Protocols → ISAKMP → IKEv2 Decryption Table), one line per IKE_SA, as
// strongSwan's save-keys plugin writes it:
//
//   SPIi,SPIr,SK_ei,SK_er,"Encryption algorithm",SK_ai,SK_ar,"Integrity algorithm"
//   8a2c...,51e0...,3f9d...,77c1...,"AES-GCM-256 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"
//
// SPIs and keys in lower-case hex (SK_e with any salt, RFC 5282 §7.1;
// SK_a empty with AEAD), algorithm names exactly as Wireshark spells them.
// Put the file in Wireshark's personal configuration directory (or point
// WIRESHARK_CONFIG_DIR at its directory), or give single lines to tshark
// with -o 'uat:ikev2_decryption_table:<line>'.
//
// The file is opened for appending with mode 0600 and every line goes out
// with one write(2). It holds live keys: for debugging only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "daemon/trace/record_file.h"
#include "ikev2/tasks/engine.h"

namespace kagid::trace {

// wireshark_encr_name returns Wireshark's name for an IKEv2 encryption
// transform (IANA Transform Type 1 ID plus Key Length in bits), or nullopt
// when Wireshark cannot decrypt it (e.g. ChaCha20-Poly1305, Camellia).
std::optional<std::string_view> wireshark_encr_name(std::uint16_t encr, std::uint16_t bits);

// wireshark_integ_name returns Wireshark's name for an IKEv2 integrity
// transform (IANA Transform Type 3 ID; 0 is "NONE", used with AEAD), or
// nullopt when Wireshark does not know it (e.g. AES-XCBC-96, AES-CMAC-96).
std::optional<std::string_view> wireshark_integ_name(std::uint16_t integ);

// keylog_line formats one decryption table line, without the newline.
// Fails Unsupported naming the transform when Wireshark has no name for it.
core::Result<std::string> keylog_line(const ikev2::IkeKeyInfo& keys);

class KeylogWriter {
 public:
  // open opens path for appending (creating it), with mode 0600. Fails System.
  static core::Result<std::unique_ptr<KeylogWriter>> open(const std::string& path);

  // write appends keys' line. Fails as keylog_line and RecordFile::write do.
  core::Status write(const ikev2::IkeKeyInfo& keys);

  // lines returns how many lines this writer appended.
  std::uint64_t lines() const { return lines_; }
  const std::string& path() const { return file_->path(); }

 private:
  explicit KeylogWriter(std::unique_ptr<RecordFile> file) : file_(std::move(file)) {}

  std::unique_ptr<RecordFile> file_;
  std::uint64_t lines_ = 0;
};

}  // namespace kagid::trace

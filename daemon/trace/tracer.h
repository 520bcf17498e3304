// daemon/trace/tracer.h — Tracer: kagid's --pcap and --keylog, one object
// the daemon attaches to its IKEv2 engine.
//
//   auto tracer = kagid::trace::Tracer::open({.pcap_path = opts.pcap,
//                                             .keylog_path = opts.keylog}, clock);
//   if (!tracer) return fail(tracer.error());
//   (*tracer)->attach(engine);   // sets the engine's message tracer and key logger
//
// Every IKE message the engine sends or accepts goes to the pcap with its
// plaintext payloads (PcapWriter); every IKE_SA's keys go to the Wireshark
// decryption table (KeylogWriter). A failed write is logged (once per kind
// of failure in a row) and never disturbs the engine.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.h"
#include "core/result.h"
#include "daemon/trace/keylog_writer.h"
#include "daemon/trace/pcap_writer.h"
#include "ikev2/tasks/engine.h"

namespace kagid::trace {

// TraceOptions names the files; an empty path turns that trace off.
struct TraceOptions {
  std::string pcap_path;
  std::string keylog_path;
};

class Tracer {
 public:
  // open opens the files named in opts (see PcapWriter::open and
  // KeylogWriter::open) and keeps a reference to clock, which must outlive
  // the Tracer, for timestamps. Fails System naming the file.
  static core::Result<std::unique_ptr<Tracer>> open(const TraceOptions& opts, const core::Clock& clock);

  // attach installs this Tracer as engine's message tracer (when a pcap is
  // open) and key logger (when a key log is open). The Tracer must outlive
  // the engine, or be detached by installing empty callbacks.
  void attach(ikev2::Engine& engine);

  // on_message / on_keys are the callbacks attach installs.
  void on_message(bool outbound, const ikev2::wire::Header& header,
                  const std::vector<ikev2::wire::Payload>& payloads,
                  const core::net::Endpoint& local, const core::net::Endpoint& remote);
  void on_keys(const ikev2::IkeKeyInfo& keys);

  PcapWriter* pcap() { return pcap_.get(); }
  KeylogWriter* keylog() { return keylog_.get(); }

 private:
  explicit Tracer(const core::Clock& clock) : clock_(clock) {}

  const core::Clock& clock_;
  std::unique_ptr<PcapWriter> pcap_;
  std::unique_ptr<KeylogWriter> keylog_;
  bool pcap_failing_ = false;
  bool keylog_failing_ = false;
};

}  // namespace kagid::trace

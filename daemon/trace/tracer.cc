// daemon/trace/tracer.cc — Tracer.
#include "daemon/trace/tracer.h"

#include "core/log/log.h"

namespace kagid::trace {

core::Result<std::unique_ptr<Tracer>> Tracer::open(const TraceOptions& opts,
                                                   const core::Clock& clock) {
  std::unique_ptr<Tracer> t(new Tracer(clock));
  if (!opts.pcap_path.empty()) {
    auto pcap = PcapWriter::open(opts.pcap_path);
    if (!pcap) return tl::unexpected(pcap.error());
    t->pcap_ = std::move(*pcap);
    KLOG(Dmn, Info, "tracing IKE messages in plaintext to {}", opts.pcap_path);
  }
  if (!opts.keylog_path.empty()) {
    auto keylog = KeylogWriter::open(opts.keylog_path);
    if (!keylog) return tl::unexpected(keylog.error());
    t->keylog_ = std::move(*keylog);
    KLOG(Dmn, Warn, "writing IKE_SA keys to {}: for debugging only", opts.keylog_path);
  }
  return t;
}

void Tracer::attach(ikev2::Engine& engine) {
  if (pcap_) {
    engine.set_message_tracer([this](bool outbound, const ikev2::wire::Header& h,
                                     const std::vector<ikev2::wire::Payload>& p,
                                     const core::net::Endpoint& local,
                                     const core::net::Endpoint& remote) {
      on_message(outbound, h, p, local, remote);
    });
  }
  if (keylog_) engine.set_key_logger([this](const ikev2::IkeKeyInfo& k) { on_keys(k); });
}

void Tracer::on_message(bool outbound, const ikev2::wire::Header& header,
                        const std::vector<ikev2::wire::Payload>& payloads,
                        const core::net::Endpoint& local, const core::net::Endpoint& remote) {
  if (!pcap_) return;
  auto s = pcap_->write_ike(outbound, header, payloads, local, remote, clock_.wall_now());
  // A full disk would otherwise log on every message.
  if (!s && !pcap_failing_)
    KLOG(Dmn, Warn, "pcap {}: {} (further failures not logged)", pcap_->path(), s.error().to_string());
  pcap_failing_ = !s;
}

void Tracer::on_keys(const ikev2::IkeKeyInfo& keys) {
  if (!keylog_) return;
  auto s = keylog_->write(keys);
  if (!s && (s.error().code == core::ErrorCode::Unsupported || !keylog_failing_))
    KLOG(Dmn, Warn, "key log {}: IKE_SA {:016x}_i {:016x}_r: {}", keylog_->path(), keys.spi_i,
         keys.spi_r, s.error().to_string());
  if (!s && s.error().code == core::ErrorCode::System) keylog_failing_ = true;
  if (s) keylog_failing_ = false;
}

}  // namespace kagid::trace

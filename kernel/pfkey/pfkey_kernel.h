// kernel/pfkey/pfkey_kernel.h — the PF_KEY v2 backend of core::ipsec::Kernel.
//
// A thin socket layer over the codec (message.h) and the value mapping
// (translate.h): each call builds one request, sends it on a PF_KEY_V2 raw
// socket and waits for the reply with the same sequence number and pid
// (RFC 2367 §2.3.2); dumps collect replies until sequence 0. Kernel
// notifications (ACQUIRE, EXPIRE, X_MIGRATE, X_SPD*) that arrive while a
// reply is awaited are queued and handed to the event handler when the
// call returns; the daemon's loop watches event_fd() and calls
// on_readable() for the rest.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "core/ipsec/kernel.h"
#include "core/loop/unique_fd.h"
#include "kernel/pfkey/message.h"
#include "kernel/pfkey/translate.h"

namespace kernel::pfkey {

class PfkeyKernel final : public core::ipsec::Kernel {
 public:
  // open creates the PF_KEY_V2 socket for flavor f and REGISTERs for ESP
  // and AH (so the kernel sends ACQUIREs). When the system has no PF_KEY
  // (Linux without af_key: EAFNOSUPPORT) it fails with Unsupported:
  // "PF_KEY is not available on this system (socket(PF_KEY): <strerror>);
  // use --backend xfrm or userspace".
  static core::Result<std::unique_ptr<PfkeyKernel>> open(Flavor f);
  // adopt wraps an already open PF_KEY socket (a privilege-separated
  // helper's, or one end of a socketpair in tests), takes ownership of fd
  // and does not REGISTER; pid is the sadb_msg_pid stamped on requests.
  static std::unique_ptr<PfkeyKernel> adopt(int fd, const Dialect& d, std::uint32_t pid);

  ~PfkeyKernel() override = default;

  // event_fd is the socket for the event loop to watch for readability.
  int event_fd() const { return fd_.get(); }
  // on_readable drains the socket without blocking and delivers every
  // notification; a message that does not decode is logged and skipped.
  void on_readable();
  // register_satype sends SADB_REGISTER and keeps the SUPPORTED lists.
  core::Status register_satype(std::uint8_t satype);
  const std::vector<Alg>& supported_auth() const { return supported_auth_; }
  const std::vector<Alg>& supported_encrypt() const { return supported_encrypt_; }
  const Dialect& dialect() const { return dialect_; }

  std::string_view name() const override { return "pfkey"; }
  core::ipsec::Capabilities capabilities() const override;
  void set_event_handler(core::ipsec::EventHandler handler) override { handler_ = std::move(handler); }

  core::Result<std::uint32_t> alloc_spi(const core::net::Address& src, const core::net::Address& dst,
                                        core::ipsec::Proto proto, std::uint32_t reqid, std::uint32_t min,
                                        std::uint32_t max) override;
  core::Status add_sa(const core::ipsec::SaSpec& sa) override;
  core::Status update_sa(const core::ipsec::SaSpec& sa) override;
  core::Status del_sa(const core::ipsec::SaId& id) override;
  core::Result<core::ipsec::SaInfo> get_sa(const core::ipsec::SaId& id) override;
  core::Result<std::vector<core::ipsec::SaInfo>> list_sas() override;

  core::Result<std::uint32_t> add_policy(const core::ipsec::PolicySpec& p) override;
  core::Result<std::uint32_t> update_policy(const core::ipsec::PolicySpec& p) override;
  core::Status del_policy(const core::ipsec::PolicyKey& key) override;
  core::Result<std::vector<core::ipsec::PolicySpec>> list_policies() override;

  core::Status migrate(const core::ipsec::MigrateRequest& req) override;
  // migrate_sa is refused: PF_KEY cannot move an SA and keep its sequence
  // numbers (no counterpart of XFRM_MSG_MIGRATE_STATE).
  core::Status migrate_sa(const core::ipsec::SaId& id, const core::net::Address& new_src,
                          const core::net::Address& new_dst, std::optional<core::ipsec::Encap> encap) override;

 private:
  PfkeyKernel(core::UniqueFd fd, const Dialect& d, std::uint32_t pid);

  Stamp next_stamp();
  // request sends m and returns the reply with m's seq and pid, or Error
  // {Kernel, "<op>: <strerror>"} when the reply carries an errno. When
  // reply_optional, no reply already queued after the send means success
  // (af_key answers a successful X_MIGRATE only by broadcast).
  core::Result<Message> request(const Message& m, std::string_view op, bool reply_optional = false);
  // request_dump collects the replies to a DUMP/X_SPDDUMP until seq 0.
  core::Result<std::vector<Message>> request_dump(const Message& m, std::string_view op);
  core::Status send(const Message& m, std::string_view op);
  // receive waits up to timeout_ms for one datagram; nullopt on timeout.
  core::Result<std::optional<std::vector<std::uint8_t>>> receive(int timeout_ms);
  // is_reply tells a reply to request m from a notification.
  bool is_reply(const Message& got, const Message& m) const;
  // note queues got as an event when it is one (decoding errors logged).
  void note(const Message& got);
  void deliver();
  core::Status install_sa(std::uint8_t type, const core::ipsec::SaSpec& sa, std::string_view op);
  core::Result<std::uint32_t> install_policy(std::uint8_t type, const core::ipsec::PolicySpec& p, std::string_view op);
  core::net::Address known_src(const core::ipsec::SaId& id) const;

  core::UniqueFd fd_;
  Dialect dialect_;
  std::uint32_t pid_;
  std::uint32_t seq_ = 0;
  core::ipsec::EventHandler handler_;
  std::deque<core::ipsec::KernelEvent> pending_;
  std::vector<Alg> supported_auth_, supported_encrypt_;
  std::vector<std::uint8_t> rx_;  // one receive buffer, sized for the largest message
  // KAME finds SAs by source too (key_delete, key_get), which SaId lacks:
  // remember the source of every SA installed through this backend.
  std::map<core::ipsec::SaId, core::net::Address> sa_src_;
};

}  // namespace kernel::pfkey

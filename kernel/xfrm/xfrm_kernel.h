// kernel/xfrm/xfrm_kernel.h — the Linux XFRM backend of core::ipsec::Kernel.
//
// Two NETLINK_XFRM sockets: a request socket for synchronous calls
// (sequence numbers, ACKs checked, 5 s timeout) and an event socket bound
// to XFRMNLGRP_ACQUIRE, EXPIRE, SA, POLICY, MIGRATE and REPORT. The daemon's
// epoll loop watches event_fd() and calls on_readable(); this class owns no
// thread and no loop. Encoding and decoding are the pure functions of
// encode.h and decode.h; this file only sequences them over the sockets.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include "core/ipsec/kernel.h"
#include "kernel/xfrm/decode.h"
#include "kernel/xfrm/socket.h"

namespace kernel::xfrm {

// event_groups is the multicast subscription of the event socket.
std::uint32_t event_groups();

// XfrmKernel drives the kernel's SAD and SPD. It remembers what it added
// (policies by key, SAs by id, SPIs it reserved) so that flush_own() removes
// exactly that and never another program's entries. Not thread-safe.
class XfrmKernel final : public core::ipsec::Kernel {
 public:
  // open creates both sockets and probes capabilities: whether an ESP SA
  // can be added (a NULL-cipher transport SA on 127.0.0.1, SPI 255 from
  // the IANA-reserved range, deleted at once) and whether MIGRATE exists.
  // Fails with System when NETLINK_XFRM cannot be opened (no CAP_NET_ADMIN
  // needed to open; requests then fail with EPERM).
  static core::Result<std::unique_ptr<XfrmKernel>> open();

  std::string_view name() const override { return "xfrm"; }
  core::ipsec::Capabilities capabilities() const override { return caps_; }
  void set_event_handler(core::ipsec::EventHandler handler) override;

  core::Result<std::uint32_t> alloc_spi(const core::net::Address& src,
                                        const core::net::Address& dst, core::ipsec::Proto proto,
                                        std::uint32_t reqid, std::uint32_t min,
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
  // migrate_sa re-installs the SA at the new addresses with its keys,
  // replay counters and lifetime use (XFRM_MSG_MIGRATE_STATE is not used:
  // see capabilities().migrate_state): the new SA is added before the old
  // is deleted when the destination changes, after it when only the source
  // does (the kernel keys SAs by destination, SPI and protocol).
  core::Status migrate_sa(const core::ipsec::SaId& id, const core::net::Address& new_src,
                          const core::net::Address& new_dst,
                          std::optional<core::ipsec::Encap> encap) override;

  // event_fd is the event socket, for the daemon's epoll loop (readable).
  int event_fd() const { return events_.fd(); }
  // on_readable drains the event socket and hands each decoded event to the
  // handler; malformed messages are logged and skipped, an overrun logged.
  void on_readable();

  // flush_own deletes every policy, SA and reserved SPI this instance
  // added and still knows of; entries already gone are not errors. It
  // returns the first other failure after trying everything.
  core::Status flush_own();
  std::size_t own_policy_count() const { return own_policies_.size(); }

 private:
  // PolicyKeyBytes is the kernel's identity of a policy: the encoded
  // selector, direction and mark.
  using PolicyKeyBytes = std::array<std::uint8_t, 56 + 1 + 8>;

  XfrmKernel(NlSocket requests, NlSocket events);
  static std::optional<PolicyKeyBytes> key_bytes(const core::ipsec::PolicyKey& key);
  void probe();
  core::Status run(std::string_view op, const ReplyHandler& on_reply = {});
  core::Result<std::uint32_t> install_policy(const core::ipsec::PolicySpec& p, bool update);
  core::Result<SaRecord> get_record(const core::ipsec::SaId& id);
  core::Status add_record(const SaRecord& rec, const core::ipsec::SaSpec& spec);

  NlSocket requests_;
  NlSocket events_;
  NlMessage msg_;  // the one request being built: no allocation per call
  core::ipsec::Capabilities caps_;
  core::ipsec::EventHandler handler_;
  std::map<PolicyKeyBytes, core::ipsec::PolicyKey> own_policies_;
  std::set<core::ipsec::SaId> own_sas_;
  std::set<core::ipsec::SaId> reserved_spis_;
};

}  // namespace kernel::xfrm

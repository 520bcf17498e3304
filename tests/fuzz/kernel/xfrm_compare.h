// tests/fuzz/kernel/xfrm_compare.h — field-by-field equality of the
// kernel-interface values the XFRM decoders produce (the core types define
// no operator== for these), shared by the fuzz targets and the unit tests.
#pragma once

#include "core/ipsec/events.h"
#include "core/ipsec/types.h"

namespace xfrm_test {

inline bool same(const core::ipsec::SaSpec& a, const core::ipsec::SaSpec& b) {
  return a.src == b.src && a.dst == b.dst && a.spi == b.spi && a.proto == b.proto &&
         a.mode == b.mode && a.reqid == b.reqid && a.selector == b.selector && a.enc == b.enc &&
         a.integ == b.integ && a.encap == b.encap && a.esn == b.esn &&
         a.replay_window == b.replay_window && a.lifetime == b.lifetime && a.mark == b.mark;
}

inline bool same(const core::ipsec::PolicySpec& a, const core::ipsec::PolicySpec& b) {
  return a.selector == b.selector && a.dir == b.dir && a.action == b.action &&
         a.priority == b.priority && a.templates == b.templates && a.mark == b.mark &&
         a.index == b.index;
}

inline bool same(const core::ipsec::MigrateRequest& a, const core::ipsec::MigrateRequest& b) {
  return a.selector == b.selector && a.dir == b.dir && a.entries == b.entries &&
         a.new_km == b.new_km && a.encap == b.encap;
}

}  // namespace xfrm_test

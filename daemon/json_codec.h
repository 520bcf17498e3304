// daemon/json_codec.h — core values as JSON, for the control protocol
// (stable field names, documented in docs/kagictl.8.md) and kagid's state
// file.
#pragma once

#include <nlohmann/json.hpp>

#include "core/ipsec/events.h"
#include "core/ipsec/types.h"
#include "core/result.h"

namespace kagid {

nlohmann::json to_json(const core::net::Selector& s);
core::Result<core::net::Selector> selector_from_json(const nlohmann::json& j);
nlohmann::json to_json(const core::ipsec::PolicySpec& p);
nlohmann::json to_json(const core::ipsec::PolicyKey& k);
core::Result<core::ipsec::PolicyKey> policy_key_from_json(const nlohmann::json& j);
// to_json of an SA never includes key material.
nlohmann::json to_json(const core::ipsec::SaInfo& sa);
// event_json renders a kernel event for `kagictl monitor`.
nlohmann::json event_json(const core::ipsec::KernelEvent& ev);

}  // namespace kagid

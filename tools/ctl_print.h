// tools/ctl_print.h — request building and human-readable output for kagictl.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace kagictl {

// build_request turns command words into a control request, or explains why not.
tl::expected<nlohmann::json, std::string> build_request(const std::vector<std::string>& words);
// format_result renders a command's result for people.
std::string format_result(const std::string& cmd, const nlohmann::json& result);
// format_event renders one monitor event on one line.
std::string format_event(const nlohmann::json& ev);

}  // namespace kagictl

#pragma once
// Splits an HTTP request target ("/a%20b?x=1&y=2", or the absolute form
// "http://host/a?x=1") into its decoded path and query parameters.

#include <map>
#include <string>
#include <string_view>

namespace ttb::net {

// False for a target that is not origin- or absolute-form, or has a broken %-escape.
// Query values decode '+' as a space; the last of repeated names wins.
bool parse_request_target(std::string_view target, std::string& path,
                          std::map<std::string, std::string>& query);

}  // namespace ttb::net

#pragma once
// Shared by the plugin fuzz targets: what a plugin reports must be accepted by the host. An order
// update a mapping function builds from any vendor payload parses with the host's
// parse_vendor_update (core/orders/vendor_update.h), and a test list with the host's parse_tests
// (core/tenants/test_catalog.h); the host would otherwise fail the job or the pop-up.

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "orders/vendor_update.h"
#include "tenants/test_catalog.h"

namespace ttb::fuzz {

inline void check_host_accepts(const nlohmann::json& update) {
  TTB_FUZZ_CHECK(update.is_object());
  const std::string text = update.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const orders::ParsedUpdate parsed = orders::parse_vendor_update(text);
  if (!parsed.update) {
    std::fprintf(stderr, "host refused the update %s: %s\n", text.c_str(), parsed.error.c_str());
  }
  TTB_FUZZ_CHECK(parsed.update.has_value());
}

// A list of tests as list_tests returns it ({"tests": tests}) parses with the host's parse_tests.
inline void check_host_accepts_tests(const nlohmann::json& tests) {
  TTB_FUZZ_CHECK(tests.is_array());
  const std::string text = nlohmann::json{{"tests", tests}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string error;
  const auto parsed = tenants::parse_tests(text, error);
  if (!parsed) std::fprintf(stderr, "host refused the tests %s: %s\n", text.c_str(), error.c_str());
  TTB_FUZZ_CHECK(parsed.has_value() && parsed->size() == tests.size());
}

}  // namespace ttb::fuzz

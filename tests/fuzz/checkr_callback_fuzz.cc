// Checkr's webhook: the X-Checkr-Signature check over the raw body (plugins/checkr/signature.h)
// and the event's object mapped as an invitation and as a report (plugins/checkr/mapping.h), as
// the provider does after its re-fetch. Input: line 1 the signature header ("-" for none), the
// rest the body.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "mapping.h"
#include "plugin_update_check.h"
#include "signature.h"
#include "ttbridge/hmac_sha256.hpp"

namespace checkr = ttb::checkr;
using nlohmann::json;

namespace {

void check_mapping(const json& invitation, const json& report) {
  for (auto score :
       {checkr::ScoreMode::none, checkr::ScoreMode::binary, checkr::ScoreMode::assessment}) {
    checkr::MappingOptions options;
    options.score = score;
    options.report_url_template = "https://dashboard.checkr.com/reports/{report_id}";
    ttb::fuzz::check_host_accepts(checkr::order_update(invitation, report, options));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 2);
  const std::string_view body = parts[1];
  constexpr std::string_view kKey = "sk_test_fuzz";
  const std::optional<std::string_view> header =
      parts[0] == "-" ? std::nullopt : std::optional<std::string_view>(parts[0]);

  // Only the HMAC of the body verifies; the fuzzer cannot forge one.
  const std::string expected = ttb::sdk::hmac_sha256_hex(kKey, body);
  const bool valid = checkr::signature_is_valid(kKey, body, header);
  if (valid) TTB_FUZZ_CHECK(header && header->size() == expected.size());
  TTB_FUZZ_CHECK(checkr::signature_is_valid(kKey, body, std::string_view(expected)));
  TTB_FUZZ_CHECK(!checkr::signature_is_valid(kKey, body, std::nullopt));

  const json event = json::parse(body, nullptr, false);
  if (event.is_discarded() || !event.is_object()) return 0;
  (void)checkr::text(event, "id");
  json object = nullptr;
  if (auto d = event.find("data"); d != event.end() && d->is_object()) {
    if (auto o = d->find("object"); o != d->end()) object = *o;
  }
  if (!object.is_object()) object = event;  // fuzz the mappings on the body itself too

  check_mapping(object, nullptr);
  check_mapping(nullptr, object);
  check_mapping(object, object);
  (void)checkr::report_summary(object);
  TTB_FUZZ_CHECK(checkr::screening_details(object).is_object());
  TTB_FUZZ_CHECK(checkr::report_attachments(object).is_array());
  (void)checkr::order_id_of_report(object);
  // A page of GET /packages: the tests it gives are a list the host accepts.
  ttb::fuzz::check_host_accepts_tests(checkr::tests_from_packages(object));
  (void)checkr::has_next_page(object);
  return 0;
}

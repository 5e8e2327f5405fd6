// TestGorilla's answers (plugins/testgorilla/testgorilla_api.h, mapping.h); it is polled only, so
// there is no callback. Retry-After and X-RateLimit-Reset, the error for a non-2xx answer, and
// the JSON pages read by the mapping: the assessments a page offers, the order's candidature in
// a candidature page, paging, and a candidature with its test results mapped onto an order
// update. Input: line 1 the HTTP status, line 2 Retry-After, line 3 X-RateLimit-Reset, the rest
// a JSON page (used as every kind of answer; its `results` elements as candidatures).

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "mapping.h"
#include "plugin_update_check.h"
#include "testgorilla_api.h"

namespace tg = ttb::testgorilla;
namespace sdk = ttb::sdk;
using nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1740823200000;   // 2025-03-01T10:00:00Z
constexpr std::size_t kMaxSummary = 1000 + 3;  // mapping.cc's clip(): 1000 bytes and "..."
constexpr std::size_t kMaxTestName = 200 + 3;
constexpr std::size_t kMaxTests = 50;
constexpr std::size_t kMaxCandidatures = 8;  // mapped per input; enough to reach every branch
const std::string kReportUrl =
    "https://app.testgorilla.com/customer/assessments/{assessment_id}/candidates/"
    "{candidature_id}";

tg::OrderRef stored_ref() {
  tg::OrderRef ref;
  ref.order_id = "pr_1";
  ref.assessment_id = "4711";
  ref.candidature_id = "9001";
  ref.test_taker_id = "77";
  ref.email = "ada@example.org";
  return ref;
}

void check_update(const json& update) {
  ttb::fuzz::check_host_accepts(update);
  if (auto s = update.find("summary"); s != update.end() && s->is_string()) {
    TTB_FUZZ_CHECK(s->get_ref<const std::string&>().size() <= kMaxSummary);
  }
  if (auto score = update.find("score"); score != update.end() && !score->is_null()) {
    TTB_FUZZ_CHECK(score->is_number() && *score >= 0 && *score <= 100);
  }
  if (auto d = update.find("details"); d != update.end() && d->contains("tests")) {
    TTB_FUZZ_CHECK(d->at("tests").size() <= kMaxTests);
  }
}

void map_candidature(const json& candidature, const std::optional<json>& results) {
  for (const tg::OrderRef& ref : {stored_ref(), tg::OrderRef{}}) {
    try {
      check_update(tg::map_candidature(candidature, results, ref, kReportUrl));
      check_update(tg::map_candidature(candidature, results, ref, ""));
    } catch (const sdk::Error& e) {
      TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE && !candidature.is_object());
    }
  }
  // The ref the provider keeps when it finds the order's candidature in a list.
  try {
    const tg::OrderRef ref = tg::ref_from_candidature("pr_1", "4711", candidature);
    TTB_FUZZ_CHECK(!ref.candidature_id.empty());
    check_update(tg::map_candidature(candidature, results, ref, kReportUrl));
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 4);

  sdk::HttpResponse response;
  response.status = TTB_STATUS_OK;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), response.http_status);
  if (!parts[1].empty()) response.headers.emplace_back("Retry-After", std::string(parts[1]));
  if (!parts[2].empty()) response.headers.emplace_back("X-RateLimit-Reset", std::string(parts[2]));
  response.body = std::string(parts[3]);
  const std::uint32_t wait = tg::rate_limit_retry_ms(response, kNow);
  TTB_FUZZ_CHECK(wait <= tg::kMaxRetryAfterMs);
  const sdk::Error error = tg::vendor_error(response, "list the assessments", kNow);
  if (!sdk::succeeded(response)) TTB_FUZZ_CHECK(error.status() != TTB_STATUS_OK);
  TTB_FUZZ_CHECK(error.retry_after_ms() <= tg::kMaxRetryAfterMs);
  // The body may echo the candidate's data; it never goes into the error.
  if (parts[3].find("ada@example.org") != std::string_view::npos) {
    TTB_FUZZ_CHECK(std::string_view(error.what()).find("ada@") == std::string_view::npos);
  }

  // The body as the order context the host hands back: only numeric ids pass.
  try {
    const tg::OrderRef ref = tg::parse_order_context(parts[3]);
    TTB_FUZZ_CHECK(!ref.assessment_id.empty() && !ref.candidature_id.empty());
    TTB_FUZZ_CHECK(ref.vendor_order_id().find('/') == ref.assessment_id.size());
    const auto digits = [](const std::string& s) {
      return s.find_first_not_of("0123456789") == std::string::npos;
    };
    TTB_FUZZ_CHECK(digits(ref.assessment_id) && digits(ref.candidature_id) &&
                   digits(ref.test_taker_id));
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID);
  }

  const json page = json::parse(parts[3], nullptr, false);
  if (page.is_discarded()) return 0;

  json tests = json::array();
  try {
    tg::append_assessments(page, tests);
    ttb::fuzz::check_host_accepts_tests(tests);
    for (const json& test : tests) {
      TTB_FUZZ_CHECK(!test["id"].get_ref<const std::string&>().empty());
      TTB_FUZZ_CHECK(test["name"].get_ref<const std::string&>().size() <= kMaxTestName);
    }
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }

  for (const auto& [id, email] : {std::pair<std::string, std::string>{"9001", ""},
                                  std::pair<std::string, std::string>{"", "ADA@example.org"}}) {
    try {
      if (const auto found = tg::find_candidature(page, id, email)) {
        TTB_FUZZ_CHECK(found->is_object());
        if (email.empty()) TTB_FUZZ_CHECK(tg::id_text(found->at("id")) == id);
      }
    } catch (const sdk::Error& e) {
      TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
    }
  }
  (void)tg::has_more(page, 0);
  (void)tg::has_more(page, 1000);
  const json score = tg::score_of(page);
  TTB_FUZZ_CHECK(score.is_null() || (score.is_number() && score >= 0 && score <= 100));

  // The page as a candidature (with itself as its results), and its elements as candidatures.
  map_candidature(page, page);
  map_candidature(page, std::nullopt);
  if (page.is_object()) {
    if (auto results = page.find("results"); results != page.end() && results->is_array()) {
      std::size_t mapped = 0;
      for (const json& candidature : *results) {
        if (++mapped > kMaxCandidatures) break;
        map_candidature(candidature, page);
      }
    }
  }
  check_update(tg::candidature_gone_update(stored_ref()));
  check_update(tg::cancelled_update(stored_ref()));
  return 0;
}

#include "codility_api.h"

#include "ttbridge/json_depth.hpp"

namespace ttb::codility {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-codility/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();
  // Too deep to walk safely (json_depth.hpp) is as good as not JSON.
  json j = sdk::json_nests_deeper_than(body, sdk::kMaxVendorJsonDepth)
               ? json(json::value_t::discarded)
               : json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility answered with a body that is not JSON when asked to " + action);
  return j;
}

// Codility's words in error details, and its rate-limit headers.
constexpr sdk::VendorTerms kTerms{
    .vendor = "Codility",
    .credential = "the API token",
    .credential_hint = "check the provider's api_token",
    .unknown = "the test or session",
    .rate_limit = "rate limit (500 requests an hour)",
    .wait = {.default_ms = kDefaultRetryAfterMs,
             .due_ms = kDefaultRetryAfterMs,
             .max_ms = kMaxRetryAfterMs},
    // A 503 with Retry-After says when to come back; the engine's backoff handles the rest.
    .unavailable_retry_after = true,
};

}  // namespace

sdk::HttpRequest CodilityApi::request(std::string method, std::string url) const {
  sdk::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = {{"Authorization", "Bearer " + config_.api_token},
               {"Accept", "application/json"},
               {"User-Agent", kUserAgent}};
  return r;
}

void CodilityApi::get_page(const std::string& url, std::string action, sdk::Call call,
                           OnJson on_json) const {
  // The URL is ours or a `next` link already checked against base_url's origin.
  host_.http(request("GET", url), std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 const sdk::HttpResponse& r, sdk::Call c) {
               if (!sdk::succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void CodilityApi::invite(const std::string& test_id, const json& body, sdk::Call call,
                         OnJson on_json) const {
  auto req =
      request("POST", config_.base_url + "/tests/" + sdk::encode_segment(test_id) + "/invite/");
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  host_.http(req, std::move(call),
             [host = host_, on_json = std::move(on_json)](const sdk::HttpResponse& r, sdk::Call c) {
               if (r.status == TTB_STATUS_OK && (r.http_status == 400 || r.http_status == 422))
                 // About the test or the candidate, not transient: a retry fails the same way.
                 throw sdk::Error(TTB_STATUS_INVALID,
                                  "Codility refused the invitation (HTTP " +
                                      std::to_string(r.http_status) +
                                      "): the test may be archived or closed, or the candidate's "
                                      "e-mail is not accepted");
               if (!sdk::succeeded(r)) throw vendor_error(r, "invite the candidate", host.now_ms());
               on_json(parse_body(r.body, "invite the candidate"), std::move(c));
             });
}

void CodilityApi::get_or_gone(std::string url, std::string action, sdk::Call call,
                              OnSession on_json) const {
  host_.http(request("GET", std::move(url)), std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 const sdk::HttpResponse& r, sdk::Call c) {
               if (r.status == TTB_STATUS_OK && (r.http_status == 404 || r.http_status == 410)) {
                 on_json(std::nullopt, std::move(c));
                 return;
               }
               if (!sdk::succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void CodilityApi::get_sessions_page(const std::string& url, sdk::Call call,
                                    OnSession on_page) const {
  get_or_gone(url, "look up the order's test session", std::move(call), std::move(on_page));
}

void CodilityApi::get_session(const std::string& session_id, sdk::Call call,
                              OnSession on_session) const {
  get_or_gone(config_.base_url + "/sessions/" + sdk::encode_segment(session_id) + "/",
              "read the test session", std::move(call), std::move(on_session));
}

// ---- paging

std::string first_tests_page_url(const std::string& base_url) {
  return base_url + "/tests/?is_archived=False";
}

std::string sessions_lookup_url(const std::string& base_url, const std::string& test_id,
                                const std::string& order_id) {
  return base_url + "/tests/" + sdk::encode_segment(test_id) +
         "/sessions/?candidate=" + sdk::encode_segment(order_id);
}

std::optional<std::string> next_page_url(const json& page, const std::string& base_url,
                                         const std::string& current_url) {
  if (!page.is_object()) return std::nullopt;
  auto next = page.find("next");
  if (next == page.end() || !next->is_string() || next->get_ref<const std::string&>().empty())
    return std::nullopt;
  auto results = page.find("results");
  if (results == page.end() || !results->is_array() || results->empty()) return std::nullopt;
  auto url = sdk::resolve_link(next->get<std::string>(), base_url);
  if (!url)
    throw sdk::Error(
        TTB_STATUS_INVALID,
        "Codility's next-page link is not on the configured base_url's host; not following it");
  if (*url == current_url)
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility's next-page link points at the same page");
  return url;
}

// ---- answers

std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms) {
  return sdk::rate_limit_wait_ms(response, now_ms, kTerms.wait);
}

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view action, std::int64_t now_ms) {
  return sdk::error_for_answer(r, action, now_ms, kTerms);
}

}  // namespace ttb::codility

#include "hackerrank_api.h"

#include "mapping.h"
#include "ttbridge/json_depth.hpp"

namespace ttb::hackerrank {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-hackerrank/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();  // 204 No Content and friends
  // Too deep to walk safely (json_depth.hpp) is as good as not JSON.
  json j = sdk::json_nests_deeper_than(body, sdk::kMaxVendorJsonDepth)
               ? json(json::value_t::discarded)
               : json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "HackerRank answered with a body that is not JSON when asked to " + action);
  return j;
}

// HackerRank's words in error details, and its rate-limit headers.
constexpr sdk::VendorTerms kTerms{
    .vendor = "HackerRank",
    .credential = "the API key",
    .credential_hint = "check the provider's api_key (and that the account is not locked)",
    .unknown = "the test or candidate",
    .wait = {.default_ms = kDefaultRetryAfterMs,
             .due_ms = kDefaultRetryAfterMs,
             .max_ms = kMaxRetryAfterMs},
};

}  // namespace

sdk::HttpRequest HackerRankApi::request(std::string method, std::string url) const {
  sdk::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = {{"Authorization", "Bearer " + config_.api_key},
               {"Accept", "application/json"},
               {"User-Agent", kUserAgent}};
  return r;
}

std::string HackerRankApi::candidate_url(const std::string& test_id,
                                         const std::string& candidate_id) const {
  return config_.base_url + "/tests/" + sdk::encode_segment(test_id) + "/candidates/" +
         sdk::encode_segment(candidate_id);
}

void HackerRankApi::send_json(const sdk::HttpRequest& req, std::string action, sdk::Call call,
                              OnJson on_json) const {
  host_.http(req, std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 const sdk::HttpResponse& r, sdk::Call c) {
               if (!sdk::succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void HackerRankApi::get_page(const std::string& url, sdk::Call call, OnJson on_json) const {
  // The URL is ours or a `next` link already checked against base_url's origin
  // (next_tests_page_url).
  send_json(request("GET", url), "list the tests", std::move(call), std::move(on_json));
}

void HackerRankApi::invite(const std::string& test_id, const json& body, sdk::Call call,
                           OnJson on_json) const {
  auto req =
      request("POST", config_.base_url + "/tests/" + sdk::encode_segment(test_id) + "/candidates");
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  host_.http(
      req, std::move(call),
      [host = host_, on_json = std::move(on_json)](const sdk::HttpResponse& r, sdk::Call c) {
        if (r.status == TTB_STATUS_OK && r.http_status == 422) {
          // HackerRank's 422 on an invite is about the candidate or the test, not
          // transient: retrying would fail the same way.
          const bool already = r.body.find("already") != std::string::npos;
          throw sdk::Error(
              TTB_STATUS_INVALID,
              already ? "HackerRank refused the invitation (HTTP 422): this candidate was already "
                        "invited to this test"
                      : "HackerRank refused the invitation (HTTP 422): the test may be a draft, "
                        "archived or locked, or the candidate's e-mail is not accepted");
        }
        if (!sdk::succeeded(r)) throw vendor_error(r, "invite the candidate", host.now_ms());
        on_json(parse_body(r.body, "invite the candidate"), std::move(c));
      });
}

void HackerRankApi::get_candidate(const std::string& test_id, const std::string& candidate_id,
                                  sdk::Call call, OnJson on_json) const {
  std::string url = candidate_url(test_id, candidate_id) + "?additional_fields=" + kCandidateFields;
  send_json(request("GET", std::move(url)), "read the candidate's result", std::move(call),
            std::move(on_json));
}

void HackerRankApi::get_pdf_link(const std::string& test_id, const std::string& candidate_id,
                                 sdk::Call call, OnPdf on_pdf) const {
  host_.http(
      request("GET", candidate_url(test_id, candidate_id) + "/pdf?format=url"), std::move(call),
      [on_pdf = std::move(on_pdf)](const sdk::HttpResponse& r, sdk::Call c) {
        std::optional<std::string> link;
        if (sdk::succeeded(r) && !sdk::json_nests_deeper_than(r.body, sdk::kMaxVendorJsonDepth)) {
          json j = json::parse(r.body, nullptr, false);
          if (!j.is_discarded()) link = pdf_link_from(j);
        }
        on_pdf(std::move(link), std::move(c));
      });
}

void HackerRankApi::get_test(const std::string& test_id, sdk::Call call,
                             std::function<void(std::optional<json>, sdk::Call)> on_test) const {
  host_.http(
      request("GET", config_.base_url + "/tests/" + sdk::encode_segment(test_id) +
                         "?additional_fields=max_score,cutoff_score"),
      std::move(call), [on_test = std::move(on_test)](const sdk::HttpResponse& r, sdk::Call c) {
        std::optional<json> test;
        if (sdk::succeeded(r) && !sdk::json_nests_deeper_than(r.body, sdk::kMaxVendorJsonDepth)) {
          json j = json::parse(r.body, nullptr, false);
          if (j.is_object()) test = std::move(j);
        }
        on_test(std::move(test), std::move(c));
      });
}

void HackerRankApi::cancel_invite(const std::string& test_id, const std::string& candidate_id,
                                  sdk::Call call, OnJson on_json) const {
  send_json(request("DELETE", candidate_url(test_id, candidate_id) + "/invite"),
            "cancel the invitation", std::move(call), std::move(on_json));
}

// ---- list_tests paging

std::string first_tests_page_url(const std::string& base_url) {
  return base_url + "/tests?limit=" + std::to_string(kPageSize) + "&offset=0";
}

std::optional<std::string> next_tests_page_url(const json& page, const std::string& base_url,
                                               const std::string& current_url) {
  auto next = page.find("next");
  if (next == page.end() || !next->is_string() || next->get_ref<const std::string&>().empty())
    return std::nullopt;
  auto data = page.find("data");
  if (data == page.end() || !data->is_array() || data->empty()) return std::nullopt;
  auto url = sdk::resolve_link(next->get<std::string>(), base_url);
  if (!url)
    throw sdk::Error(
        TTB_STATUS_INVALID,
        "HackerRank's next-page link is not on the configured base_url's host; not following it");
  if (*url == current_url)
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "HackerRank's next-page link points at the same page");
  return url;
}

// ---- answers

std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms) {
  return sdk::rate_limit_wait_ms(response, now_ms, kTerms.wait);
}

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view action, std::int64_t now_ms) {
  return sdk::error_for_answer(r, action, now_ms, kTerms);
}

}  // namespace ttb::hackerrank

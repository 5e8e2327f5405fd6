#include "testgorilla_api.h"

#include "ttbridge/json_depth.hpp"

namespace ttb::testgorilla {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-testgorilla/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();  // 204 No Content (DELETE)
  // Too deep to walk safely (json_depth.hpp) is as good as not JSON.
  json j = sdk::json_nests_deeper_than(body, sdk::kMaxVendorJsonDepth)
               ? json(json::value_t::discarded)
               : json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "TestGorilla answered with a body that is not JSON when asked to " + action);
  return j;
}

// TestGorilla's words in error details, and its rate-limit header.
constexpr sdk::VendorTerms kTerms{
    .vendor = "TestGorilla",
    .credential = "the token",
    .credential_hint =
        "check the provider's api_token (or username and password) and that the "
        "account's plan includes API access",
    .unknown = "the assessment or candidate",
    .wait = {.default_ms = kDefaultRetryAfterMs,
             .due_ms = 1000,  // "now": still give the window a second
             .max_ms = kMaxRetryAfterMs,
             // Seconds until the window resets, as TestGorilla documents it.
             .reset_headers = {"X-RateLimit-Reset", ""}},
};

}  // namespace

sdk::HttpRequest TestGorillaApi::request(const Send& what) const {
  sdk::HttpRequest r;
  r.method = what.method;
  r.url = config_.base_url + what.path;
  const std::string& token = config_.api_token.empty() ? token_ : config_.api_token;
  r.headers = {{"Authorization", "Token " + token},
               {"Accept", "application/json"},
               {"User-Agent", kUserAgent}};
  if (!what.body.empty()) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = what.body;
  }
  return r;
}

void TestGorillaApi::send(Send what, sdk::Call call, OnJson on_json, bool after_login) {
  const bool uses_login = config_.api_token.empty();
  if (uses_login && token_.empty()) {
    login(std::move(call),
          [this, what = std::move(what), on_json = std::move(on_json)](sdk::Call c) mutable {
            send(std::move(what), std::move(c), std::move(on_json), /*after_login=*/true);
          });
    return;
  }
  sdk::HttpRequest req = request(what);
  host_.http(
      req, std::move(call),
      [this, what = std::move(what), on_json = std::move(on_json), uses_login, after_login](
          const sdk::HttpResponse& r, sdk::Call c) mutable {
        if (uses_login && !after_login && r.status == TTB_STATUS_OK && r.http_status == 401) {
          // The token expired (an hour after its last use): log in once more.
          token_.clear();
          send(std::move(what), std::move(c), std::move(on_json), /*after_login=*/false);
          return;
        }
        if (!sdk::succeeded(r)) throw vendor_error(r, what.action, host_.now_ms());
        on_json(parse_body(r.body, what.action), std::move(c));
      });
}

void TestGorillaApi::login(sdk::Call call, std::function<void(sdk::Call)> then) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.url = config_.base_url + "/profiles/login/";
  r.headers = {{"Content-Type", "application/json"},
               {"Accept", "application/json"},
               {"User-Agent", kUserAgent}};
  r.body = json{{"username", config_.username}, {"password", config_.password}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  host_.http(r, std::move(call),
             [this, then = std::move(then)](const sdk::HttpResponse& resp, sdk::Call c) {
               if (resp.status == TTB_STATUS_OK &&
                   (resp.http_status == 400 || resp.http_status == 401 || resp.http_status == 403))
                 throw sdk::Error(TTB_STATUS_AUTH,
                                  "TestGorilla refused the login (HTTP " +
                                      std::to_string(resp.http_status) +
                                      "); check the provider's username and password");
               if (!sdk::succeeded(resp)) throw vendor_error(resp, "log in", host_.now_ms());
               json answer = parse_body(resp.body, "log in");
               auto token = answer.is_object() ? answer.find("token") : answer.end();
               if (!answer.is_object() || token == answer.end() || !token->is_string() ||
                   token->get_ref<const std::string&>().empty())
                 throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                                  "TestGorilla's login answer has no token");
               token_ = token->get<std::string>();
               then(std::move(c));
             });
}

void TestGorillaApi::list_assessments(int offset, sdk::Call call, OnJson on_json) {
  send({"GET",
        "/assessments/?status=new,active&ordering=-modified&limit=" + std::to_string(kPageSize) +
            "&offset=" + std::to_string(offset),
        "", "list the assessments"},
       std::move(call), std::move(on_json));
}

void TestGorillaApi::list_candidatures(const std::string& assessment_id, const std::string& search,
                                       int offset, sdk::Call call, OnJson on_json) {
  send({"GET",
        "/assessments/candidature/?assessment=" + sdk::encode_segment(assessment_id) +
            (search.empty() ? "" : "&search=" + sdk::encode_segment(search)) +
            "&ordering=-created&limit=" + std::to_string(kPageSize) +
            "&offset=" + std::to_string(offset),
        "", "list the assessment's candidates"},
       std::move(call), std::move(on_json));
}

void TestGorillaApi::invite(const std::string& assessment_id, const json& body, sdk::Call call,
                            OnJson on_json) {
  Send what{"POST",
            "/assessments/" + sdk::encode_segment(assessment_id) + "/invite_candidate/" +
                (config_.send_email ? "" : "?no_email=true"),
            body.dump(-1, ' ', false, json::error_handler_t::replace), "invite the candidate"};
  send(std::move(what), std::move(call), std::move(on_json));
}

void TestGorillaApi::list_results(const std::string& assessment_id,
                                  const std::string& test_taker_id, sdk::Call call,
                                  OnJson on_json) {
  send({"GET",
        "/assessments/results/?candidature__assessment=" + sdk::encode_segment(assessment_id) +
            "&candidature__test_taker=" + sdk::encode_segment(test_taker_id),
        "", "read the candidate's test results"},
       std::move(call), std::move(on_json));
}

void TestGorillaApi::delete_candidature(const std::string& candidature_id, sdk::Call call,
                                        OnJson on_json) {
  send({"DELETE", "/assessments/candidature/" + sdk::encode_segment(candidature_id) + "/", "",
        "cancel the invitation"},
       std::move(call), std::move(on_json));
}

// ---- answers

std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms) {
  return sdk::rate_limit_wait_ms(response, now_ms, kTerms.wait);
}

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view action, std::int64_t now_ms) {
  return sdk::error_for_answer(r, action, now_ms, kTerms);
}

}  // namespace ttb::testgorilla

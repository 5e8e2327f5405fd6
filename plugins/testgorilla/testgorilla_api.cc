#include "testgorilla_api.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace ttb::testgorilla {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-testgorilla/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();  // 204 No Content (DELETE)
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "TestGorilla answered with a body that is not JSON when asked to " + action);
  return j;
}

// Digits only, at most 12 of them; nullopt otherwise.
std::optional<std::int64_t> parse_count(const std::optional<std::string>& v) {
  if (!v || v->empty() || v->size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::uint32_t clamp_ms(std::int64_t ms) {
  if (ms <= 0) return 1000;  // "now": still give the window a second
  return static_cast<std::uint32_t>(std::min<std::int64_t>(ms, kMaxRetryAfterMs));
}

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
      std::move(req), std::move(call),
      [this, what = std::move(what), on_json = std::move(on_json), uses_login, after_login](
          sdk::HttpResponse r, sdk::Call c) mutable {
        if (uses_login && !after_login && r.status == TTB_STATUS_OK && r.http_status == 401) {
          // The token expired (an hour after its last use): log in once more.
          token_.clear();
          send(std::move(what), std::move(c), std::move(on_json), /*after_login=*/false);
          return;
        }
        if (!succeeded(r)) throw vendor_error(r, what.action, host_.now_ms());
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
  host_.http(std::move(r), std::move(call),
             [this, then = std::move(then)](sdk::HttpResponse resp, sdk::Call c) {
               if (resp.status == TTB_STATUS_OK &&
                   (resp.http_status == 400 || resp.http_status == 401 || resp.http_status == 403))
                 throw sdk::Error(TTB_STATUS_AUTH,
                                  "TestGorilla refused the login (HTTP " +
                                      std::to_string(resp.http_status) +
                                      "); check the provider's username and password");
               if (!succeeded(resp)) throw vendor_error(resp, "log in", host_.now_ms());
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
        "/assessments/candidature/?assessment=" + encode_segment(assessment_id) +
            (search.empty() ? "" : "&search=" + encode_segment(search)) +
            "&ordering=-created&limit=" + std::to_string(kPageSize) +
            "&offset=" + std::to_string(offset),
        "", "list the assessment's candidates"},
       std::move(call), std::move(on_json));
}

void TestGorillaApi::invite(const std::string& assessment_id, const json& body, sdk::Call call,
                            OnJson on_json) {
  Send what{"POST",
            "/assessments/" + encode_segment(assessment_id) + "/invite_candidate/" +
                (config_.send_email ? "" : "?no_email=true"),
            body.dump(-1, ' ', false, json::error_handler_t::replace), "invite the candidate"};
  send(std::move(what), std::move(call), std::move(on_json));
}

void TestGorillaApi::list_results(const std::string& assessment_id,
                                  const std::string& test_taker_id, sdk::Call call,
                                  OnJson on_json) {
  send({"GET",
        "/assessments/results/?candidature__assessment=" + encode_segment(assessment_id) +
            "&candidature__test_taker=" + encode_segment(test_taker_id),
        "", "read the candidate's test results"},
       std::move(call), std::move(on_json));
}

void TestGorillaApi::delete_candidature(const std::string& candidature_id, sdk::Call call,
                                        OnJson on_json) {
  send({"DELETE", "/assessments/candidature/" + encode_segment(candidature_id) + "/", "",
        "cancel the invitation"},
       std::move(call), std::move(on_json));
}

// ---- answers

std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms) {
  if (auto s = parse_count(response.header("Retry-After"))) return clamp_ms(*s * 1000);
  if (auto v = parse_count(response.header("X-RateLimit-Reset"))) {
    // Seconds until the window resets (TestGorilla's documented meaning); anything past 2001
    // (1e9 s) can only be an epoch time.
    if (*v >= 1'000'000'000) return clamp_ms(*v * 1000 - now_ms);
    return clamp_ms(*v * 1000);
  }
  return kDefaultRetryAfterMs;
}

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view action, std::int64_t now_ms) {
  const std::string what(action);
  if (r.status != TTB_STATUS_OK) {
    return sdk::Error(
        r.status == TTB_STATUS_CANCELLED ? TTB_STATUS_CANCELLED : TTB_STATUS_VENDOR_UNAVAILABLE,
        "could not reach TestGorilla to " + what + (r.error.empty() ? "" : ": " + r.error));
  }
  const std::string code = "HTTP " + std::to_string(r.http_status);
  switch (sdk::status_for_http(r)) {
    case TTB_STATUS_AUTH:
      return sdk::Error(TTB_STATUS_AUTH,
                        "TestGorilla refused the token (" + code + ") when asked to " + what +
                            "; check the provider's api_token (or username and password) and "
                            "that the account's plan includes API access");
    case TTB_STATUS_NOT_FOUND:
      return sdk::Error(TTB_STATUS_NOT_FOUND,
                        "TestGorilla does not know the assessment or "
                        "candidate (" +
                            code + ") when asked to " + what);
    case TTB_STATUS_RATE_LIMITED: {
      std::uint32_t ms = rate_limit_retry_ms(r, now_ms);
      return sdk::Error(TTB_STATUS_RATE_LIMITED,
                        "TestGorilla's rate limit was hit (" + code + ") when asked to " + what +
                            "; retry in " + std::to_string(ms) + " ms",
                        ms);
    }
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                        "TestGorilla is unavailable (" + code + ") when asked to " + what);
    default:
      return sdk::Error(TTB_STATUS_INVALID,
                        "TestGorilla rejected the request to " + what + " (" + code + ")");
  }
}

std::string encode_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  if (out == "." || out == "..") return out == "." ? "%2E" : "%2E%2E";
  return out;
}

}  // namespace ttb::testgorilla

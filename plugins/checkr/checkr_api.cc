#include "checkr_api.h"

#include <array>

#include "rate_limit.h"
#include "ttbridge/hmac_sha256.hpp"

namespace ttb::checkr {

const char* const kReportIncludes =
    "candidate,documents,ssn_trace,sex_offender_search,global_watchlist_search,national_criminal_"
    "search,"
    "county_criminal_searches,state_criminal_searches,federal_criminal_search,motor_vehicle_report";

namespace {

constexpr std::uint32_t kTimeoutMs = 15000;

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t n = (std::uint32_t(std::uint8_t(in[i])) << 16) |
                      (std::uint32_t(std::uint8_t(in[i + 1])) << 8) | std::uint8_t(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    std::uint32_t n = std::uint32_t(std::uint8_t(in[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    std::uint32_t n =
        (std::uint32_t(std::uint8_t(in[i])) << 16) | (std::uint32_t(std::uint8_t(in[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// Checkr's error body is {"error": "..."} (sometimes a list). Kept short: it goes into details
// an operator reads, and it must not grow into a copy of the request.
std::string vendor_message(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  std::string msg;
  if (doc.is_object()) {
    auto it = doc.find("error");
    if (it != doc.end() && it->is_string()) msg = it->get<std::string>();
    if (it != doc.end() && it->is_array() && !it->empty() && it->front().is_string())
      msg = it->front().get<std::string>();
  }
  if (msg.size() > 200) msg = msg.substr(0, 200) + "...";
  return msg;
}

}  // namespace

CheckrApi::CheckrApi(const Config& config)
    : base_url_(config.base_url), authorization_(basic_authorization(config.api_key)) {}

sdk::HttpRequest CheckrApi::request(std::string method, std::string path_and_query) const {
  sdk::HttpRequest r;
  r.method = std::move(method);
  r.url = base_url_ + path_and_query;
  r.headers = {{"Authorization", authorization_}, {"Accept", "application/json"}};
  r.timeout_ms = kTimeoutMs;
  return r;
}

sdk::HttpRequest CheckrApi::list_packages(int page) const {
  return request(
      "GET", "/packages?page=" + std::to_string(page) + "&per_page=" + std::to_string(kPageSize));
}

sdk::HttpRequest CheckrApi::find_candidate(std::string_view custom_id) const {
  return request("GET", "/candidates?custom_id=" + url_encode(custom_id));
}

sdk::HttpRequest CheckrApi::get_candidate(std::string_view id) const {
  return request("GET", "/candidates/" + url_encode(id));
}

sdk::HttpRequest CheckrApi::create_candidate(const nlohmann::json& body,
                                             std::string_view key) const {
  auto r = request("POST", "/candidates");
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Idempotency-Key", std::string(key));
  r.body = body.dump();
  return r;
}

sdk::HttpRequest CheckrApi::create_invitation(const nlohmann::json& body,
                                              std::string_view key) const {
  auto r = request("POST", "/invitations");
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Idempotency-Key", std::string(key));
  r.body = body.dump();
  return r;
}

sdk::HttpRequest CheckrApi::get_invitation(std::string_view id) const {
  return request("GET", "/invitations/" + url_encode(id));
}

sdk::HttpRequest CheckrApi::delete_invitation(std::string_view id) const {
  return request("DELETE", "/invitations/" + url_encode(id));
}

sdk::HttpRequest CheckrApi::get_report(std::string_view id) const {
  return request("GET", "/reports/" + url_encode(id) + "?include=" + url_encode(kReportIncludes));
}

sdk::HttpRequest CheckrApi::get_document(std::string_view id) const {
  return request("GET", "/documents/" + url_encode(id));
}

std::string basic_authorization(std::string_view api_key) {
  std::string credentials(api_key);
  credentials += ':';
  return "Basic " + base64(credentials);
}

std::string idempotency_key(std::string_view step, std::string_view order_id) {
  sdk::Sha256 h;
  h.update("ttbridge/checkr/");
  h.update(step);
  h.update("/");
  h.update(order_id);
  auto d = h.digest();
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0f) | 0x80);  // UUID version 8 (application-defined)
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = sdk::to_hex(d);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<ApiFailure> classify(const sdk::HttpResponse& r, std::string_view what,
                                   std::int64_t now_ms) {
  const std::string prefix = "Checkr: could not " + std::string(what);
  ttb_status status = sdk::status_for_http(r);
  if (status == TTB_STATUS_OK) return std::nullopt;
  if (r.status != TTB_STATUS_OK)  // no HTTP answer at all
    return ApiFailure{status,
                      prefix + ": " + (r.error.empty() ? std::string("no answer") : r.error), 0};

  std::string detail = prefix + " (HTTP " + std::to_string(r.http_status) + ")";
  std::string msg = vendor_message(r.body);
  if (!msg.empty()) detail += ": " + msg;
  ApiFailure f{status, std::move(detail), 0};
  if (status == TTB_STATUS_RATE_LIMITED) {
    auto reset = r.header("X-Ratelimit-Reset");
    f.retry_after_ms =
        retry_after_ms(reset ? std::optional<std::string_view>(*reset) : std::nullopt, now_ms);
  } else if (status == TTB_STATUS_AUTH) {
    f.detail += " (check the provider's api_key)";
  }
  return f;
}

std::optional<ApiFailure> parse_body(const sdk::HttpResponse& r, std::string_view what,
                                     nlohmann::json& out) {
  out = nlohmann::json::parse(r.body, nullptr, false);
  if (out.is_discarded() || !out.is_object())
    return ApiFailure{
        TTB_STATUS_VENDOR_UNAVAILABLE,
        "Checkr: could not " + std::string(what) + ": the answer is not a JSON object", 0};
  return std::nullopt;
}

}  // namespace ttb::checkr

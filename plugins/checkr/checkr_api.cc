#include "checkr_api.h"

#include <array>
#include <cctype>

#include "ttbridge/hmac_sha256.hpp"
#include "ttbridge/json_depth.hpp"

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
  if (sdk::json_nests_deeper_than(body, sdk::kMaxVendorJsonDepth)) return "";
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

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

CheckrApi::CheckrApi(const Config& config)
    : base_url_(config.base_url), authorization_(basic_authorization(config.api_key)) {}

sdk::HttpRequest CheckrApi::request(std::string method, const std::string& path_and_query) const {
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

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view what, std::int64_t now_ms) {
  const std::string prefix = "Checkr: could not " + std::string(what);
  ttb_status status = sdk::status_for_http(r);
  if (r.status != TTB_STATUS_OK)  // no HTTP answer at all
    return sdk::Error(status,
                      prefix + ": " + (r.error.empty() ? std::string("no answer") : r.error));

  std::string detail = prefix + " (HTTP " + std::to_string(r.http_status) + ")";
  std::string msg = vendor_message(r.body);
  if (!msg.empty()) detail += ": " + msg;
  if (status == TTB_STATUS_RATE_LIMITED) {
    auto reset = r.header("X-Ratelimit-Reset");
    return sdk::Error(
        status, std::move(detail),
        retry_after_ms(reset ? std::optional<std::string_view>(*reset) : std::nullopt, now_ms));
  }
  if (status == TTB_STATUS_AUTH) detail += " (check the provider's api_key)";
  return sdk::Error(status, std::move(detail));
}

void check_answer(const sdk::HttpResponse& r, std::string_view what, std::int64_t now_ms) {
  if (sdk::status_for_http(r) != TTB_STATUS_OK) throw vendor_error(r, what, now_ms);
}

nlohmann::json answer_body(const sdk::HttpResponse& r, std::string_view what, std::int64_t now_ms) {
  check_answer(r, what, now_ms);
  // Too deep to walk safely (json_depth.hpp) is as good as not JSON.
  auto body = sdk::json_nests_deeper_than(r.body, sdk::kMaxVendorJsonDepth)
                  ? nlohmann::json(nlohmann::json::value_t::discarded)
                  : nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "Checkr: could not " + std::string(what) +
                                                        ": the answer is not a JSON object");
  return body;
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) {
  std::size_t p = 0;
  int year, month, day, hour, minute, second;
  if (!digits(s, p, 4, year) || !expect(s, p, '-') || !digits(s, p, 2, month) ||
      !expect(s, p, '-') || !digits(s, p, 2, day))
    return std::nullopt;
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) return std::nullopt;
  ++p;
  if (!digits(s, p, 2, hour) || !expect(s, p, ':') || !digits(s, p, 2, minute) ||
      !expect(s, p, ':') || !digits(s, p, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::int64_t millis = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int scale = 100, n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      millis += std::int64_t{s[p] - '0'} * scale;
      scale /= 10;
      ++p;
      ++n;
    }
    if (n == 0) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh, om;
    if (!digits(s, p, 2, oh)) return std::nullopt;
    if (p < s.size() && s[p] == ':') ++p;
    if (!digits(s, p, 2, om)) return std::nullopt;
    offset_s = sign * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (p != s.size()) return std::nullopt;
  std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t secs =
      days * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset_s;
  return secs * 1000 + millis;
}

std::uint32_t retry_after_ms(std::optional<std::string_view> reset_header, std::int64_t now_ms) {
  if (!reset_header) return kDefaultRetryMs;
  std::string_view v = *reset_header;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);

  std::optional<std::int64_t> reset_ms;
  bool all_digits = !v.empty() && v.size() <= 12;
  for (char c : v) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    std::int64_t secs = 0;
    for (char c : v) secs = secs * 10 + (c - '0');
    reset_ms = secs * 1000;
  } else {
    reset_ms = parse_iso8601_ms(v);
  }
  if (!reset_ms) return kDefaultRetryMs;
  std::int64_t wait = *reset_ms - now_ms;
  if (wait < kMinRetryMs) return kMinRetryMs;
  if (wait > kMaxRetryMs) return kMaxRetryMs;
  return static_cast<std::uint32_t>(wait);
}

}  // namespace ttb::checkr

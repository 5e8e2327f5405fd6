#include "codility_api.h"

#include <algorithm>
#include <cctype>

namespace ttb::codility {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-codility/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility answered with a body that is not JSON when asked to " + action);
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
  if (ms <= 0) return kDefaultRetryAfterMs;
  return static_cast<std::uint32_t>(std::min<std::int64_t>(ms, kMaxRetryAfterMs));
}

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
                 sdk::HttpResponse r, sdk::Call c) {
               if (!succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void CodilityApi::invite(const std::string& test_id, const json& body, sdk::Call call,
                         OnJson on_json) const {
  auto req = request("POST", config_.base_url + "/tests/" + encode_segment(test_id) + "/invite/");
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  host_.http(std::move(req), std::move(call),
             [host = host_, on_json = std::move(on_json)](sdk::HttpResponse r, sdk::Call c) {
               if (r.status == TTB_STATUS_OK && (r.http_status == 400 || r.http_status == 422))
                 // About the test or the candidate, not transient: a retry fails the same way.
                 throw sdk::Error(TTB_STATUS_INVALID,
                                  "Codility refused the invitation (HTTP " +
                                      std::to_string(r.http_status) +
                                      "): the test may be archived or closed, or the candidate's "
                                      "e-mail is not accepted");
               if (!succeeded(r)) throw vendor_error(r, "invite the candidate", host.now_ms());
               on_json(parse_body(r.body, "invite the candidate"), std::move(c));
             });
}

void CodilityApi::get_or_gone(std::string url, std::string action, sdk::Call call,
                              OnSession on_json) const {
  host_.http(request("GET", std::move(url)), std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 sdk::HttpResponse r, sdk::Call c) {
               if (r.status == TTB_STATUS_OK && (r.http_status == 404 || r.http_status == 410)) {
                 on_json(std::nullopt, std::move(c));
                 return;
               }
               if (!succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void CodilityApi::get_sessions_page(const std::string& url, sdk::Call call,
                                    OnSession on_page) const {
  get_or_gone(url, "look up the order's test session", std::move(call), std::move(on_page));
}

void CodilityApi::get_session(const std::string& session_id, sdk::Call call,
                              OnSession on_session) const {
  get_or_gone(config_.base_url + "/sessions/" + encode_segment(session_id) + "/",
              "read the test session", std::move(call), std::move(on_session));
}

// ---- paging

std::string first_tests_page_url(const std::string& base_url) {
  return base_url + "/tests/?is_archived=False";
}

std::string sessions_lookup_url(const std::string& base_url, const std::string& test_id,
                                const std::string& order_id) {
  return base_url + "/tests/" + encode_segment(test_id) +
         "/sessions/?candidate=" + encode_segment(order_id);
}

std::optional<std::string> next_page_url(const json& page, const std::string& base_url,
                                         const std::string& current_url) {
  if (!page.is_object()) return std::nullopt;
  auto next = page.find("next");
  if (next == page.end() || !next->is_string() || next->get_ref<const std::string&>().empty())
    return std::nullopt;
  auto results = page.find("results");
  if (results == page.end() || !results->is_array() || results->empty()) return std::nullopt;
  auto url = resolve_link(next->get<std::string>(), base_url);
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
  if (auto s = parse_count(response.header("Retry-After"))) return clamp_ms(*s * 1000);
  // A reset header is either seconds until the window resets or an epoch time in seconds;
  // anything past 2001 (1e9 s) can only be the latter.
  for (const char* name : {"X-RateLimit-Reset", "RateLimit-Reset"}) {
    if (auto v = parse_count(response.header(name))) {
      if (*v >= 1'000'000'000) return clamp_ms(*v * 1000 - now_ms);
      return clamp_ms(*v * 1000);
    }
  }
  return kDefaultRetryAfterMs;
}

sdk::Error vendor_error(const sdk::HttpResponse& r, std::string_view action, std::int64_t now_ms) {
  const std::string what(action);
  if (r.status != TTB_STATUS_OK) {
    return sdk::Error(
        r.status == TTB_STATUS_CANCELLED ? TTB_STATUS_CANCELLED : TTB_STATUS_VENDOR_UNAVAILABLE,
        "could not reach Codility to " + what + (r.error.empty() ? "" : ": " + r.error));
  }
  const std::string code = "HTTP " + std::to_string(r.http_status);
  switch (sdk::status_for_http(r)) {
    case TTB_STATUS_AUTH:
      return sdk::Error(TTB_STATUS_AUTH, "Codility refused the API token (" + code +
                                             ") when asked to " + what +
                                             "; check the provider's api_token");
    case TTB_STATUS_NOT_FOUND:
      return sdk::Error(TTB_STATUS_NOT_FOUND, "Codility does not know the test or session (" +
                                                  code + ") when asked to " + what);
    case TTB_STATUS_RATE_LIMITED: {
      std::uint32_t ms = rate_limit_retry_ms(r, now_ms);
      return sdk::Error(TTB_STATUS_RATE_LIMITED,
                        "Codility's rate limit (500 requests an hour) was hit (" + code +
                            ") when asked to " + what + "; retry in " + std::to_string(ms) + " ms",
                        ms);
    }
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      // A 503 with Retry-After says when to come back; the engine's backoff handles the rest.
      return sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                        "Codility is unavailable (" + code + ") when asked to " + what,
                        sdk::retry_after_ms(r));
    default:
      return sdk::Error(TTB_STATUS_INVALID,
                        "Codility rejected the request to " + what + " (" + code + ")");
  }
}

// ---- URLs

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
  // "." and ".." are unreserved but would still walk the path.
  if (out == "." || out == "..") return out == "." ? "%2E" : "%2E%2E";
  return out;
}

std::optional<std::string> origin_of(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::size_t host_start = scheme_end + 3;
  std::size_t host_end = url.find_first_of("/?#", host_start);
  std::string authority(url.substr(host_start, host_end == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : host_end - host_start));
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  for (char& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "https" && authority.size() > 4 && authority.ends_with(":443"))
    authority.resize(authority.size() - 4);
  if (scheme == "http" && authority.size() > 3 && authority.ends_with(":80"))
    authority.resize(authority.size() - 3);
  return scheme + "://" + authority;
}

std::optional<std::string> resolve_link(std::string_view link, std::string_view base_url) {
  auto base_origin = origin_of(base_url);
  if (!base_origin || link.empty()) return std::nullopt;
  for (unsigned char c : link)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;  // no header or request-line smuggling
  if (link.front() == '/') {
    if (link.size() > 1 && link[1] == '/') return std::nullopt;  // "//host/...": another origin
    return *base_origin + std::string(link);
  }
  auto link_origin = origin_of(link);
  if (!link_origin || *link_origin != *base_origin) return std::nullopt;
  return std::string(link);
}

}  // namespace ttb::codility

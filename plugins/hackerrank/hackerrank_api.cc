#include "hackerrank_api.h"

#include <algorithm>
#include <cctype>

#include "mapping.h"

namespace ttb::hackerrank {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-hackerrank/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();  // 204 No Content and friends
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "HackerRank answered with a body that is not JSON when asked to " + action);
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
  return config_.base_url + "/tests/" + encode_segment(test_id) + "/candidates/" +
         encode_segment(candidate_id);
}

void HackerRankApi::send_json(const sdk::HttpRequest& req, std::string action, sdk::Call call,
                              OnJson on_json) const {
  host_.http(req, std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 const sdk::HttpResponse& r, sdk::Call c) {
               if (!succeeded(r)) throw vendor_error(r, action, host.now_ms());
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
      request("POST", config_.base_url + "/tests/" + encode_segment(test_id) + "/candidates");
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
        if (!succeeded(r)) throw vendor_error(r, "invite the candidate", host.now_ms());
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
  host_.http(request("GET", candidate_url(test_id, candidate_id) + "/pdf?format=url"),
             std::move(call),
             [on_pdf = std::move(on_pdf)](const sdk::HttpResponse& r, sdk::Call c) {
               std::optional<std::string> link;
               if (succeeded(r)) {
                 json j = json::parse(r.body, nullptr, false);
                 if (!j.is_discarded()) link = pdf_link_from(j);
               }
               on_pdf(std::move(link), std::move(c));
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
  auto url = resolve_link(next->get<std::string>(), base_url);
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
  if (auto s = parse_count(response.header("Retry-After"))) return clamp_ms(*s * 1000);
  // The reset header is either seconds until the window resets or an epoch time in seconds;
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
        "could not reach HackerRank to " + what + (r.error.empty() ? "" : ": " + r.error));
  }
  const std::string code = "HTTP " + std::to_string(r.http_status);
  switch (sdk::status_for_http(r)) {
    case TTB_STATUS_AUTH:
      return sdk::Error(TTB_STATUS_AUTH,
                        "HackerRank refused the API key (" + code + ") when asked to " + what +
                            "; check the provider's api_key (and that the account is not locked)");
    case TTB_STATUS_NOT_FOUND:
      return sdk::Error(TTB_STATUS_NOT_FOUND, "HackerRank does not know the test or candidate (" +
                                                  code + ") when asked to " + what);
    case TTB_STATUS_RATE_LIMITED: {
      std::uint32_t ms = rate_limit_retry_ms(r, now_ms);
      return sdk::Error(TTB_STATUS_RATE_LIMITED,
                        "HackerRank's rate limit was hit (" + code + ") when asked to " + what +
                            "; retry in " + std::to_string(ms) + " ms",
                        ms);
    }
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                        "HackerRank is unavailable (" + code + ") when asked to " + what);
    default:
      return sdk::Error(TTB_STATUS_INVALID,
                        "HackerRank rejected the request to " + what + " (" + code + ")");
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
  // The default port is the same origin as no port.
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

}  // namespace ttb::hackerrank

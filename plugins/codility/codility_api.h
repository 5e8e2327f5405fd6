#pragma once
// Codility's REST calls, one function each, made through the host (plugins never open
// connections themselves), and the reading of their answers. Every call authenticates with
// `Authorization: Bearer <api_token>`. A non-2xx answer fails the call with vendor_error()
// (thrown as sdk::Error); a 2xx JSON body goes to `on_json`. Also the paging links, kept on
// base_url's origin (sdk::resolve_link) so the token never goes elsewhere.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"
#include "ttbridge/vendor_error.hpp"

namespace ttb::codility {

class CodilityApi {
 public:
  using OnJson = std::function<void(nlohmann::json, sdk::Call)>;
  // nullopt: Codility no longer has the session (404 or 410).
  using OnSession = std::function<void(std::optional<nlohmann::json>, sdk::Call)>;

  CodilityApi(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

  const Config& config() const { return config_; }
  const sdk::Host& host() const { return host_; }

  // GET an absolute URL on base_url's origin (a list's first page or its `next` link).
  // `action` says what for, in words, for error messages.
  void get_page(const std::string& url, std::string action, sdk::Call call, OnJson on_json) const;
  // POST /tests/{test_id}/invite/: invites the candidates of `body`. A 400 (the test cannot be
  // invited to, a bad e-mail) fails the call with INVALID.
  void invite(const std::string& test_id, const nlohmann::json& body, sdk::Call call,
              OnJson on_json) const;
  // GET a page of a session list (sessions_lookup_url or its `next`); nullopt on 404, which
  // is how a server without the listing answers.
  void get_sessions_page(const std::string& url, sdk::Call call, OnSession on_page) const;
  // GET /sessions/{session_id}/.
  void get_session(const std::string& session_id, sdk::Call call, OnSession on_session) const;

 private:
  sdk::HttpRequest request(std::string method, std::string url) const;
  void get_or_gone(std::string url, std::string action, sdk::Call call, OnSession on_json) const;

  sdk::Host host_;
  Config config_;
};

// ---- paging

inline constexpr int kMaxTestPages = 100;   // a guard against a `next` link that loops
inline constexpr int kMaxLookupPages = 10;  // sessions scanned before inviting (provider.h)

// {base_url}/tests/?is_archived=False: Codility's own filter; archived tests are dropped again
// client-side in case the filter is ignored.
std::string first_tests_page_url(const std::string& base_url);

// {base_url}/tests/{test_id}/sessions/?candidate={order_id}: the test's sessions, asking for
// those we created for this order. Whether Codility filters by `candidate` is not documented;
// the provider matches `candidate` itself, so an ignored filter only costs pages.
std::string sessions_lookup_url(const std::string& base_url, const std::string& test_id,
                                const std::string& order_id);

// The next page from a page's `next` link; nullopt on the last page (no link, or a page
// without results). Throws sdk::Error(TTB_STATUS_INVALID) when the link leaves base_url's
// origin, and VENDOR_UNAVAILABLE when it is the page just fetched.
std::optional<std::string> next_page_url(const nlohmann::json& page, const std::string& base_url,
                                         const std::string& current_url);

// ---- answers

// Codility's limit is 500 requests an hour per user; a 429 without a usable header waits this.
inline constexpr std::uint32_t kDefaultRetryAfterMs = 60 * 1000;
inline constexpr std::uint32_t kMaxRetryAfterMs = 3600 * 1000;

// When to retry after a 429 (or a 503 with Retry-After): Retry-After in seconds, else a reset
// header (seconds to wait, or an epoch time in seconds; `now_ms` is the host's clock), else
// kDefaultRetryAfterMs.
std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms);

// The error for an answer that is not 2xx (or did not arrive). `action` says what we were
// doing ("list the tests"); sdk::error_for_answer in Codility's words. A 503's Retry-After is
// passed on.
sdk::Error vendor_error(const sdk::HttpResponse& response, std::string_view action,
                        std::int64_t now_ms);

}  // namespace ttb::codility

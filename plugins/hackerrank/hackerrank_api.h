#pragma once
// HackerRank's REST calls, one function each, made through the host (plugins never open
// connections themselves), and the reading of their answers. Every call authenticates with
// `Authorization: Bearer <api_key>` (never the `access_token` query parameter, which would end
// up in logs). A non-2xx answer fails the call with vendor_error() (thrown as sdk::Error);
// a 2xx JSON body goes to `on_json`. Also test-list paging, which follows a `next` link only on
// the configured base_url's origin so the API key stays there (sdk::resolve_link).

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

namespace ttb::hackerrank {

class HackerRankApi {
 public:
  using OnJson = std::function<void(nlohmann::json, sdk::Call)>;
  using OnPdf = std::function<void(std::optional<std::string>, sdk::Call)>;

  HackerRankApi(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

  const Config& config() const { return config_; }

  // GET an absolute URL on base_url's origin (the tests list and its `next` links).
  void get_page(const std::string& url, sdk::Call call, OnJson on_json) const;
  // POST /tests/{test_id}/candidates: invites one candidate. A 422 (already invited, draft
  // test, ...) fails the call with INVALID and says so.
  void invite(const std::string& test_id, const nlohmann::json& body, sdk::Call call,
              OnJson on_json) const;
  // GET /tests/{test_id}/candidates/{candidate_id}?additional_fields=...
  void get_candidate(const std::string& test_id, const std::string& candidate_id, sdk::Call call,
                     OnJson on_json) const;
  // GET /tests/{test_id}/candidates/{candidate_id}/pdf?format=url. Never fails the call: the PDF
  // is an extra, so any error (503 while HackerRank renders it) gives nullopt.
  void get_pdf_link(const std::string& test_id, const std::string& candidate_id, sdk::Call call,
                    OnPdf on_pdf) const;
  // GET /tests/{test_id}?additional_fields=max_score,cutoff_score. Never fails the call: the
  // cutoff only adds a grade, so any error gives nullopt.
  void get_test(const std::string& test_id, sdk::Call call,
                std::function<void(std::optional<nlohmann::json>, sdk::Call)> on_test) const;
  // DELETE /tests/{test_id}/candidates/{candidate_id}/invite.
  void cancel_invite(const std::string& test_id, const std::string& candidate_id, sdk::Call call,
                     OnJson on_json) const;

 private:
  std::string candidate_url(const std::string& test_id, const std::string& candidate_id) const;
  sdk::HttpRequest request(std::string method, std::string url) const;
  void send_json(const sdk::HttpRequest& request, std::string action, sdk::Call call,
                 OnJson on_json) const;

  sdk::Host host_;
  Config config_;
};

// ---- list_tests paging

inline constexpr int kPageSize = 100;  // HackerRank's maximum `limit`
inline constexpr int kMaxPages = 200;  // 20,000 tests; a guard against a link that loops

// The first page: {base_url}/tests?limit=100&offset=0.
std::string first_tests_page_url(const std::string& base_url);

// The next page to fetch, from the page's `next` link; nullopt on the last page (no link, or a
// page without items). Throws ttb::sdk::Error(TTB_STATUS_INVALID) when the link leaves
// base_url's origin or is the page just fetched.
std::optional<std::string> next_tests_page_url(const nlohmann::json& page,
                                               const std::string& base_url,
                                               const std::string& current_url);

// ---- answers

inline constexpr std::uint32_t kDefaultRetryAfterMs = 1000;
inline constexpr std::uint32_t kMaxRetryAfterMs = 3600 * 1000;

// When to retry after a 429: Retry-After, else X-RateLimit-Reset or RateLimit-Reset, else a
// second (sdk::rate_limit_wait_ms). `now_ms` is the host's clock (epoch ms).
std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms);

// The error for an answer that is not 2xx (or did not arrive). `action` says what we were
// doing, in words ("list the tests"), for the operator; sdk::error_for_answer in HackerRank's
// words.
sdk::Error vendor_error(const sdk::HttpResponse& response, std::string_view action,
                        std::int64_t now_ms);

}  // namespace ttb::hackerrank

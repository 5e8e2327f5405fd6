#pragma once
// TestGorilla's REST calls, one function each, made through the host (plugins never open
// connections themselves), and the reading of their answers. Every call authenticates with
// `Authorization: Token <token>`: the configured api_token, or one obtained from
// POST /profiles/login/ with the configured username and password, kept for the instance and
// obtained again once after a 401 (TestGorilla's tokens expire an hour after their last use).
// A non-2xx answer fails the call with vendor_error() (thrown as sdk::Error; a 429 carries the
// time until TestGorilla's per-minute window resets); a 2xx JSON body goes to `on_json`.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"
#include "ttbridge/vendor_error.hpp"

namespace ttb::testgorilla {

inline constexpr int kPageSize = 100;  // `limit` of every list call
inline constexpr int kMaxPages = 50;   // 5,000 entries; a guard against a list that never ends

class TestGorillaApi {
 public:
  using OnJson = std::function<void(nlohmann::json, sdk::Call)>;

  TestGorillaApi(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

  const Config& config() const { return config_; }

  // GET /assessments/?status=new,active&ordering=-modified&limit=100&offset={offset}
  void list_assessments(int offset, sdk::Call call, OnJson on_json);
  // GET /assessments/candidature/?assessment={id}&ordering=-created&limit=100&offset={offset}
  // [&search={email}]. `search` is not in TestGorilla's reference (public client code uses it);
  // callers match the e-mail or id themselves, so a server that ignores it costs only pages.
  void list_candidatures(const std::string& assessment_id, const std::string& search, int offset,
                         sdk::Call call, OnJson on_json);
  // POST /assessments/{id}/invite_candidate/ (with ?no_email=true unless send_email). A 400
  // (TestGorilla's answer for a candidate already in the assessment, or a bad e-mail) fails the
  // call with INVALID.
  void invite(const std::string& assessment_id, const nlohmann::json& body, sdk::Call call,
              OnJson on_json);
  // GET /assessments/results/?candidature__assessment={a}&candidature__test_taker={t}
  void list_results(const std::string& assessment_id, const std::string& test_taker_id,
                    sdk::Call call, OnJson on_json);
  // DELETE /assessments/candidature/{id}/
  void delete_candidature(const std::string& candidature_id, sdk::Call call, OnJson on_json);

 private:
  struct Send {
    std::string method;
    std::string path;  // after base_url, with its query
    std::string body;  // JSON; "" for none
    std::string action;
  };
  // Sends with the current token (logging in first when there is none yet) and, on a 401 with
  // login credentials configured, logs in again and sends once more.
  void send(Send what, sdk::Call call, OnJson on_json, bool after_login = false);
  void login(sdk::Call call, std::function<void(sdk::Call)> then);
  sdk::HttpRequest request(const Send& what) const;

  sdk::Host host_;
  Config config_;
  std::string token_;  // from login; calls into one instance never overlap, so no lock
};

// ---- answers

inline constexpr std::uint32_t kDefaultRetryAfterMs = 60 * 1000;  // one rate-limit window
inline constexpr std::uint32_t kMaxRetryAfterMs = 3600 * 1000;

// When to retry after a 429: Retry-After when given, else X-RateLimit-Reset (seconds until the
// window resets, as TestGorilla documents; an epoch time is also understood), else a minute.
// `now_ms` is the host's clock (epoch ms).
std::uint32_t rate_limit_retry_ms(const sdk::HttpResponse& response, std::int64_t now_ms);

// The error for an answer that is not 2xx (or did not arrive). `action` says what we were
// doing, in words ("list the assessments"), for the operator; sdk::error_for_answer in
// TestGorilla's words.
sdk::Error vendor_error(const sdk::HttpResponse& response, std::string_view action,
                        std::int64_t now_ms);

}  // namespace ttb::testgorilla

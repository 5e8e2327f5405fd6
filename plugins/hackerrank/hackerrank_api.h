#pragma once
// HackerRank's REST calls, one function each, made through the host (plugins never open
// connections themselves). Every call authenticates with `Authorization: Bearer <api_key>`
// (never the `access_token` query parameter, which would end up in logs). A non-2xx answer
// fails the call with the status of vendor_errors.h; a 2xx JSON body goes to `on_json`.

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "settings.h"
#include "ttbridge/plugin.hpp"

namespace hackerrank {

class HackerRankApi {
 public:
  using OnJson = std::function<void(nlohmann::json, ttb::sdk::Call)>;
  using OnPdf = std::function<void(std::optional<std::string>, ttb::sdk::Call)>;

  HackerRankApi(ttb::sdk::Host host, Settings settings)
      : host_(host), settings_(std::move(settings)) {}

  const Settings& settings() const { return settings_; }

  // GET an absolute URL on base_url's origin (the tests list and its `next` links).
  void get_page(const std::string& url, ttb::sdk::Call call, OnJson on_json) const;
  // POST /tests/{test_id}/candidates: invites one candidate. A 422 (already invited, draft
  // test, ...) fails the call with INVALID and says so.
  void invite(const std::string& test_id, const nlohmann::json& body, ttb::sdk::Call call,
              OnJson on_json) const;
  // GET /tests/{test_id}/candidates/{candidate_id}?additional_fields=...
  void get_candidate(const std::string& test_id, const std::string& candidate_id,
                     ttb::sdk::Call call, OnJson on_json) const;
  // GET /tests/{test_id}/candidates/{candidate_id}/pdf?format=url. Never fails the call: the PDF
  // is an extra, so any error (503 while HackerRank renders it) gives nullopt.
  void get_pdf_link(const std::string& test_id, const std::string& candidate_id,
                    ttb::sdk::Call call, OnPdf on_pdf) const;
  // DELETE /tests/{test_id}/candidates/{candidate_id}/invite.
  void cancel_invite(const std::string& test_id, const std::string& candidate_id,
                     ttb::sdk::Call call, OnJson on_json) const;

 private:
  std::string candidate_url(const std::string& test_id, const std::string& candidate_id) const;
  ttb::sdk::HttpRequest request(std::string method, std::string url) const;
  void send_json(ttb::sdk::HttpRequest request, std::string action, ttb::sdk::Call call,
                 OnJson on_json) const;

  ttb::sdk::Host host_;
  Settings settings_;
};

}  // namespace hackerrank

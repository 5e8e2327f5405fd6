#pragma once
// Plays HackerRank's result webhook: POSTs a TestCandidate JSON to an invite's test_result_url,
// presenting the credential the invite gave in `webhook_authentication` (bearer_token or
// basic_auth), or a wrong or missing one on demand.

#include <string>

#include <nlohmann/json.hpp>

#include "net/http_client.h"

namespace ttb::fakes::hackerrank {

enum class WebhookAuth {
  correct,  // the stored credential
  wrong,    // the same scheme with another secret
  missing,  // no Authorization header
};

struct Delivery {
  std::string url;
  std::string body;
  WebhookAuth auth = WebhookAuth::correct;
  int status = 0;  // the receiver's answer; 0 when none arrived (see error)
  std::string response_body;
  std::string error;
};

// The Authorization header value for `webhook_authentication`; "" when missing or unknown.
std::string authorization_for(const nlohmann::json& webhook_authentication, WebhookAuth auth);

// Sends one delivery and waits for the answer.
Delivery deliver_webhook(net::HttpClient& client, const std::string& url,
                         const nlohmann::json& webhook_authentication, std::string body,
                         WebhookAuth auth);

}  // namespace ttb::fakes::hackerrank

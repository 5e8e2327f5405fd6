#pragma once
// Plays Teamtailor's side of the inbound protocol: builds realistic webhook bodies
// (docs/protocols/teamtailor.md, "Webhook body"), signs them (Teamtailor-Signature), authorizes
// them with the provider-key JWT, and sends them, or GET /config and /activation requests, to a
// ttbridged base URL. Options produce each kind of bad request the daemon must refuse.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/http_client.h"

namespace ttb::fakes {

// The facts a webhook carries; empty ids are filled with fresh UUIDs by make_webhook_body/send.
struct WebhookParams {
  std::string event_id;
  std::string partner_result_id;
  std::string test = "testvendor:t1";  // webhook-data.test: "<provider>:<vendor test id>"
  std::int64_t candidate_id = 1001;
  std::string first_name = "Ada", last_name = "Lovelace", email = "ada@example.org";
  std::string phone = "+46700000000";
  std::int64_t job_id = 77;
  std::string job_title = "C++ Engineer";
  std::string company_uuid = "aB3dE5fG7hJ", company_name = "Acme";
  std::string update_url_base = "https://api.teamtailor.com/partner/v1";  // update-url's prefix
};

// Fills empty ids in `params`, then returns the JSON body.
std::string make_webhook_body(WebhookParams& params);
std::string random_uuid();

enum class SignatureMode {
  valid,
  wrong_secret,  // v1 computed with another secret
  stale,         // valid HMAC, but t one hour before the send time
  decoy_only,    // only a v0 entry (holding the real digest)
  missing,       // no Teamtailor-Signature header
};

enum class BearerMode {
  jwt,          // HS256 JWT with {"externalTriggerToken": token}, signed with the partner API key
  bad_jwt,      // the same claims signed with another key
  alg_none,     // an unsigned JWT with alg "none"
  expired_jwt,  // a valid signature, but exp one hour ago
  legacy,       // the token itself as the Bearer value
  missing,      // no Authorization header
};

struct SendOptions {
  std::string path = "/webhook";  // e.g. "/actions/resend" for a result card's button
  SignatureMode signature = SignatureMode::valid;
  std::optional<std::int64_t> timestamp;  // the signature's t; default: now
  BearerMode bearer = BearerMode::jwt;
  std::optional<std::string> body;  // a custom body; the signature still covers params.event_id
  net::Headers extra_headers;       // e.g. {"teamtailor-api-token", "..."}
};

class WebhookSender {
 public:
  WebhookSender(std::shared_ptr<net::HttpClient> http, std::string base_url,
                std::string webhook_secret, std::string partner_api_key);

  struct Sent {
    WebhookParams params;  // with the generated ids
    std::string body;
    net::ClientResponse response;
  };

  // The request send() would make (for the bench, which drives its own client).
  net::ClientRequest build(const std::string& activation_token, WebhookParams& params,
                           const SendOptions& options = {}) const;
  Sent send(const std::string& activation_token, WebhookParams params = {},
            const SendOptions& options = {}) const;

  // GET <path_and_query> (e.g. "/config?job_id=1", "/activation/validate") as Teamtailor calls it.
  net::ClientResponse get(const std::string& path_and_query, const std::string& activation_token,
                          BearerMode bearer = BearerMode::jwt) const;

  // The Authorization value for `mode` (empty for BearerMode::missing).
  std::string authorization(const std::string& activation_token, BearerMode mode) const;

 private:
  std::shared_ptr<net::HttpClient> http_;
  std::string base_url_;
  std::string webhook_secret_;
  std::string partner_api_key_;
};

}  // namespace ttb::fakes

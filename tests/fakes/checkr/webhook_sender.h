#pragma once
// Delivers Checkr webhook events to a URL (the engine's /callbacks/{tenant}/{provider}) the way
// Checkr does: the JSON envelope as the body, X-Checkr-Signature = hex HMAC-SHA256 of the body
// with the account's API key, a Checkr-Webhook/ user agent. It can also misbehave on purpose:
// bad or missing signatures, Checkr's "no key" placeholder, duplicates, reversed order.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_types.h"

namespace ttb::fakes::checkr {

enum class Signing {
  valid,        // HMAC with the account key
  wrong_key,    // HMAC with another key
  tampered,     // valid signature of a body that is then changed by one byte
  missing,      // no X-Checkr-Signature header
  placeholder,  // the sentence Checkr sends when the account has no API key
};

struct Delivery {
  std::string body;
  net::Headers headers;
};

struct DeliveryResult {
  int status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;
};

class WebhookSender {
 public:
  explicit WebhookSender(std::string api_key);

  // The body and headers of one delivery, for tests that call a plugin directly.
  Delivery prepare(const nlohmann::json& event, Signing signing = Signing::valid) const;

  DeliveryResult deliver(const std::string& url, const nlohmann::json& event,
                         Signing signing = Signing::valid) const;
  // The same event `times` times (Checkr retries when an answer is slow or lost).
  std::vector<DeliveryResult> deliver_repeatedly(const std::string& url,
                                                 const nlohmann::json& event, int times = 2) const;
  // The events last to first: "report.completed" before "report.created".
  std::vector<DeliveryResult> deliver_out_of_order(const std::string& url,
                                                   const std::vector<nlohmann::json>& events) const;
  // Checkr's retry schedule (every minute, then hourly) without the waiting: redelivers until a
  // 2xx or `max_attempts`; returns every answer.
  std::vector<DeliveryResult> deliver_until_accepted(const std::string& url,
                                                     const nlohmann::json& event,
                                                     int max_attempts = 10) const;

  static constexpr const char* kPlaceholderSignature =
      "This account does not have an API key configured; the signature cannot be computed.";

 private:
  std::string api_key_;
};

}  // namespace ttb::fakes::checkr

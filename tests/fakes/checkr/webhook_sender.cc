#include "webhook_sender.h"

#include "net/http_client.h"
#include "ttbridge/hmac_sha256.hpp"

namespace ttb::fakes::checkr {

WebhookSender::WebhookSender(std::string api_key) : api_key_(std::move(api_key)) {}

Delivery WebhookSender::prepare(const nlohmann::json& event, Signing signing) const {
  Delivery d;
  d.body = event.dump();
  d.headers = {{"Content-Type", "application/json"},
               {"User-Agent", "Checkr-Webhook/1.0 (ttbridge fake)"}};
  switch (signing) {
    case Signing::valid:
      d.headers.emplace_back("X-Checkr-Signature", sdk::hmac_sha256_hex(api_key_, d.body));
      break;
    case Signing::wrong_key:
      d.headers.emplace_back("X-Checkr-Signature",
                             sdk::hmac_sha256_hex(api_key_ + "-wrong", d.body));
      break;
    case Signing::tampered:
      d.headers.emplace_back("X-Checkr-Signature", sdk::hmac_sha256_hex(api_key_, d.body));
      // Still JSON, no longer the signed bytes. A char at an iterator, not `insert(pos, " ")`: GCC
      // 12 flags that with a false -Wrestrict at -O3 (GCC bug 105329).
      d.body.insert(d.body.end() - 1, ' ');
      break;
    case Signing::missing:
      break;
    case Signing::placeholder:
      d.headers.emplace_back("X-Checkr-Signature", kPlaceholderSignature);
      break;
  }
  return d;
}

DeliveryResult WebhookSender::deliver(const std::string& url, const nlohmann::json& event,
                                      Signing signing) const {
  static const std::shared_ptr<net::HttpClient> client = net::make_http_client();
  Delivery d = prepare(event, signing);
  net::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = d.headers;
  request.body = d.body;
  net::ClientResponse response = client->send(request);
  return DeliveryResult{response.status, response.body, response.error};
}

std::vector<DeliveryResult> WebhookSender::deliver_repeatedly(const std::string& url,
                                                              const nlohmann::json& event,
                                                              int times) const {
  std::vector<DeliveryResult> out;
  for (int i = 0; i < times; ++i) out.push_back(deliver(url, event));
  return out;
}

std::vector<DeliveryResult> WebhookSender::deliver_out_of_order(
    const std::string& url, const std::vector<nlohmann::json>& events) const {
  std::vector<DeliveryResult> out;
  for (auto it = events.rbegin(); it != events.rend(); ++it) out.push_back(deliver(url, *it));
  return out;
}

std::vector<DeliveryResult> WebhookSender::deliver_until_accepted(const std::string& url,
                                                                  const nlohmann::json& event,
                                                                  int max_attempts) const {
  std::vector<DeliveryResult> out;
  for (int i = 0; i < max_attempts; ++i) {
    out.push_back(deliver(url, event));
    if (out.back().status >= 200 && out.back().status < 300) break;
  }
  return out;
}

}  // namespace ttb::fakes::checkr

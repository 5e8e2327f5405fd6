#include "fakes/hackerrank/webhook_sender.h"

#include <sstream>

#include <Poco/Base64Encoder.h>

namespace ttb::fakes::hackerrank {

namespace {

std::string base64(const std::string& in) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << in;
  encoder.close();
  return out.str();
}

std::string text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string authorization_for(const nlohmann::json& wa, WebhookAuth auth) {
  if (auth == WebhookAuth::missing || !wa.is_object()) return {};
  const std::string type = text(wa, "type");
  const nlohmann::json data =
      wa.contains("data") && wa["data"].is_object() ? wa["data"] : nlohmann::json::object();
  if (type == "bearer_token") {
    std::string token = text(data, "token");
    if (auth == WebhookAuth::wrong)
      token = token.empty() ? "wrong" : std::string(token.size(), token[0] == 'f' ? 'e' : 'f');
    return "Bearer " + token;
  }
  if (type == "basic_auth") {
    std::string password = text(data, "password");
    if (auth == WebhookAuth::wrong) password += "-wrong";
    return "Basic " + base64(text(data, "username") + ":" + password);
  }
  return {};
}

Delivery deliver_webhook(net::HttpClient& client, const std::string& url, const nlohmann::json& wa,
                         std::string body, WebhookAuth auth) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/json"},
                     {"User-Agent", "HackerRank-Webhook/1.0 (fake)"}};
  if (std::string value = authorization_for(wa, auth); !value.empty())
    request.headers.emplace_back("Authorization", value);
  request.body = body;
  request.timeout = std::chrono::milliseconds(10000);
  net::ClientResponse response = client.send(request);
  Delivery d;
  d.url = url;
  d.body = std::move(body);
  d.auth = auth;
  d.status = response.status;
  d.response_body = response.body;
  d.error = response.error;
  return d;
}

}  // namespace ttb::fakes::hackerrank

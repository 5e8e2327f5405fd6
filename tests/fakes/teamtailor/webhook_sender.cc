#include "fakes/teamtailor/webhook_sender.h"

#include <chrono>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "teamtailor/crypto.h"
#include "teamtailor/provider_key.h"
#include "teamtailor/signature.h"

namespace ttb::fakes {

namespace {

using Json = nlohmann::json;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string random_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const std::uint64_t lo = (rng() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return text;
}

std::string make_webhook_body(WebhookParams& p) {
  if (p.event_id.empty()) p.event_id = random_uuid();
  if (p.partner_result_id.empty()) p.partner_result_id = random_uuid();
  const Json body = {
      {"partner-event",
       {{"id", p.event_id},
        {"webhook-data", {{"test", p.test}}},
        {"partner-result",
         {{"id", p.partner_result_id},
          {"status", "sending"},
          {"update-url", p.update_url_base + "/partner-results/" + p.partner_result_id}}},
        {"candidate",
         {{"id", p.candidate_id},
          {"uuid", random_uuid()},
          {"first-name", p.first_name},
          {"last-name", p.last_name},
          {"email", p.email},
          {"phone", p.phone},
          {"tags", {"backend"}},
          {"job",
           {{"id", p.job_id},
            {"title", p.job_title},
            {"stage", "Screening"},
            {"tags", {"cpp"}},
            {"custom-fields", Json::array()},
            {"status", {{"rejected", false}}},
            {"stage-id", 12},
            {"trigger-id", 5},
            {"triggered-by",
             {{"id", 31}, {"email", "rec@example.org"}, {"name", "Rita Recruiter"}}}}},
          {"recruiter", {{"name", "Rita Recruiter"}, {"email", "rec@example.org"}}},
          {"questions", Json::array()},
          {"custom-fields", Json::array()}}}}},
      {"company",
       {{"uuid", p.company_uuid},
        {"name", p.company_name},
        {"url", "https://career.acme.example"}}}};
  return body.dump();
}

WebhookSender::WebhookSender(std::shared_ptr<net::HttpClient> http, std::string base_url,
                             std::string webhook_secret, std::string partner_api_key)
    : http_(std::move(http)),
      base_url_(std::move(base_url)),
      webhook_secret_(std::move(webhook_secret)),
      partner_api_key_(std::move(partner_api_key)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string WebhookSender::authorization(const std::string& token, BearerMode mode) const {
  const Json claims = {{std::string(teamtailor::kActivationTokenClaim), token}};
  switch (mode) {
    case BearerMode::jwt:
      return "Bearer " + teamtailor::make_jwt_hs256(claims, partner_api_key_);
    case BearerMode::bad_jwt:
      return "Bearer " + teamtailor::make_jwt_hs256(claims, partner_api_key_ + "-wrong");
    case BearerMode::alg_none:
      return "Bearer " + teamtailor::make_jwt_hs256(claims, partner_api_key_, "none");
    case BearerMode::expired_jwt: {
      Json expired = claims;
      expired["exp"] = unix_now() - 3600;
      return "Bearer " + teamtailor::make_jwt_hs256(expired, partner_api_key_);
    }
    case BearerMode::legacy:
      return "Bearer " + token;
    case BearerMode::missing:
      return "";
  }
  return "";
}

net::ClientRequest WebhookSender::build(const std::string& activation_token, WebhookParams& params,
                                        const SendOptions& options) const {
  std::string body = make_webhook_body(params);
  if (options.body) body = *options.body;

  net::ClientRequest request;
  request.method = "POST";
  request.url = base_url_ + options.path;
  request.headers.emplace_back("Content-Type", "application/json");
  const std::string auth = authorization(activation_token, options.bearer);
  if (!auth.empty()) request.headers.emplace_back("Authorization", auth);

  const std::int64_t now = options.timestamp.value_or(unix_now());
  std::string signature;
  switch (options.signature) {
    case SignatureMode::valid:
      signature = teamtailor::sign_header(webhook_secret_, now, params.event_id);
      break;
    case SignatureMode::wrong_secret:
      signature = teamtailor::sign_header(webhook_secret_ + "-wrong", now, params.event_id);
      break;
    case SignatureMode::stale:
      signature = teamtailor::sign_header(webhook_secret_, now - 3600, params.event_id);
      break;
    case SignatureMode::decoy_only: {
      const std::string message = std::to_string(now) + "." + params.event_id;
      signature = "t=" + std::to_string(now) + ",v0=" +
                  teamtailor::to_hex(
                      teamtailor::as_view(teamtailor::hmac_sha256(webhook_secret_, message)));
      break;
    }
    case SignatureMode::missing:
      break;
  }
  if (!signature.empty()) request.headers.emplace_back("Teamtailor-Signature", signature);
  request.headers.emplace_back("Teamtailor-Host", "api.teamtailor.com");
  for (const auto& header : options.extra_headers) request.headers.push_back(header);
  request.body = std::move(body);
  return request;
}

WebhookSender::Sent WebhookSender::send(const std::string& activation_token, WebhookParams params,
                                        const SendOptions& options) const {
  net::ClientRequest request = build(activation_token, params, options);
  Sent sent;
  sent.body = request.body;
  sent.response = http_->send(request);
  sent.params = std::move(params);
  return sent;
}

net::ClientResponse WebhookSender::get(const std::string& path_and_query,
                                       const std::string& activation_token,
                                       BearerMode bearer) const {
  net::ClientRequest request;
  request.method = "GET";
  request.url = base_url_ + path_and_query;
  const std::string auth = authorization(activation_token, bearer);
  if (!auth.empty()) request.headers.emplace_back("Authorization", auth);
  return http_->send(request);
}

}  // namespace ttb::fakes

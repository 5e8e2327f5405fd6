#include "teamtailor/partner_api.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "teamtailor/partner_results_client.h"
#include "teamtailor/text.h"

namespace ttb::teamtailor {

namespace {

using Json = nlohmann::json;

constexpr int kPageSize = 30;  // the largest page the JSON:API lists allow
constexpr int kMaxPages = 1000;

std::string attribute(const Json& item, const char* name) {
  auto attributes = item.find("attributes");
  if (attributes == item.end() || !attributes->is_object()) return "";
  auto value = attributes->find(name);
  return value != attributes->end() && value->is_string() ? value->get<std::string>() : "";
}

}  // namespace

PartnerApi::PartnerApi(std::shared_ptr<net::HttpClient> http, std::string api_url,
                       std::string api_key, std::chrono::milliseconds timeout)
    : http_(std::move(http)),
      api_url_(std::move(api_url)),
      api_key_(std::move(api_key)),
      timeout_(timeout) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
}

net::ClientResponse PartnerApi::send(std::string method, std::string url, std::string authorization,
                                     std::string body) const {
  net::ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = {{"Authorization", std::move(authorization)},
                     {"X-Api-Version", std::string(kApiVersion)},
                     {"Accept", std::string(kJsonApiContentType)}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", std::string(kJsonApiContentType));
  request.body = std::move(body);
  request.timeout = timeout_;
  request.max_response_bytes = 4 << 20;
  return http_->send(request);
}

ApiAnswer PartnerApi::answer_of(const net::ClientResponse& response) const {
  ApiAnswer answer;
  answer.http_status = response.status;
  if (response.transport_failed()) {
    answer.http_status = 0;
    answer.error = std::string("no answer from Teamtailor: ") +
                   (response.error.empty() ? std::string("transport error") : response.error);
  } else if (!answer.ok()) {
    const std::string detail = jsonapi_error_text(redact(response.body, api_key_));
    answer.error = std::string("Teamtailor answered HTTP ") + std::to_string(response.status);
    if (!detail.empty()) {
      answer.error += ": ";
      answer.error += detail;
    }
  }
  answer.error = redact(std::move(answer.error), api_key_);
  return answer;
}

ApiAnswer PartnerApi::check_key() const {
  return answer_of(send("GET", api_url_ + "/partner-results?page%5Bsize%5D=1",
                        std::string("Bearer ") + api_key_, ""));
}

ActivationList PartnerApi::activations() const {
  ActivationList list;
  for (int page = 1; page <= kMaxPages; ++page) {
    const net::ClientResponse response =
        send("GET",
             api_url_ + "/partner-activations?page%5Bsize%5D=" + std::to_string(kPageSize) +
                 "&page%5Bnumber%5D=" + std::to_string(page),
             std::string("Bearer ") + api_key_, "");
    list.answer = answer_of(response);
    if (!list.answer.ok()) return list;
    const Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    auto data = body.is_object() ? body.find("data") : body.end();
    if (!body.is_object() || data == body.end() || !data->is_array()) {
      list.answer.error = "Teamtailor's answer has no data list";
      list.answer.http_status = 0;
      return list;
    }
    for (const Json& item : *data) {
      if (!item.is_object()) continue;
      Activation activation;
      if (auto id = item.find("id"); id != item.end() && id->is_string()) activation.id = *id;
      activation.company_uuid = attribute(item, "company-uuid");
      activation.company_name = attribute(item, "company-name");
      list.activations.push_back(std::move(activation));
    }
    // The last page: one that says so (meta.page-count), or, when the answer has no page count,
    // one that is not full (read as the last before, so a list past 30 stopped at its first).
    std::optional<int> page_count;
    if (auto meta = body.find("meta"); meta != body.end() && meta->is_object()) {
      auto count = meta->find("page-count");
      if (count != meta->end() && count->is_number_integer()) page_count = count->get<int>();
    }
    const bool last = page_count ? page >= *page_count : data->size() < kPageSize;
    if (data->empty() || last) break;
  }
  return list;
}

ApiAnswer PartnerApi::update_partner(std::string_view partner_id, std::string_view base_url) const {
  const Json body = {
      {"data",
       {{"type", "partners"},
        {"id", std::string(partner_id)},
        {"attributes",
         {{"base-url", std::string(base_url)}, {"dynamic-activation-config", true}}}}}};
  // The partner resource's examples authenticate with "Token <key>".
  return answer_of(send("PUT", api_url_ + "/partners/" + escape_path_segment(partner_id),
                        std::string("Token ") + api_key_, body.dump()));
}

}  // namespace ttb::teamtailor

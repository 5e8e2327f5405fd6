#include "report_document.h"

#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace ttb::checkr {
namespace {

using nlohmann::json;

std::string_view without_query(std::string_view url) {
  return url.substr(0, url.find('?'));
}

}  // namespace

DocumentRequest parse_document_request(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (!doc.is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "the document request is not a JSON object");
  DocumentRequest request;
  request.document = checkr::text(doc, "document");
  request.url = checkr::text(doc, "url");
  if (request.document != "report" && request.document != "attachment")
    throw sdk::Error(TTB_STATUS_INVALID,
                     "the document request names neither the report nor an attachment");
  auto order = doc.find("order");
  if (order == doc.end() || !order->is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "the document request has no order object");
  request.order_json = order->dump();
  return request;
}

std::optional<std::string> fresh_document_url(const json& report, std::string_view stored_url) {
  const json links = report_attachments(report);
  if (links.empty()) return std::nullopt;
  for (const auto& link : links) {
    if (link.value("url", "") == stored_url) return link.value("url", "");
  }
  for (const auto& link : links) {
    const std::string url = link.value("url", "");
    if (!stored_url.empty() && without_query(url) == without_query(stored_url)) return url;
  }
  if (links.size() == 1) return links[0].value("url", "");
  return std::nullopt;
}

std::string document_link_answer(const std::string& url, std::int64_t now_ms) {
  return json{{"url", url}, {"expires_at_ms", now_ms + kDownloadLinkLifetimeMs}}.dump();
}

}  // namespace ttb::checkr

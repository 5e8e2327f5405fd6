#include "http/report_links.h"

namespace ttb::http {

ReportLinks::ReportLinks(std::string public_url, std::string key, std::string previous_key)
    : public_url_(std::move(public_url)) {
  keys_.push_back(std::move(key));
  if (!previous_key.empty()) keys_.push_back(std::move(previous_key));
}

std::string ReportLinks::link(const ReportDocument& document) const {
  std::string url = public_url_;
  url += "/reports/";
  url += sign_report_token(keys_.front(), document);
  return url;
}

orders::ResultView ReportLinks::card_view(const std::string& tenant, const std::string& order_id,
                                          orders::ResultView view) const {
  if (!view.url.empty()) view.url = link({tenant, order_id, std::string(kReportDocument)});
  for (std::size_t i = 0; i < view.attachments.size(); ++i) {
    orders::Attachment& attachment = view.attachments[i];
    if (!attachment.url.empty()) attachment.url = link({tenant, order_id, attachment_document(i)});
  }
  return view;
}

std::optional<ReportDocument> ReportLinks::verify(std::string_view token) const {
  return verify_report_token(token, keys_);
}

std::optional<std::string> stored_document_url(const orders::ResultView& view,
                                               std::string_view document) {
  if (document == kReportDocument) {
    if (view.url.empty()) return std::nullopt;
    return view.url;
  }
  const auto index = attachment_index(document);
  if (!index || *index >= view.attachments.size() || view.attachments[*index].url.empty()) {
    return std::nullopt;
  }
  return view.attachments[*index].url;
}

}  // namespace ttb::http

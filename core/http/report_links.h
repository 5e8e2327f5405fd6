#pragma once
// Stable report links (docs/configuration.md, "Report links"): the card's report and attachment
// links point at ttbridged's own GET /reports/{token} instead of the vendor's URLs, which may
// expire (Checkr's PDF links live 15 minutes). The store keeps the vendor's URLs; only the view
// sent to Teamtailor carries these links.

#include <optional>
#include <string>
#include <vector>

#include "http/report_token.h"
#include "orders/result_view.h"

namespace ttb::http {

class ReportLinks {
 public:
  // `public_url`: server.public_url (no trailing slash). `key` signs and verifies;
  // `previous_key` (may be empty) only verifies, for the links already on cards during a
  // rotation.
  ReportLinks(std::string public_url, std::string key, std::string previous_key = "");

  // <public_url>/reports/<token> for one document.
  std::string link(const ReportDocument& document) const;
  // `view` with its url and each attachment's url (those not empty) replaced by a link.
  orders::ResultView card_view(const std::string& tenant, const std::string& order_id,
                               orders::ResultView view) const;
  // The document a token names, when it verifies under the current or the previous key.
  std::optional<ReportDocument> verify(std::string_view token) const;

 private:
  std::string public_url_;
  std::vector<std::string> keys_;  // the current one first
};

// The vendor URL of `document` in `view` (its url, or the n-th attachment's); nullopt when the
// view has no such document.
std::optional<std::string> stored_document_url(const orders::ResultView& view,
                                               std::string_view document);

}  // namespace ttb::http

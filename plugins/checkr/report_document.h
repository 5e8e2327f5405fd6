#pragma once
// fetch_document for Checkr (docs/protocols/checkr.md, "Score and report"): a report's PDF link
// (download_uri) works 15 minutes, so the host asks for a fresh one each time a recruiter opens
// the card's stable link. Pure functions over the host's request and Checkr's report.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::checkr {

// How long Checkr documents a download_uri to work.
inline constexpr std::int64_t kDownloadLinkLifetimeMs = 15LL * 60 * 1000;

struct DocumentRequest {
  std::string document;    // "report" | "attachment"
  std::string url;         // the link last reported, or ""
  std::string order_json;  // the order context, as text (parse_order_context reads it)
};

// Throws ttb::sdk::Error(TTB_STATUS_INVALID, ...) when the request is not the documented object
// or names another kind of document.
DocumentRequest parse_document_request(std::string_view json);

// The fresh link, among the report's PDF documents, to the one `stored_url` was a link to: the
// same URL, else the same URL before its query (a presigned link's signature changes, its path
// does not), else the report's only PDF. nullopt when none fits.
std::optional<std::string> fresh_document_url(const nlohmann::json& report,
                                              std::string_view stored_url);

// {"url": url, "expires_at_ms": now + 15 minutes}
std::string document_link_answer(const std::string& url, std::int64_t now_ms);

}  // namespace ttb::checkr

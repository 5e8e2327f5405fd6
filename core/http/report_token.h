#pragma once
// The token of a stable report link, GET /reports/{token} (docs/security.md, "Report links"): it
// names one document of one order of one tenant, and carries an HMAC-SHA256 of that name under
// the operator's report-link key, so a link cannot be guessed, nor altered to name another
// document. Pure functions: no I/O, no clock.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ttb::http {

// The document a link names. `document` is "report" (the card's url) or "attachment-<n>" (its
// n-th attachment, from 0).
struct ReportDocument {
  std::string tenant;
  std::string order_id;
  std::string document;
  bool operator==(const ReportDocument&) const = default;
};

inline constexpr std::string_view kReportDocument = "report";
inline constexpr std::size_t kMaxReportTokenChars = 2048;  // longer ones are refused unread

// "attachment-<n>"
std::string attachment_document(std::size_t index);
// The index n of "attachment-<n>" (decimal, no sign, no leading zero, below 1000); nullopt for
// anything else.
std::optional<std::size_t> attachment_index(std::string_view document);

// <base64url(name)>.<base64url(HMAC-SHA256(key, domain || name))>, where name is each field as
// "<length>:<bytes>" so that no two triples share a name. `key` must not be empty; a field
// longer than 512 bytes makes a token that never verifies (ids are far shorter).
std::string sign_report_token(std::string_view key, const ReportDocument& document);

// The document `token` names when its MAC verifies under one of `keys` (the current key, then
// the previous one during a rotation); nullopt for anything else: malformed, too long, altered,
// signed with another key. The MAC is compared in constant time.
std::optional<ReportDocument> verify_report_token(std::string_view token,
                                                  const std::vector<std::string>& keys);

}  // namespace ttb::http

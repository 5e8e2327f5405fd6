#pragma once
// HackerRank's TestCandidate (as re-fetched by GET; never the webhook body) mapped onto our order
// update: status, score, summary, report link, PDF attachment and per-section details. Pure.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "order_context.h"

namespace hackerrank {

// HackerRank's candidate `status`: -1 invited, 7 finished with the report generated; values in
// between are internal (attempt started, being evaluated).
inline constexpr int kStatusInvited = -1;
inline constexpr int kStatusReportReady = 7;

// The query of the candidate re-fetch: everything the mapping reads.
inline constexpr const char* kCandidateFields =
    "questions,scores_sections_split,scores_tags_split,percentage_score,max_score,"
    "performance_summary,integrity_status,report_url,authenticated_report_url,pdf_url,invite_valid";

// The candidate's numeric status, or nullopt when it has none (a broken answer).
std::optional<int> candidate_status(const nlohmann::json& candidate);

// The PDF link out of GET .../pdf?format=url ({"url"} or {"pdf_url"}, or a bare JSON string).
std::optional<std::string> pdf_link_from(const nlohmann::json& answer);

// The order update for `candidate`. `pdf_url` is the link from the pdf endpoint when it was
// ready. Throws ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the candidate has no status.
nlohmann::json map_candidate(const nlohmann::json& candidate, const OrderRef& order,
                             const std::optional<std::string>& pdf_url);

// A dedupe key for a callback that changes whenever what we would report changes (status,
// score, PDF readiness), so exact redeliveries are dropped but updates pass.
std::string callback_event_id(const nlohmann::json& candidate, const OrderRef& order, bool has_pdf);

}  // namespace hackerrank

#pragma once
// What the recruiter sees on the result card, in Teamtailor's words; kept per order (as JSON in
// the store) and sent by push jobs. A push happens exactly when this view changes.
//
// `url` is the vendor's report link only. The candidate's own test link (candidate_url) is never
// put here: it is personal to the candidate, a recruiter opening it could start or spoil the
// test, and some vendors make it a bearer secret.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orders/order_status.h"
#include "orders/vendor_update.h"

namespace ttb::orders {

// A button on the result card: Teamtailor posts the original partner event to
// {base-url}/{endpoint} when the recruiter presses it (card_actions.h).
struct CardAction {
  std::string button_text;
  std::string endpoint;  // relative to the partner base URL, e.g. "actions/cancel-order"
  bool operator==(const CardAction&) const = default;
};

struct ResultView {
  std::string status;  // sending | sent | pending | completed | failed
  std::optional<int> score;
  std::optional<std::string> grade;  // top_fit | might_be_fit | might_not_be_fit | unknown
  std::optional<std::int64_t> duration_s;
  std::string summary;
  std::string url;
  std::vector<Attachment> attachments;
  std::string details_json;  // a JSON object, "" for none
  std::vector<Criterion> criteria;
  // The card's buttons. Not stored: they follow from the order's status and its provider's
  // abilities, so the push step sets them (card_actions()); nullopt leaves Teamtailor's as they
  // are, an empty list removes them.
  std::optional<std::vector<CardAction>> actions;

  bool operator==(const ResultView&) const = default;
  std::string to_json() const;
  // "{}" (nothing reported yet) and unreadable text give an empty view.
  static ResultView from_json(const std::string& json);
};

// The summary shown when the vendor gives none, e.g. "Invitation sent to ada@example.org".
std::string default_summary(OrderStatus status, FailureReason reason, const std::string& email);

// The view after `update` moved the order to `status`: reported fields replace the previous
// ones, fields the update leaves out keep their previous values. Without a reported summary, a
// new status gets default_summary() and an unchanged status keeps its summary.
ResultView next_result(const ResultView& previous, OrderStatus status, FailureReason reason,
                       const VendorUpdate& update, const std::string& candidate_email);

// What the recruiter sees differently in `after`, for the timeline: "score 71 → 84, summary,
// attachments"; "" when nothing differs. Field names only, besides the score: summaries and
// details may hold the vendor's words about the candidate.
std::string describe_changes(const ResultView& before, const ResultView& after);

}  // namespace ttb::orders

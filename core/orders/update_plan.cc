#include "orders/update_plan.h"

#include <nlohmann/json.hpp>

#include "orders/result_view.h"

namespace ttb::orders {

bool UpdatePlan::empty() const {
  const auto& c = change;
  return !c.status && !c.failure_reason && !c.vendor_order_id && !c.vendor_state_json &&
         !c.result_json && !c.result_changed && !c.pushed_version && !c.applied_revision &&
         c.timeline.empty();
}

std::string candidate_email(const store::OrderRecord& order) {
  auto j = nlohmann::json::parse(order.candidate_json, nullptr, false);
  if (j.is_object()) {
    if (auto it = j.find("email"); it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

namespace {

std::string reported(const VendorUpdate& update) {
  return update.status ? to_string(*update.status) : "an update";
}

// Why the vendor's result changed, as far as the change itself tells.
std::string amendment_cause(const ResultView& before, const ResultView& after) {
  if (before.score != after.score) return "re-scored by the vendor";
  ResultView only_documents = before;
  only_documents.attachments = after.attachments;
  if (only_documents == after && after.attachments.size() > before.attachments.size()) {
    return "a document became available at the vendor";
  }
  return "changed by the vendor";
}

// A final order and an update with a newer revision and its status (or none): the result
// fields change, the status and failure reason stay.
void plan_amendment(const store::OrderRecord& order, const VendorUpdate& update,
                    const std::string& source, bool quiet_if_unchanged, UpdatePlan& plan) {
  store::OrderChange& change = plan.change;
  const OrderStatus status = parse_order_status(order.status).value_or(OrderStatus::completed);
  const FailureReason reason =
      parse_failure_reason(order.failure_reason).value_or(FailureReason::none);
  change.applied_revision = update.revision;
  if (!update.vendor_state_json.empty() && update.vendor_state_json != order.vendor_state_json) {
    change.vendor_state_json = update.vendor_state_json;
  }
  const ResultView before = ResultView::from_json(order.result_json);
  const ResultView after = next_result(before, status, reason, update, candidate_email(order));
  std::string revision = "revision ";
  revision += std::to_string(*update.revision);
  if (after != before) {
    change.result_json = after.to_json();
    change.result_changed = true;
    std::string detail = "amended: ";
    detail += describe_changes(before, after);
    detail += " (";
    detail += amendment_cause(before, after);
    detail += ", ";
    detail += revision;
    detail += ")";
    change.timeline.push_back({{}, source, "amended", detail});
  } else if (!quiet_if_unchanged) {
    std::string detail = "nothing new (";
    detail += revision;
    detail += ")";
    change.timeline.push_back({{}, source, "duplicate_update", detail});
  }
}

}  // namespace

UpdatePlan plan_update(const store::OrderRecord& order, const VendorUpdate& update,
                       const std::string& source, bool quiet_if_unchanged) {
  UpdatePlan plan;
  store::OrderChange& change = plan.change;
  change.order_id = order.id;
  change.expected_version = order.version;

  const OrderStatus current = parse_order_status(order.status).value_or(OrderStatus::received);
  const std::optional<OrderStatus> next =
      update.status ? std::optional(from_vendor(*update.status)) : std::nullopt;
  plan.verdict = judge(current, next);

  // The vendor's id names the order for later callbacks: learn it even from a late update.
  if (order.vendor_order_id.empty() && !update.vendor_order_id.empty()) {
    change.vendor_order_id = update.vendor_order_id;
  }

  // The vendor's own order of its reports comes first: an update that is not newer than the
  // one applied is a delivery that arrived late (or again), whatever its status says.
  if (update.revision && order.applied_revision && *update.revision <= *order.applied_revision) {
    plan.verdict = Verdict::older;
    const bool repeat = *update.revision == *order.applied_revision;
    if (repeat && quiet_if_unchanged) return plan;
    std::string detail = "'";
    detail += reported(update);
    detail += "' ignored: ";
    if (repeat) {
      detail += "revision ";
      detail += std::to_string(*order.applied_revision);
      detail += " is already applied";
    } else {
      detail += "older than revision ";
      detail += std::to_string(*order.applied_revision);
      detail += " (this one is revision ";
      detail += std::to_string(*update.revision);
      detail += ")";
    }
    change.timeline.push_back({{}, source, repeat ? "ignored_repeat" : "ignored_older", detail});
    return plan;
  }

  // A final order keeps its status; a newer revision of its own result amends the result.
  if (plan.verdict == Verdict::final_ && update.revision && (!next || *next == current)) {
    plan_amendment(order, update, source, quiet_if_unchanged, plan);
    plan.verdict = Verdict::amend;
    return plan;
  }

  if (plan.verdict == Verdict::final_ || plan.verdict == Verdict::late) {
    // A late update may still carry the plugin's first state (e.g. a create_order answer that
    // lost the race with a callback); keep it when there is none yet, never overwrite newer.
    if (plan.verdict == Verdict::late && order.vendor_state_json == "{}" &&
        !update.vendor_state_json.empty()) {
      change.vendor_state_json = update.vendor_state_json;
    }
    std::string why = plan.verdict == Verdict::final_
                          ? "the order is already " + order.status
                          : "the order is further along (" + order.status + ")";
    // Without a revision nothing tells whether the update is newer than the final result.
    if (plan.verdict == Verdict::final_ && !update.revision && (!next || *next == current)) {
      why += "; an update without a revision never amends a final result";
    }
    change.timeline.push_back({{},
                               source,
                               plan.verdict == Verdict::final_ ? "ignored_final" : "ignored_late",
                               "'" + reported(update) + "' ignored: " + why});
    return plan;
  }

  change.applied_revision = update.revision;
  const OrderStatus status = next.value_or(current);
  const FailureReason reason =
      status == OrderStatus::failed ? update.failure_reason : FailureReason::none;
  if (plan.verdict == Verdict::advance) {
    change.status = to_string(status);
    if (status == OrderStatus::failed) change.failure_reason = to_string(reason);
  }
  if (!update.vendor_state_json.empty() && update.vendor_state_json != order.vendor_state_json) {
    change.vendor_state_json = update.vendor_state_json;
  }

  const ResultView before = ResultView::from_json(order.result_json);
  const ResultView after = next_result(before, status, reason, update, candidate_email(order));
  if (after != before) {
    change.result_json = after.to_json();
    change.result_changed = true;
  }

  std::string detail;
  std::string event;
  if (plan.verdict == Verdict::advance) {
    event = to_string(status);
    detail = order.status + " → " + to_string(status);
    if (reason != FailureReason::none) detail += " (" + std::string(to_string(reason)) + ")";
  } else if (change.result_changed) {
    event = "updated";
    detail = "result updated";
  } else if (!quiet_if_unchanged) {
    event = "duplicate_update";
    detail = "nothing new";
  }
  if (!event.empty()) {
    if (change.vendor_order_id) detail += "; vendor order " + *change.vendor_order_id;
    if (update.score && change.result_changed) detail += "; score " + std::to_string(*update.score);
    change.timeline.push_back({{}, source, event, detail});
  }
  return plan;
}

}  // namespace ttb::orders

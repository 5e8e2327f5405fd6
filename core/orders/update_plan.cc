#include "orders/update_plan.h"

#include <nlohmann/json.hpp>

#include "orders/result_view.h"

namespace ttb::orders {

bool UpdatePlan::empty() const {
  const auto& c = change;
  return !c.status && !c.failure_reason && !c.vendor_order_id && !c.vendor_state_json &&
         !c.result_json && !c.result_changed && !c.pushed_version && c.timeline.empty();
}

std::string candidate_email(const store::OrderRecord& order) {
  auto j = nlohmann::json::parse(order.candidate_json, nullptr, false);
  if (j.is_object()) {
    if (auto it = j.find("email"); it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

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

  if (plan.verdict == Verdict::final_ || plan.verdict == Verdict::late) {
    // A late update may still carry the plugin's first state (e.g. a create_order answer that
    // lost the race with a callback); keep it when there is none yet, never overwrite newer.
    if (plan.verdict == Verdict::late && order.vendor_state_json == "{}" &&
        !update.vendor_state_json.empty()) {
      change.vendor_state_json = update.vendor_state_json;
    }
    const std::string reported = update.status ? to_string(*update.status) : "an update";
    const std::string why = plan.verdict == Verdict::final_
                                ? "the order is already " + order.status
                                : "the order is further along (" + order.status + ")";
    change.timeline.push_back({{},
                               source,
                               plan.verdict == Verdict::final_ ? "ignored_final" : "ignored_late",
                               "'" + reported + "' ignored: " + why});
    return plan;
  }

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

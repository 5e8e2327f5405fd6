#pragma once
// The order state machine: received → invited → in_progress → completed | failed. Forward only;
// terminal is final, but for the operator reopening a failed invitation
// (OrderService::reopen_invitation). A final order's result may still be amended (update_plan.h);
// its status never changes. Pure functions, no I/O: the rest of orders/ builds on these verdicts.

#include <optional>
#include <string>
#include <string_view>

namespace ttb::orders {

enum class OrderStatus { received, invited, in_progress, completed, failed };
enum class FailureReason { none, expired, cancelled, rejected, vendor_error };
// The statuses a plugin reports in an order update (docs/plugin-abi.md).
enum class VendorStatus { sent, pending, completed, failed };

const char* to_string(OrderStatus status);
const char* to_string(FailureReason reason);  // none → ""
const char* to_string(VendorStatus status);
std::optional<OrderStatus> parse_order_status(std::string_view text);
std::optional<FailureReason> parse_failure_reason(std::string_view text);  // "" → none
std::optional<VendorStatus> parse_vendor_status(std::string_view text);

// sent → invited, pending → in_progress, completed/failed → the same terminal status.
OrderStatus from_vendor(VendorStatus status);
// The order as a plugin sees it in an order context: received → "received", else vendor words.
const char* vendor_word(OrderStatus status);
// What Teamtailor's result card shows: "sending" before the invite, then sent/pending/...
const char* teamtailor_status(OrderStatus status);
bool is_terminal(OrderStatus status);

enum class Verdict {
  advance,  // a later status: take it and its fields
  refresh,  // no status change (same or none given): take the fields
  late,     // an earlier status than the order has: recorded, ignored
  final_,   // the order is completed or failed: recorded, ignored
  // The order is final and the vendor changed its result (a newer revision, same or no status):
  // take the result fields, keep the status. Decided by plan_update (update_plan.h), which
  // knows the revisions; judge() never returns it.
  amend,
  // The update's revision is not above the one the order applied (older, or the same again):
  // recorded, ignored. Decided by plan_update too.
  older,
};

// How an update reporting `next` (nullopt: no status in the update) applies to `current`, by
// status alone.
Verdict judge(OrderStatus current, std::optional<OrderStatus> next);

}  // namespace ttb::orders

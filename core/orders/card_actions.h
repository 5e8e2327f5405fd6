#pragma once
// Which buttons a result card carries (docs/protocols/teamtailor.md, "Card actions"): what the
// order's provider can do for the order now. Each button posts to one of the /actions routes.

#include <vector>

#include "orders/order_status.h"
#include "orders/result_view.h"

namespace ttb::orders {

// What the order's provider offers, from its plugin (plugins::Provider).
struct ActionSupport {
  bool cancel = false;  // the plugin has cancel_order
  bool resend = false;  // the plugin declares the "resend_invitation" action (ABI 1.1)
};

inline constexpr const char* kCancelEndpoint = "actions/cancel-order";
inline constexpr const char* kResendEndpoint = "actions/resend-invitation";

// Cancel while the order is open; resend while the invitation is out and not yet started. A
// final order gets no buttons (an empty list, which removes the earlier ones).
std::vector<CardAction> card_actions(OrderStatus status, const ActionSupport& support);

}  // namespace ttb::orders

#include "orders/card_actions.h"

namespace ttb::orders {

std::vector<CardAction> card_actions(OrderStatus status, const ActionSupport& support) {
  std::vector<CardAction> actions;
  if (is_terminal(status)) return actions;
  // Resending makes sense only while the candidate has the invitation and has not started:
  // before it was sent there is nothing to resend, and a started test would be spoilt.
  if (support.resend && status == OrderStatus::invited) {
    actions.push_back({"Resend invitation", kResendEndpoint});
  }
  if (support.cancel) actions.push_back({"Cancel order", kCancelEndpoint});
  return actions;
}

}  // namespace ttb::orders

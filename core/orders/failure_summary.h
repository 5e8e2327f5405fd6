#pragma once
// What the recruiter's card says when an invitation could not be sent: one actionable sentence
// per kind of failure, chosen from the plugin's call status. It never carries the vendor's error
// text or anything secret (that stays in the dead letter and the log, for the operator).

#include <string>
#include <string_view>

#include "orders/order_status.h"

namespace ttb::orders {

struct InviteFailure {
  FailureReason reason = FailureReason::vendor_error;
  std::string summary;
};

// `call_status` is the plugin's answer in the words of docs/plugin-abi.md ("auth", "invalid",
// "not_found", "unsupported", "rate_limited", "vendor_unavailable", "timeout", "internal", ...);
// "" or any other word: the engine itself failed. The retryable ones end an invitation only once
// the retries are used up, and say so.
InviteFailure invite_failure(std::string_view call_status);

}  // namespace ttb::orders

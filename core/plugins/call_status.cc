// CallStatus names and retry classes: what the engine knows about a provider call's outcome.

#include "plugins/provider.h"

namespace ttb::plugins {

const char* to_string(CallStatus status) {
  switch (status) {
    case CallStatus::ok:
      return "ok";
    case CallStatus::invalid:
      return "invalid";
    case CallStatus::unsupported:
      return "unsupported";
    case CallStatus::auth:
      return "auth";
    case CallStatus::not_found:
      return "not_found";
    case CallStatus::rate_limited:
      return "rate_limited";
    case CallStatus::vendor_unavailable:
      return "vendor_unavailable";
    case CallStatus::timeout:
      return "timeout";
    case CallStatus::cancelled:
      return "cancelled";
    case CallStatus::internal:
      return "internal";
  }
  return "internal";
}

bool is_retryable(CallStatus status) {
  return status == CallStatus::rate_limited || status == CallStatus::vendor_unavailable ||
         status == CallStatus::timeout;
}

}  // namespace ttb::plugins

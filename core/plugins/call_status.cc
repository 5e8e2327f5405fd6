// CallStatus names, retry classes and the mapping from the ABI's frozen status codes.

#include "plugins/plugin_host.h"
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

CallStatus call_status_from_abi(std::int32_t status) {
  switch (status) {
    case TTB_STATUS_OK:
      return CallStatus::ok;
    case TTB_STATUS_INVALID:
      return CallStatus::invalid;
    case TTB_STATUS_UNSUPPORTED:
      return CallStatus::unsupported;
    case TTB_STATUS_AUTH:
      return CallStatus::auth;
    case TTB_STATUS_NOT_FOUND:
      return CallStatus::not_found;
    case TTB_STATUS_RATE_LIMITED:
      return CallStatus::rate_limited;
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return CallStatus::vendor_unavailable;
    case TTB_STATUS_CANCELLED:
      return CallStatus::cancelled;
    case TTB_STATUS_INTERNAL:
      return CallStatus::internal;
    default:
      return CallStatus::internal;  // frozen codes: an unknown one is a plugin bug
  }
}

}  // namespace ttb::plugins

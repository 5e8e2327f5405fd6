// The mapping from the ABI's frozen status codes (ttb_status) to CallStatus.

#include "plugins/internal/plugin_host.h"

namespace ttb::plugins {

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
    default:  // frozen codes: an unknown one is a plugin bug
      return CallStatus::internal;
  }
}

}  // namespace ttb::plugins

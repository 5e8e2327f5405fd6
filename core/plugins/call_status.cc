// CallStatus names and retry classes: what the engine knows about a provider call's outcome;
// and the defaults of Provider's ABI 1.1 members, so engine-side fakes need not implement them.

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
    case CallStatus::crashed:
      return "crashed";
  }
  return "internal";
}

bool is_retryable(CallStatus status) {
  return status == CallStatus::rate_limited || status == CallStatus::vendor_unavailable ||
         status == CallStatus::timeout || status == CallStatus::crashed;
}

bool Provider::declares_action(std::string_view action) const {
  for (const auto& a : declared_actions())
    if (a == action) return true;
  return false;
}

// By value like every override, which moves the request into its call.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
std::future<CallResult> Provider::fetch_document(std::string document_request) {
  (void)document_request;
  std::promise<CallResult> p;
  p.set_value(CallResult{CallStatus::unsupported, "",
                         "provider " + name() + " cannot fetch documents", std::nullopt});
  return p.get_future();
}

const std::vector<std::string>& Provider::no_actions() {
  static const std::vector<std::string> kNone;
  return kNone;
}

}  // namespace ttb::plugins

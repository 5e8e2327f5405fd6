#pragma once
// The engine's view of one provider: one plugin instance serving one provider of one tenant.
// orders/ and jobs/ call vendors only through this interface; plugins/ implements it on top of
// the C ABI (sdk/include/ttbridge/plugin.h), tests implement it with fakes.

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ttb::plugins {

// Mirrors the frozen ABI status codes (plus `timeout` and `crashed`, which only the host
// produces).
enum class CallStatus {
  ok,
  invalid,             // the request was malformed or refused by the vendor (4xx): do not retry
  unsupported,         // the plugin does not implement this call
  auth,                // vendor credentials rejected: do not retry, tell the operator
  not_found,           // the vendor does not know the order/test
  rate_limited,        // retry after `retry_after`
  vendor_unavailable,  // network error, 5xx: retry with backoff
  timeout,             // the plugin did not complete in time: retry with backoff
  cancelled,
  internal,  // a bug in the plugin (threw, broke the contract): do not retry
  crashed,   // the plugin's process died during the call: retry, but the job counts the death
             // (a job whose calls keep killing their process is a dead letter, not a crash loop)
};

const char* to_string(CallStatus status);
bool is_retryable(CallStatus status);

struct CallResult {
  CallStatus status = CallStatus::internal;
  std::string json;    // the call's payload (see docs/plugin-abi.md), empty on error
  std::string detail;  // human-readable error detail, without secrets
  std::optional<std::chrono::milliseconds> retry_after;  // set with rate_limited

  bool ok() const { return status == CallStatus::ok; }
};

// A vendor's HTTP request to /callbacks/{tenant}/{provider}/{rest...}, passed raw.
struct CallbackRequest {
  std::string method;
  std::string path;  // the {rest...} part, "" for the bare route
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string order_json;  // the order context when the path names one of our orders, else ""
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual const std::string& tenant() const = 0;
  virtual const std::string& name() const = 0;         // provider name, unique in the tenant
  virtual const std::string& plugin_name() const = 0;  // plugin id from its entry table
  virtual const std::string& plugin_version() const = 0;
  virtual bool supports_fetch_order() const = 0;
  virtual bool supports_cancel_order() const = 0;
  virtual bool supports_run_action() const = 0;
  // ABI 1.1. The named actions the plugin declares ("resend_invitation", ...), in its order;
  // empty for a 1.0 plugin. The host offers a card button only for these (and for cancel when
  // supports_cancel_order()).
  virtual const std::vector<std::string>& declared_actions() const { return no_actions(); }
  bool declares_action(std::string_view action) const;
  // ABI 1.1: whether fetch_document() reaches the plugin (false for a 1.0 plugin).
  virtual bool supports_fetch_document() const { return false; }
  // Whether the plugin runs inside the daemon's own process (isolation: inproc), so that its
  // crash is the daemon's: the job runner journals such calls (jobs/call_deaths.h).
  virtual bool runs_in_daemon_process() const { return false; }
  // Why the provider cannot take calls now, for the recruiter's form ("" when it can): e.g. its
  // plugin keeps crashing and is stopped until the next reload.
  virtual std::string unavailable_reason() const { return {}; }
  // A reload kept this provider (its settings unchanged): if its plugin's process restarted and
  // could not start it again (unavailable_reason() says so), it is tried again now. Nothing for
  // any other provider.
  virtual void retry_start() {}

  // Every call completes its future exactly once: with the plugin's answer, or with `timeout`
  // when the plugin does not answer within the host's deadline. Never throws.
  // Payloads are UTF-8 JSON, documented in docs/plugin-abi.md.
  virtual std::future<CallResult> list_tests() = 0;                             // -> tests
  virtual std::future<CallResult> create_order(std::string order_request) = 0;  // -> order update
  virtual std::future<CallResult> fetch_order(std::string order_context) = 0;   // -> order update
  virtual std::future<CallResult> cancel_order(std::string order_context) = 0;  // -> order update
  virtual std::future<CallResult> run_action(std::string action_request) = 0;   // -> order update
  virtual std::future<CallResult> handle_callback(
      CallbackRequest request) = 0;  // -> callback result
  // ABI 1.1: {"document","url","order"} -> {"url","expires_at_ms"?} or
  // {"content_type","body_base64"}. `unsupported` when the plugin has no fetch_document.
  virtual std::future<CallResult> fetch_document(std::string document_request);

 protected:
  static const std::vector<std::string>& no_actions();
};

}  // namespace ttb::plugins

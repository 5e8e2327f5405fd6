#pragma once
// The fake vendor behind testvendor.so, on 127.0.0.1:<ephemeral>. API (Bearer <api_key>):
//   GET  /api/tests                      {"tests":[{"id","title","minutes"}]}
//   POST /api/orders                     invite: {reference, test, candidate{email,name},
//                                        callback_url} -> the order; a known reference answers
//                                        the existing order (idempotent), so one invitation
//   GET  /api/orders/{id}                the order
//   POST /api/orders/{id}/cancel|resend  cancel, or send the invitation again
// A "down" switch answers 503 to everything. Results reach the engine as signed callbacks
// (testvendor_wire.h) to the order's callback_url, built by callback() and sent by deliver().

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "net/http_server.h"

namespace ttb::fakes::testvendor {

struct TestSpec {
  std::string id, title;
  int minutes = 30;
};

// One invitation: the vendor's order as it stands now.
struct Invitation {
  std::string id;         // the vendor's order id ("tv_1", ...)
  std::string reference;  // our order id (the partner-result id)
  std::string test, email, name, callback_url;
  std::string status = "invited";  // invited | started | completed | expired | cancelled
  int resends = 0;
  std::chrono::system_clock::time_point made_at;     // when the invitation was recorded
  nlohmann::json result = nlohmann::json::object();  // score, summary, report_url, ...
  nlohmann::json to_json() const;
};

// What the candidate achieved, as the callback (and later fetches) report it.
struct Outcome {
  std::string status = "completed";
  std::optional<int> score;
  std::string summary, report_url;
  nlohmann::json attachments = nlohmann::json::array();  // [{url, description}]
  nlohmann::json details = nlohmann::json::object();
};

// A callback request ready to send: tests may change url, body or signature before deliver().
struct Callback {
  std::string url;
  std::string body;
  std::string signature;  // the X-Testvendor-Signature value
};

struct FakeTestVendorOptions {
  std::string api_key = "tv-fake-api-key";
  std::string callback_secret = "tv-fake-callback-secret";
};

class FakeTestVendor {
 public:
  explicit FakeTestVendor(FakeTestVendorOptions options = {});
  ~FakeTestVendor();
  FakeTestVendor(const FakeTestVendor&) = delete;
  FakeTestVendor& operator=(const FakeTestVendor&) = delete;

  std::string base_url() const;  // http://127.0.0.1:<port>/api: the plugin's base_url
  const FakeTestVendorOptions& options() const { return options_; }
  // The provider config for a tenant file: {"base_url":..., "api_key":..., "callback_secret":...}.
  nlohmann::json plugin_config() const;

  // Offered tests; default t1 "Logic test" and t2 "Personality test".
  void set_tests(std::vector<TestSpec> tests);
  void set_down(bool down);  // true: every API request answers 503
  // A slow vendor: each new invitation (POST /api/orders) is answered `pause` later, and none
  // at all while held (hold_invites(true)) until hold_invites(false). Other requests go on.
  void set_invite_pause(std::chrono::milliseconds pause);
  void hold_invites(bool hold);

  std::vector<Invitation> invitations() const;
  std::optional<Invitation> invitation_for(const std::string& reference) const;
  int requests_seen() const;

  // Records `outcome` on the order (so fetches see it too) and returns the signed callback to
  // its callback_url. nullopt for an unknown vendor order id.
  std::optional<Callback> callback(const std::string& vendor_order_id, const Outcome& outcome,
                                   std::string event_id = "");
  net::ClientResponse deliver(const Callback& callback);

 private:
  net::Response handle(net::Request& request);

  FakeTestVendorOptions options_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;

  mutable std::mutex mutex_;
  std::vector<TestSpec> tests_;
  bool down_ = false;
  std::chrono::milliseconds invite_pause_{0};
  bool invites_held_ = false;
  std::condition_variable invites_released_;
  int requests_ = 0;
  int next_id_ = 1;
  int next_event_ = 1;
  std::vector<Invitation> orders_;
};

}  // namespace ttb::fakes::testvendor

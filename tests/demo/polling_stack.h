#pragma once
// The whole product on loopback for a vendor without webhooks: a fake of TestGorilla in this
// process and the real ttbridged (testing::Engine, with its fake Teamtailor) whose tenant "acme"
// has the provider `testgorilla` pointed at it. The daemon polls every second and retries within
// a second, so an order walks from "Send" to its result in seconds; polling, not a callback, is
// the only way results arrive. Used by the demo and tests/integration/vendor_testgorilla_test.cc.

#include <string>

#include <nlohmann/json.hpp>

#include "engine_fixture.h"
#include "fakes/testgorilla/fake_testgorilla.h"

namespace ttb::demo {

class PollingStack {
 public:
  static constexpr const char* kTenant = "acme";
  static constexpr const char* kActivationToken = "acme-polling-activation-token";

  PollingStack();

  // Starts ttbridged; false when it did not come up (see engine().log()).
  bool start();

  // The card Teamtailor shows for a partner result now ({} before the first write).
  nlohmann::json card(const std::string& result_id);
  // The order's jobs that are not done (queued, running or dead), from `ttbridge jobs list`.
  nlohmann::json open_jobs(const std::string& order_id);

  testing::Engine& engine() { return engine_; }
  fakes::FakeTeamtailor& teamtailor() { return engine_.teamtailor(); }
  fakes::WebhookSender& recruiter() { return engine_.sender(); }  // Teamtailor's side
  fakes::testgorilla::FakeTestGorilla& testgorilla() { return testgorilla_; }

 private:
  // The fake comes first: the engine's tenant file names its URL.
  fakes::testgorilla::FakeTestGorilla testgorilla_;
  testing::Engine engine_;
};

}  // namespace ttb::demo

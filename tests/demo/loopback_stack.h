#pragma once
// The whole product on loopback, for the demo and the vendor flow tests: fakes of Checkr,
// HackerRank and Codility in this process, and the real ttbridged (testing::Engine, with its fake
// Teamtailor) whose tenant "acme" has the providers `checkr`, `hackerrank` and `codility` pointed
// at those fakes.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_fixture.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/codility/fake_codility.h"
#include "fakes/hackerrank/fake_hackerrank.h"

namespace ttb::demo {

class LoopbackStack {
 public:
  static constexpr const char* kTenant = "acme";
  static constexpr const char* kActivationToken = "acme-demo-activation-token";

  // `admin_token`: when set, the daemon's admin listener (and its operator API) requires it.
  // `main_extra`: YAML appended to the main config (e.g. a `jobs:` section).
  explicit LoopbackStack(const std::string& admin_token = "", const std::string& main_extra = "");

  // Starts ttbridged (server.public_url = its own loopback URL, so the vendors' callbacks reach
  // it); false when it did not come up (see engine().log()).
  bool start();

  std::string callback_url(const std::string& provider) const;  // .../callbacks/acme/<provider>

  // The daemon's JSON log lines whose "event" is `event`, parsed.
  std::vector<nlohmann::json> events(const std::string& event);
  // A log line's "ts" (ISO 8601 UTC with milliseconds) as ms since the epoch; -1 when absent.
  static long long log_time_ms(const nlohmann::json& line);

  testing::Engine& engine() { return engine_; }
  fakes::FakeTeamtailor& teamtailor() { return engine_.teamtailor(); }
  fakes::WebhookSender& recruiter() { return engine_.sender(); }  // Teamtailor's side
  fakes::checkr::FakeCheckr& checkr() { return checkr_; }
  fakes::hackerrank::FakeHackerRank& hackerrank() { return hackerrank_; }
  fakes::codility::FakeCodility& codility() { return codility_; }

 private:
  // The fakes come first: the engine's tenant file names their URLs.
  fakes::checkr::FakeCheckr checkr_;
  fakes::hackerrank::FakeHackerRank hackerrank_;
  fakes::codility::FakeCodility codility_;
  testing::Engine engine_;
};

}  // namespace ttb::demo

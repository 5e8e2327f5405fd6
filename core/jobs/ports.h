#pragma once
// What the job runner needs from the outside, as small interfaces the app adapts: where a
// tenant's provider is (plugins/), and how a result reaches Teamtailor (teamtailor/).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "orders/result_view.h"
#include "plugins/provider.h"
#include "store/records.h"

namespace ttb::jobs {

class ProviderDirectory {
 public:
  virtual ~ProviderDirectory() = default;
  // nullptr when the tenant or provider is not configured right now (removed, reloading, plugin
  // refused): the job waits, visibly, and does not fail.
  virtual std::shared_ptr<plugins::Provider> find(const std::string& tenant,
                                                  const std::string& provider) = 0;
};

struct PublishOutcome {
  enum class Kind {
    ok,         // Teamtailor has this result
    retryable,  // network error, timeout, 5xx, 429: try again (after retry_after when given)
    rejected,   // 4xx other than 429 (e.g. 422 validation): dead letter with `error`
  };
  Kind kind = Kind::ok;
  // false when Teamtailor gave no answer of its own (no HTTP answer, 408, 5xx; the client's
  // PushOutcome::answered): what opens the runner's Teamtailor breaker (jobs/outage_breaker.h).
  // A 429 is an answer.
  bool answered = true;
  std::optional<std::chrono::milliseconds> retry_after;
  std::string error;  // for the job's last error; no secrets

  static PublishOutcome ok() { return {}; }
  static PublishOutcome retry(std::string error,
                              std::optional<std::chrono::milliseconds> after = std::nullopt) {
    return {Kind::retryable, true, after, std::move(error)};
  }
  static PublishOutcome no_answer(std::string error,
                                  std::optional<std::chrono::milliseconds> after = std::nullopt) {
    return {Kind::retryable, false, after, std::move(error)};
  }
  static PublishOutcome reject(std::string error) {
    return {Kind::rejected, true, std::nullopt, std::move(error)};
  }
};

class ResultPublisher {
 public:
  virtual ~ResultPublisher() = default;
  // Writes `result` to the order's partner result (PUT .../partner-results/{order.id}). Called
  // from a worker thread; one order's pushes are never concurrent.
  virtual PublishOutcome publish(const store::OrderRecord& order,
                                 const orders::ResultView& result) = 0;
};

}  // namespace ttb::jobs

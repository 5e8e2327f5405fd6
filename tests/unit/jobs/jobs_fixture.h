#pragma once
// A real store, the order service and a job runner wired to fakes and a manual clock.

#include "fakes.h"
#include "jobs/job_runner.h"
#include "orders/order_service.h"
#include "orders/result_view.h"
#include "store_fixture.h"

namespace ttb::jobs::testing {

class JobsFixture : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    store_ = open();
    orders_ = std::make_unique<orders::OrderService>(
        *store_, orders::OrderServiceOptions{"https://ttb.example"});
    provider_ = std::make_shared<FakeProvider>("acme", "codility");
    directory_.add(provider_);
  }
  void TearDown() override {
    runner_.reset();
    store_->close();
  }

  RunnerOptions options() {
    RunnerOptions o;
    o.workers = 2;
    o.steps.clock = clock_.fn();
    o.steps.uniform01 = [] { return 1.0; };  // the backoff ceiling: predictable in tests
    o.steps.retry.base_delay = std::chrono::seconds(1);
    o.steps.retry.max_attempts = 5;
    o.steps.provider_wait = std::chrono::seconds(30);
    o.steps.poll_interval = std::chrono::minutes(5);
    o.steps.call_timeout = std::chrono::seconds(30);
    return o;
  }

  JobRunner& runner() {
    if (!runner_) {
      store::Store& store = runner_store_ ? *runner_store_ : *store_;
      runner_ = std::make_unique<JobRunner>(store, *orders_, directory_, publisher_, options_);
    }
    return *runner_;
  }

  void accept(const std::string& id, const std::string& tenant = "acme") {
    auto o = order(id, "ev-" + id, tenant);
    o.callback_url.clear();
    ASSERT_EQ(orders_->accept(o)->outcome, store::Accepted::Outcome::created);
  }

  store::OrderRecord get(const std::string& id) { return *store_->get_order(id); }
  orders::ResultView result(const std::string& id) {
    return orders::ResultView::from_json(get(id).result_json);
  }
  std::vector<store::JobRecord> jobs(const std::string& order_id) {
    return *store_->list_jobs({false, "", order_id, 100});
  }
  std::optional<store::JobRecord> job_of(const std::string& order_id, store::JobKind kind) {
    std::optional<store::JobRecord> last;
    for (auto& j : jobs(order_id)) {
      if (j.kind == kind) last = j;
    }
    return last;
  }
  void update(const std::string& json) {
    auto r = orders_->apply_vendor_update("acme", "codility", json, "callback");
    ASSERT_EQ(r.status, orders::ApplyResult::Status::applied) << r.message;
  }

  std::unique_ptr<store::Store> store_;
  // Set: the runner writes through it, not store_. A test whose store this is resets runner_
  // before the store goes: the runner's destructor still calls it.
  store::Store* runner_store_ = nullptr;
  std::unique_ptr<orders::OrderService> orders_;
  std::shared_ptr<FakeProvider> provider_;
  FakeDirectory directory_;
  FakePublisher publisher_;
  RunnerOptions options_ = options();
  std::unique_ptr<JobRunner> runner_;
};

}  // namespace ttb::jobs::testing

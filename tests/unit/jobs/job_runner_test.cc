// The threaded runner: prompt wake-up on new jobs, and stop() draining in-flight work. Waits
// poll with a deadline; nothing sleeps for timing.

#include <future>
#include <set>
#include <thread>

#include "forwarding_store.h"
#include "jobs_fixture.h"

namespace ttb::jobs::testing {
namespace {

using store::JobKind;
using store::JobState;

template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::yield();
  }
  return pred();
}

class JobRunnerTest : public JobsFixture {
 protected:
  // create_order answers only when the test releases it.
  void hold_invites() {
    provider_->set_handler("create_order", [this](const std::string&) {
      std::lock_guard lock(gate_mutex_);
      gates_.emplace_back();
      return gates_.back().get_future();
    });
  }
  size_t held() {
    std::lock_guard lock(gate_mutex_);
    return gates_.size();
  }
  void release_all() {
    std::lock_guard lock(gate_mutex_);
    for (auto& g : gates_) {
      if (!released_.count(&g)) {
        g.set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
        released_.insert(&g);
      }
    }
  }

  // The store writes one worker makes to run `orders` new orders to their results (invite and
  // push each), until it idles; 0 (and a failure) when they do not all finish.
  std::uint64_t writes_of_one_worker_running(int orders) {
    options_.workers = 1;
    options_.idle_wait = std::chrono::hours(1);
    for (int i = 0; i < orders; ++i) accept("pr-" + std::to_string(i));
    const auto before = store_->stats().writes;
    runner().start();
    const bool finished =
        eventually([&] { return publisher_.accepted().size() == static_cast<size_t>(orders); }) &&
        eventually([&] { return runner().sleeping_workers() == 1; });
    EXPECT_TRUE(finished);
    EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
    return finished ? store_->stats().writes - before : 0;
  }

  // acme's codility answers every invitation 503 from now on, and its first order's invitation
  // (pr-0) opens options_.breaker, made to open after one such answer.
  void open_the_breaker_with_a_refused_invite() {
    provider_->set_handler("create_order", [](const std::string&) {
      std::promise<plugins::CallResult> answer;
      answer.set_value(error(plugins::CallStatus::vendor_unavailable, "503"));
      return answer.get_future();
    });
    accept("pr-0");
    ASSERT_EQ(runner().run_due(), 1);
    ASSERT_TRUE(options_.breaker->is_open("acme", "codility"));
  }

  // A breaker that opens after `failures` calls not answered and waits 30 s before its first
  // probe, on a steady clock that advance_clocks() moves with the store's. A held job comes back
  // half a wait after the probe.
  std::shared_ptr<OutageBreaker> breaker_on_test_clocks(int failures) {
    BreakerOptions breaker;
    breaker.failures = failures;
    breaker.open_for = std::chrono::seconds(30);
    breaker.clock = [this] { return steady_; };
    breaker.uniform01 = [] { return 0.5; };
    return std::make_shared<OutageBreaker>(breaker);
  }
  void advance_clocks(std::chrono::seconds d) {
    steady_ += d;
    clock_.advance(d);
  }

  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1)};
  std::atomic<bool> vendor_up_{false};
  std::mutex gate_mutex_;
  std::deque<std::promise<plugins::CallResult>> gates_;
  std::set<std::promise<plugins::CallResult>*> released_;
};

TEST_F(JobRunnerTest, WorkersWakeAsSoonAsAJobIsEnqueued) {
  options_.idle_wait = std::chrono::hours(1);  // only a wake-up can make this test pass
  runner().start();
  ASSERT_TRUE(eventually([&] { return runner().sleeping_workers() == options_.workers; }));
  accept("pr-1");
  EXPECT_TRUE(eventually([&] { return publisher_.accepted().size() == 1; }));
  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
}

TEST_F(JobRunnerTest, ManyOrdersAllReachTeamtailorOnce) {
  options_.workers = 4;
  runner().start();
  const int kOrders = 60;
  for (int i = 0; i < kOrders; ++i) accept("pr-" + std::to_string(i));
  EXPECT_TRUE(eventually([&] { return publisher_.accepted().size() == kOrders; }));
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
  std::set<std::string> ids;
  for (auto& c : publisher_.accepted()) ids.insert(c.order_id);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kOrders));
  EXPECT_EQ(provider_->requests("create_order").size(), static_cast<size_t>(kOrders));
}

TEST_F(JobRunnerTest, EachCompletionClaimsTheNextJobInItsOwnCommit) {
  const int kOrders = 6;
  const auto writes = writes_of_one_worker_running(kOrders);
  // 12 jobs (an invite and a push per order), each completed by one commit that also claimed the
  // next; besides those, the first claim and the claims that found nothing. A claim of its own
  // per job would make at least 12 + 12 + 1 writes.
  EXPECT_GE(writes, 2u * kOrders + 1);
  EXPECT_LE(writes, 2u * kOrders + 3);
  EXPECT_EQ(store_->queue_stats()->running, 0);
  EXPECT_EQ(store_->queue_stats()->queued, 0);
}

TEST_F(JobRunnerTest, AClaimRidingOnACompletionTakesOverItsTenantsLastSlot) {
  options_.limits = std::make_shared<JobLimits>(LimitOptions{1, 1, 0, {}});
  const int kOrders = 4;
  const auto writes = writes_of_one_worker_running(kOrders);
  // The tenant's one slot went from each job to the next inside their shared commit: no job
  // needed a claim of its own, and the slot was given back exactly once in the end.
  EXPECT_GE(writes, 2u * kOrders + 1);
  EXPECT_LE(writes, 2u * kOrders + 3);
  EXPECT_EQ(options_.limits->running("acme"), 0);
  EXPECT_EQ(options_.limits->running("acme", "codility"), 0);
  EXPECT_TRUE(options_.limits->try_acquire("acme", "codility"));
}

TEST_F(JobRunnerTest, ANewJobWakesOneWorkerOfItsBudgetNotEveryWorker) {
  options_.workers = 4;
  options_.teamtailor_workers = 2;
  options_.idle_wait = std::chrono::hours(1);  // only a wake-up can make this test pass
  // What an order's acceptance writes alone, with no runner to wake.
  auto writes = [&] { return store_->stats().writes; };
  const auto before_first = writes();
  accept("pr-0");
  const auto accepting = writes() - before_first;
  runner().start();
  ASSERT_TRUE(eventually([&] { return publisher_.accepted().size() == 1; }));
  ASSERT_TRUE(eventually([&] { return runner().sleeping_workers() == 6; }));

  const auto before = writes();
  accept("pr-1");
  ASSERT_TRUE(eventually([&] { return publisher_.accepted().size() == 2; }));
  ASSERT_TRUE(eventually([&] { return runner().sleeping_workers() == 6; }));
  // One vendor worker claims the invite, and the invite's completion (which queues the push)
  // claims nothing more; one Teamtailor worker claims the push, and the push's completion claims
  // nothing more. Waking all six workers for each commit that queued a job, and again as each
  // job ends, would add a claim of each of the others every time.
  EXPECT_LE(writes() - before, accepting + 4);
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
}

TEST_F(JobRunnerTest, ASlotFreedInAFullTenantWakesAWorkerWhenItsOwnWorkerTakesAnotherJob) {
  options_.workers = 2;
  options_.teamtailor_workers = 1;
  options_.idle_wait = std::chrono::hours(1);  // only a wake-up can make this test pass
  options_.limits = std::make_shared<JobLimits>(LimitOptions{1, 1, 0, {}});
  std::atomic<bool> globex_admitted{false};
  options_.admit = [&](const std::string& tenant, const std::string&) {
    return tenant != "globex" || globex_admitted.load();
  };
  auto globex = std::make_shared<FakeProvider>("globex", "codility");
  directory_.add(globex);
  std::promise<plugins::CallResult> globex_answer;
  globex->set_handler("create_order",
                      [&](const std::string&) { return globex_answer.get_future(); });
  hold_invites();            // acme's
  accept("pr-1");            // acme: runs first and takes the tenant's one slot
  accept("pr-3", "globex");  // due before pr-2, but refused by admit for now
  accept("pr-2");            // acme: held back by the limit
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 1 && runner().sleeping_workers() == 2; }));
  globex_admitted = true;  // no wake-up: nobody looks again until a job ends
  // pr-1's invite ends, and the claim riding on its completion takes the job due first, globex's
  // pr-3, whose vendor hangs. acme's slot is free again: only a wake-up brings the sleeping vendor
  // worker to pr-2.
  release_all();
  EXPECT_TRUE(eventually([&] { return held() == 2; }));
  globex_answer.set_value(ok(R"({"vendor_order_id":"v-3","status":"sent"})"));
  EXPECT_TRUE(eventually([&] {
    release_all();
    return publisher_.accepted().size() == 3;
  }));
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
}

TEST_F(JobRunnerTest, TeamtailorWritesRunWhileVendorWorkHoldsEveryVendorWorker) {
  options_.workers = 2;
  options_.teamtailor_workers = 1;
  options_.limits = std::make_shared<JobLimits>(LimitOptions{2, 2, 0, {}});
  hold_invites();
  for (int i = 0; i < 6; ++i) accept("pr-" + std::to_string(i));
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 2; }));
  // One invitation answers; its worker takes the next invite, which hangs again. The card of the
  // invited order is written meanwhile, although four invites were due before its push.
  {
    std::lock_guard lock(gate_mutex_);
    gates_.front().set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    released_.insert(&gates_.front());
  }
  EXPECT_TRUE(eventually([&] { return publisher_.accepted().size() == 1; }));
  EXPECT_TRUE(eventually([&] { return held() == 3; }));
  EXPECT_EQ(options_.limits->running("acme"), 2) << "the push took no vendor slot";
  release_all();
  EXPECT_TRUE(eventually([&] {
    release_all();
    return publisher_.accepted().size() == 6;
  }));
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
}

// A vendor that stops answering: once the breaker opens, each of its provider's jobs claimed is
// put back with its attempt, other tenants' jobs run on, and when they come back after the wait
// the first one probes. The vendor's answer to a probe lets the held jobs run.
TEST_F(JobRunnerTest, AVendorThatStopsAnsweringHasItsJobsHeldUntilAProbeFindsItBack) {
  using std::chrono::seconds;
  options_.breaker = breaker_on_test_clocks(3);
  std::atomic<bool> vendor_up{false};
  provider_->set_handler("create_order", [&](const std::string&) {
    std::promise<plugins::CallResult> answer;
    answer.set_value(vendor_up ? ok(R"({"vendor_order_id":"v-1","status":"sent"})")
                               : error(plugins::CallStatus::vendor_unavailable, "503"));
    return answer.get_future();
  });
  auto globex = std::make_shared<FakeProvider>("globex", "codility");
  directory_.add(globex);
  const int kOrders = 6;
  for (int i = 0; i < kOrders; ++i) accept("pr-" + std::to_string(i));
  accept("gx-1", "globex");
  auto requests = [&] { return provider_->requests("create_order").size(); };

  runner().run_due();
  EXPECT_TRUE(options_.breaker->is_open("acme", "codility"));
  EXPECT_EQ(requests(), 3u) << "three failures open it";
  EXPECT_EQ(get("gx-1").status, "invited") << "another tenant's provider is not held";
  for (int i = 3; i < kOrders; ++i) {
    const auto invite = job_of("pr-" + std::to_string(i), JobKind::invite);
    EXPECT_EQ(invite->state, JobState::queued);
    EXPECT_EQ(invite->attempts, 0) << "a held job keeps its attempts";
    EXPECT_TRUE(invite->waiting_for_provider) << "a reload makes it due";
    EXPECT_EQ(invite->run_at, clock_.now() + seconds(30 + 15));
    EXPECT_NE(invite->last_error.find("vendor is not answering"), std::string::npos);
  }

  // The failed jobs' retries come due, and are held too.
  advance_clocks(seconds(10));
  runner().run_due();
  EXPECT_EQ(requests(), 3u);
  EXPECT_EQ(job_of("pr-0", JobKind::invite)->attempts, 1);

  // Past the probe's time, the first job due probes, and fails: the wait doubles, and the others
  // are held until after the next probe.
  advance_clocks(seconds(35));
  runner().run_due();
  EXPECT_EQ(requests(), 4u);
  EXPECT_TRUE(options_.breaker->is_open("acme", "codility"));
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_EQ(get("pr-" + std::to_string(i)).status, "received") << i;
  }

  // The vendor is back: the next probe's answer closes the breaker, and every held job runs.
  vendor_up = true;
  advance_clocks(seconds(120));
  runner().run_due();
  EXPECT_FALSE(options_.breaker->is_open("acme", "codility"));
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_EQ(get("pr-" + std::to_string(i)).status, "invited") << i;
  }
  EXPECT_EQ(requests(), 4u + kOrders);
  EXPECT_EQ(job_of("pr-5", JobKind::invite)->attempts, 1) << "invited at its first call";
  EXPECT_EQ(publisher_.accepted().size(), static_cast<size_t>(kOrders) + 1);
}

// A held job calls no vendor, so it is put back without a slot or a rate token of the limits:
// a provider out of tokens still gets its held jobs out of the due queue.
TEST_F(JobRunnerTest, AHeldJobTakesNoSlotOrRateTokenOfTheLimits) {
  const auto frozen = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  BreakerOptions breaker;
  breaker.failures = 1;
  breaker.clock = [frozen] { return frozen; };
  options_.breaker = std::make_shared<OutageBreaker>(breaker);
  // One start a second, on a clock that never moves: the first call takes the only token.
  options_.limits = std::make_shared<JobLimits>(LimitOptions{1, 1, 1, [frozen] { return frozen; }});
  ASSERT_NO_FATAL_FAILURE(open_the_breaker_with_a_refused_invite());
  for (int i = 1; i <= 4; ++i) accept("pr-" + std::to_string(i));

  EXPECT_EQ(runner().run_due(), 4);
  for (int i = 1; i <= 4; ++i) {
    const auto invite = job_of("pr-" + std::to_string(i), JobKind::invite);
    EXPECT_EQ(invite->state, JobState::queued) << i;
    EXPECT_EQ(invite->attempts, 0) << i;
    EXPECT_GT(invite->run_at, clock_.now()) << i;
  }
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);
  EXPECT_EQ(options_.limits->running("acme"), 0);
}

// An open breaker whose probe is due while its provider has no slot or token (here, no token: the
// call that opened it took the only one): its jobs are held like the others, rather than passed
// by. Passed by, they filled each claim's candidates, and another tenant's job behind them waited.
TEST_F(JobRunnerTest, AnOpenProviderWithoutASlotForItsProbeHasItsJobsHeldNotWalkedPast) {
  using std::chrono::seconds;
  options_.breaker = breaker_on_test_clocks(1);
  const auto frozen = steady_;
  options_.limits = std::make_shared<JobLimits>(LimitOptions{0, 0, 1, [frozen] { return frozen; }});
  auto globex = std::make_shared<FakeProvider>("globex", "codility");
  directory_.add(globex);
  ASSERT_NO_FATAL_FAILURE(open_the_breaker_with_a_refused_invite());
  // More of the open pair's jobs than one claim reads, then another tenant's.
  const int kOrders = 30;
  for (int i = 1; i <= kOrders; ++i) accept("pr-" + std::to_string(i));
  accept("gx-1", "globex");

  advance_clocks(seconds(31));  // the probe is due; the limits' clock stays, so no token
  runner().run_due();
  EXPECT_EQ(get("gx-1").status, "invited") << "another tenant's job is not held up";
  for (int i = 1; i <= kOrders; ++i) {
    const auto invite = job_of("pr-" + std::to_string(i), JobKind::invite);
    EXPECT_EQ(invite->state, JobState::queued) << i;
    EXPECT_EQ(invite->attempts, 0) << i;
    EXPECT_TRUE(invite->waiting_for_provider) << i;
    EXPECT_EQ(invite->run_at, clock_.now() + seconds(15)) << "half a wait after the due probe";
  }
  EXPECT_EQ(provider_->requests("create_order").size(), 1u) << "no call without a token";
  EXPECT_TRUE(options_.breaker->is_open("acme", "codility"));
}

// A held job called no vendor. When the store refuses to put it back, it is put back once the
// store answers again: marked as waiting for its provider and with its attempt returned, not
// retried as a job that ran (which would count the attempt and lose the mark).
TEST_F(JobRunnerTest, AHeldJobTheStoreRefusesToPutBackIsPutBackOnceTheStoreAnswers) {
  struct RefusesOnePutBack : store::testing::ForwardingStore {
    using ForwardingStore::ForwardingStore;
    std::atomic<int> put_backs{0};
    store::Result<void> transition_job(const store::JobMove& move) override {
      if (move.transition == store::JobTransition::wait_for_provider && put_backs++ == 0) {
        return store::Error{store::Error::Code::unavailable, "disk I/O error (injected)"};
      }
      return inner_.transition_job(move);
    }
  };
  RefusesOnePutBack refusing(*store_);
  runner_store_ = &refusing;
  options_.breaker = breaker_on_test_clocks(1);
  std::vector<JobEvent::Outcome> outcomes;
  options_.steps.on_event = [&](const JobEvent& e) { outcomes.push_back(e.outcome); };
  ASSERT_NO_FATAL_FAILURE(open_the_breaker_with_a_refused_invite());
  accept("pr-1");
  outcomes.clear();

  runner().run_due();
  EXPECT_EQ(refusing.put_backs, 2) << "refused once, then written";
  const auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::queued);
  EXPECT_EQ(invite->attempts, 0) << "a held job's attempt goes back with it";
  EXPECT_TRUE(invite->waiting_for_provider) << "a reload that ends the outage makes it due";
  EXPECT_GT(invite->run_at, clock_.now() + std::chrono::seconds(1))
      << "due when its breaker lets a probe through, not a retry's second later";
  EXPECT_EQ(outcomes, std::vector{JobEvent::Outcome::deferred});
  EXPECT_EQ(provider_->requests("create_order").size(), 1u) << "only pr-0 called the vendor";
  runner_.reset();  // it writes through `refusing` as it stops: before `refusing` goes
}

// A reload closes the breakers and makes the held jobs due; a job being held at that moment is
// put back after that wake. Its holder sees the reset and makes it due too.
TEST_F(JobRunnerTest, AJobHeldWhileAReloadResetsItsBreakerIsDueAtOnce) {
  provider_->set_handler("create_order", [this](const std::string&) {
    std::promise<plugins::CallResult> answer;
    answer.set_value(vendor_up_ ? ok(R"({"vendor_order_id":"v-1","status":"sent"})")
                                : error(plugins::CallStatus::vendor_unavailable, "503"));
    return answer.get_future();
  });
  // The breaker works out a hold (uniform01 is asked only then); the next time the steps read
  // the clock is as the job is put back, and the reload runs just before it.
  struct Reload {
    bool hold_worked_out = false;
    bool done = false;
  };
  auto reload = std::make_shared<Reload>();
  BreakerOptions breaker;
  breaker.failures = 1;
  breaker.open_for = std::chrono::seconds(30);
  breaker.clock = [this] { return steady_; };
  breaker.uniform01 = [reload] {
    reload->hold_worked_out = true;
    return 0.5;
  };
  options_.breaker = std::make_shared<OutageBreaker>(breaker);
  options_.steps.clock = [this, reload, clock = clock_.fn()] {
    if (reload->hold_worked_out && !reload->done) {
      reload->done = true;
      vendor_up_ = true;  // the operator fixed the provider, and reloads
      EXPECT_EQ(options_.breaker->reset(), 1);
      EXPECT_TRUE(store_->wake_jobs_waiting_for_provider());
    }
    return clock();
  };
  accept("pr-0");
  ASSERT_EQ(runner().run_due(), 1);
  ASSERT_TRUE(options_.breaker->is_open("acme", "codility"));
  accept("pr-1");

  runner().run_due();
  ASSERT_TRUE(reload->done);
  EXPECT_EQ(get("pr-1").status, "invited") << "held during the reload, and run right after it";
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->attempts, 1);
}

// Teamtailor that stops answering on one connection: once its breaker opens, the pushes of that
// connection's tenants are put back with their attempts, while another connection's pushes and
// the vendor work run on; a probe's answer lets the held pushes write their cards.
TEST_F(JobRunnerTest, TeamtailorThatStopsAnsweringHasItsPushesHeldUntilAProbeFindsItBack) {
  using std::chrono::seconds;
  options_.teamtailor_breaker = breaker_on_test_clocks(2);
  options_.teamtailor_of = [](const std::string& tenant) { return tenant == "acme" ? "eu" : "us"; };
  std::atomic<bool> eu_up{false};
  publisher_.answer_with([&](const store::OrderRecord& order) {
    if (order.tenant == "acme" && !eu_up) return PublishOutcome::no_answer("Teamtailor 503");
    return PublishOutcome::ok();
  });
  directory_.add(std::make_shared<FakeProvider>("globex", "codility"));
  const int kOrders = 4;
  for (int i = 0; i < kOrders; ++i) accept("pr-" + std::to_string(i));
  accept("gx-1", "globex");
  auto pushes_of_acme = [&] {
    size_t n = 0;
    for (const auto& call : publisher_.calls()) n += call.order_id.starts_with("pr-");
    return n;
  };
  auto is_open = [&] { return options_.teamtailor_breaker->is_open("eu", "teamtailor"); };

  runner().run_due();
  EXPECT_TRUE(is_open());
  EXPECT_EQ(pushes_of_acme(), 2u) << "two pushes not answered open it";
  ASSERT_EQ(publisher_.accepted().size(), 1u) << "another connection's push is not held";
  EXPECT_EQ(publisher_.accepted()[0].order_id, "gx-1");
  int held = 0;
  for (int i = 0; i < kOrders; ++i) {
    const auto push = job_of("pr-" + std::to_string(i), JobKind::push);
    EXPECT_EQ(get("pr-" + std::to_string(i)).status, "invited") << "vendor work is not held";
    if (push->attempts > 0) continue;  // one of the two that failed
    ++held;
    EXPECT_EQ(push->state, JobState::queued);
    EXPECT_EQ(push->run_at, clock_.now() + seconds(30 + 15));
    EXPECT_NE(push->last_error.find("Teamtailor is not answering"), std::string::npos);
    EXPECT_TRUE(push->waiting_for_provider) << "a reload makes it due";
  }
  EXPECT_EQ(held, kOrders - 2);

  // Past the probe's time the first push due probes, and fails: the wait doubles. A new order's
  // invitation goes out meanwhile; its push is held with the others.
  advance_clocks(seconds(35));
  accept("pr-new");
  runner().run_due();
  EXPECT_EQ(pushes_of_acme(), 3u);
  EXPECT_TRUE(is_open());
  EXPECT_EQ(get("pr-new").status, "invited");
  EXPECT_EQ(job_of("pr-new", JobKind::push)->attempts, 0);

  // Teamtailor is back: the next probe's answer closes the breaker, and every held push runs.
  eu_up = true;
  advance_clocks(seconds(120));
  runner().run_due();
  EXPECT_FALSE(is_open());
  std::set<std::string> written;
  for (const auto& call : publisher_.accepted()) written.insert(call.order_id);
  EXPECT_EQ(written.size(), static_cast<size_t>(kOrders) + 2);
  EXPECT_EQ(publisher_.accepted().size(), static_cast<size_t>(kOrders) + 2) << "each card once";
  EXPECT_EQ(job_of("pr-new", JobKind::push)->attempts, 1) << "written at its first call";
  EXPECT_EQ(store_->queue_stats()->dead, 0);
}

TEST_F(JobRunnerTest, StopWaitsForInFlightJobsAndLeavesTheRestQueued) {
  options_.workers = 1;
  hold_invites();
  accept("pr-1");
  accept("pr-2");
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 1; }));
  auto stopped = std::async(std::launch::async, [&] {
    return runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20));
  });
  // Release the held invite only once stop() has begun, else the worker may claim pr-2 first.
  ASSERT_TRUE(eventually([&] { return runner().stopping(); }));
  release_all();
  EXPECT_TRUE(stopped.get());
  EXPECT_EQ(runner().in_flight(), 0);
  // The in-flight invite finished and was recorded; nothing new was started after stop().
  EXPECT_EQ(get("pr-1").status == "invited" || get("pr-2").status == "invited", true);
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);
  EXPECT_EQ(store_->queue_stats()->running, 0);
  EXPECT_GE(store_->queue_stats()->queued, 1);
}

TEST_F(JobRunnerTest, StopPastItsDeadlineReportsJobsStillRunning) {
  options_.workers = 1;
  hold_invites();
  accept("pr-1");
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 1; }));
  EXPECT_FALSE(runner().stop(std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
  EXPECT_EQ(store_->queue_stats()->running, 1);  // a restart now would requeue it
  release_all();
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
  EXPECT_EQ(get("pr-1").status, "invited");
}

TEST_F(JobRunnerTest, JobsLeftRunningByACrashRunAfterRestart) {
  accept("pr-1");
  ASSERT_EQ(store_->claim_due_jobs({clock_.now(), 10, {}})->size(), 1u);  // "crashed" mid-job
  store_->close();
  store_ = open();
  orders_ = std::make_unique<orders::OrderService>(
      *store_, orders::OrderServiceOptions{"https://ttb.example"});
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(publisher_.accepted().size(), 1u);
}

// The runner on PostgreSQL, where a claim can admit a job (taking its tenant's slot) and then pass
// it by because another daemon holds its order's row, and where other daemons read the leases
// of the jobs it runs.
class JobRunnerPgTest : public JobRunnerTest {
 protected:
  store::testing::Backend backend() const override { return store::testing::Backend::postgresql; }
  void SetUp() override {
    // JobsFixture's SetUp skips the store fixture's, which a PostgreSQL schema needs first.
    store::testing::StoreFixture::SetUp();  // NOLINT(bugprone-parent-virtual-call)
    if (IsSkipped() || HasFatalFailure()) return;
    JobRunnerTest::SetUp();
  }
  void TearDown() override {
    if (store_) JobRunnerTest::TearDown();
  }
};

TEST_F(JobRunnerPgTest, TheSlotOfAJobTheClaimPassedByIsGivenBack) {
  options_.limits = std::make_shared<JobLimits>(LimitOptions{1, 1, 0, {}});
  directory_.add(std::make_shared<FakeProvider>("beta", "codility"));
  accept("pr-held", "acme");  // due first
  accept("pr-free", "beta");
  // "Another daemon" holds the first order's row: the claim admits its invite, passes it by and
  // claims beta's.
  auto& other_daemon = pg_->admin();
  other_daemon.exec("BEGIN");
  other_daemon.exec("SELECT 1 FROM orders WHERE id = 'pr-held' FOR UPDATE");
  EXPECT_EQ(runner().run_due(1), 1);
  EXPECT_EQ(job_of("pr-free", JobKind::invite)->state, JobState::done);
  EXPECT_EQ(options_.limits->running("acme"), 0) << "the slot of the passed-by invite leaked";
  other_daemon.exec("ROLLBACK");
  runner().run_due();
  EXPECT_EQ(job_of("pr-held", JobKind::invite)->state, JobState::done);
}

TEST_F(JobRunnerPgTest, AJobRunningLongerThanItsLeaseKeepsItFromAnotherDaemon) {
  options_.workers = 1;
  options_.lease_renewal = std::chrono::milliseconds(1);  // real time; the lease is on clock_
  hold_invites();
  accept("pr-1");
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 1; }));
  EXPECT_EQ(runner().leases_held(), 1);
  const std::int64_t invite = job_of("pr-1", JobKind::invite)->id;
  auto other_daemon = open();
  ASSERT_TRUE(other_daemon);
  // The vendor takes one and a half leases to answer; each half, the runner has renewed.
  for (int half = 0; half < 3; ++half) {
    clock_.advance(store::StoreOptions{}.job_lease / 2);
    const auto now = clock_.now();
    ASSERT_TRUE(eventually([&] { return store_->get_job(invite)->updated_at == now; }));
    auto claimed = other_daemon->claim_due_jobs({clock_.now(), 5, {}});
    ASSERT_TRUE(claimed) << claimed.error().message;
    EXPECT_TRUE(claimed->empty()) << "taken over after " << half + 1 << " half leases";
  }
  release_all();
  ASSERT_TRUE(eventually([&] { return publisher_.accepted().size() == 1; }));
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->attempts, 1) << "the invite ran once";
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);
  EXPECT_TRUE(eventually([&] { return runner().leases_held() == 0; }));
  EXPECT_TRUE(runner().stop(std::chrono::steady_clock::now() + std::chrono::seconds(20)));
  other_daemon->close();
}

}  // namespace
}  // namespace ttb::jobs::testing

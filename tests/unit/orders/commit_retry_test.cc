// The order service's one "read, check, commit, retry on conflict" loop, seen through every use
// case that writes: it plans again on fresh reads after a conflict and gives up after
// max_conflict_retries, writing nothing.

#include <atomic>

#include "orders/order_service.h"
#include "store_fixture.h"

namespace ttb::orders {
namespace {

using store::testing::StoreFixture;
using Status = ApplyResult::Status;

// A real store whose next `conflicts` commits answer conflict without writing, as if another
// writer had moved the order each time.
class ConflictingStore : public store::Store {
 public:
  explicit ConflictingStore(store::Store& inner) : inner_(inner) {}

  std::atomic<int> conflicts{0};
  std::atomic<int> commits{0};
  std::atomic<int> order_reads{0};

  store::Result<store::Committed> commit(const store::ChangeSet& changes) override {
    ++commits;
    if (conflicts > 0) {
      --conflicts;
      return store::Error{store::Error::Code::conflict, "order changed meanwhile (injected)"};
    }
    return inner_.commit(changes);
  }

  store::Result<store::Accepted> accept_order(const store::NewOrder& o) override {
    return inner_.accept_order(o);
  }
  store::Result<store::OrderRecord> get_order(const std::string& id) override {
    ++order_reads;
    return inner_.get_order(id);
  }
  store::Result<std::vector<store::OrderRecord>> list_orders(const store::OrderFilter& f) override {
    return inner_.list_orders(f);
  }
  store::Result<store::OrderRecord> find_order_by_vendor_id(const std::string& t,
                                                            const std::string& p,
                                                            const std::string& v) override {
    return inner_.find_order_by_vendor_id(t, p, v);
  }
  store::Result<std::vector<store::TimelineEntry>> timeline(const std::string& id) override {
    return inner_.timeline(id);
  }
  store::Result<store::SightingOutcome> record_webhook_sighting(
      const store::WebhookSighting& s) override {
    return inner_.record_webhook_sighting(s);
  }
  store::Result<bool> record_callback_event(const store::CallbackEventKey& k) override {
    return inner_.record_callback_event(k);
  }
  store::Result<std::int64_t> enqueue_job(const store::NewJob& j) override {
    return inner_.enqueue_job(j);
  }
  store::Result<std::vector<store::JobRecord>> claim_due_jobs(
      const store::ClaimRequest& r) override {
    return inner_.claim_due_jobs(r);
  }
  store::Result<void> transition_job(const store::JobMove& move) override {
    return inner_.transition_job(move);
  }
  store::Result<store::JobRecord> get_job(std::int64_t id) override { return inner_.get_job(id); }
  store::Result<std::vector<store::JobRecord>> list_jobs(const store::JobFilter& f) override {
    return inner_.list_jobs(f);
  }
  store::Result<int> requeue_dead(std::int64_t id) override { return inner_.requeue_dead(id); }
  store::Result<int> requeue_all_dead(const std::string& t) override {
    return inner_.requeue_all_dead(t);
  }
  store::Result<int> wake_jobs_waiting_for_provider() override {
    return inner_.wake_jobs_waiting_for_provider();
  }
  store::Result<int> count_job_deaths(const std::vector<std::int64_t>& ids) override {
    return inner_.count_job_deaths(ids);
  }
  store::Result<int> renew_leases(const std::vector<store::JobClaim>& claims) override {
    return inner_.renew_leases(claims);
  }
  store::Result<std::optional<store::TimePoint>> next_due_at() override {
    return inner_.next_due_at();
  }
  store::Result<store::QueueStats> queue_stats() override { return inner_.queue_stats(); }
  store::Result<std::vector<store::ProviderQueue>> queue_by_provider() override {
    return inner_.queue_by_provider();
  }
  store::Result<std::vector<store::QuietOrder>> quiet_orders(store::TimePoint since,
                                                             int limit) override {
    return inner_.quiet_orders(since, limit);
  }
  store::Result<std::map<std::string, std::int64_t>> orders_by_status() override {
    return inner_.orders_by_status();
  }
  store::Result<store::ActivityCounts> activity_between(store::TimePoint since,
                                                        store::TimePoint until) override {
    return inner_.activity_between(since, until);
  }
  store::Result<store::Purged> purge_expired(const store::PurgeRequest& r) override {
    return inner_.purge_expired(r);
  }
  void set_jobs_listener(std::function<void(const store::JobsDue&)> l) override {
    inner_.set_jobs_listener(std::move(l));
  }
  store::StoreStats stats() const override { return inner_.stats(); }
  void close() override { inner_.close(); }

 private:
  store::Store& inner_;
};

class CommitRetryTest : public StoreFixture {
 protected:
  static constexpr int kMaxRetries = 3;

  void SetUp() override {
    inner_ = open();
    store_ = std::make_unique<ConflictingStore>(*inner_);
    OrderServiceOptions options{"https://ttb.example/"};
    options.max_conflict_retries = kMaxRetries;
    service_ = std::make_unique<OrderService>(*store_, options);
    ASSERT_EQ(service_->accept(order("pr-1", "ev-1"))->outcome, store::Accepted::Outcome::created);
    version_ = inner_->get_order("pr-1")->version;
  }

  // Every write use case, each of which must go through the retry loop.
  void expect_gives_up(const char* what, const std::function<bool()>& write) {
    store_->conflicts = 1000;
    store_->commits = 0;
    EXPECT_FALSE(write()) << what;
    EXPECT_EQ(store_->commits, kMaxRetries + 1) << what;
    EXPECT_EQ(inner_->get_order("pr-1")->version, version_) << what << " wrote something";
  }

  std::unique_ptr<store::Store> inner_;
  std::unique_ptr<ConflictingStore> store_;
  std::unique_ptr<OrderService> service_;
  std::int64_t version_ = 0;
};

TEST_F(CommitRetryTest, EveryWriteGivesUpAfterMaxConflictRetriesAndWritesNothing) {
  expect_gives_up("vendor update", [&] {
    auto r = service_->apply_vendor_update("acme", "codility",
                                           R"({"order_id":"pr-1","status":"sent"})", "vendor");
    EXPECT_EQ(r.status, Status::store_error);
    EXPECT_NE(r.message.find("gave up after 3 retries"), std::string::npos) << r.message;
    return r.status == Status::applied;
  });
  expect_gives_up("callback", [&] {
    auto out = service_->handle_callback_result(
        "acme", "codility",
        R"({"reply":{"status":200},"event_id":"e-1","updates":[{"order_id":"pr-1","status":"sent"}]})");
    return out.status != CallbackOutcome::Status::store_error;
  });
  expect_gives_up("cancel", [&] {
    auto r = service_->request_cancel("acme", "pr-1");
    EXPECT_EQ(r.message, "the order kept changing; try again");
    return r.status != RequestResult::Status::store_error;
  });
  expect_gives_up("note", [&] { return service_->note("pr-1", "engine", "n", "d"); });
  expect_gives_up("push record", [&] {
    return service_->record_push(*inner_->get_order("pr-1"), "sent", {1, 1}).status !=
           Status::store_error;
  });
}

TEST_F(CommitRetryTest, AConflictIsPlannedAgainOnFreshReadsAndThenCommits) {
  store_->conflicts = kMaxRetries;  // the last allowed attempt goes through
  auto r = service_->apply_vendor_update("acme", "codility",
                                         R"({"order_id":"pr-1","status":"sent"})", "vendor");
  EXPECT_EQ(r.status, Status::applied) << r.message;
  EXPECT_EQ(store_->commits, kMaxRetries + 1);
  EXPECT_EQ(inner_->get_order("pr-1")->status, "invited");

  store_->conflicts = 1;
  EXPECT_TRUE(service_->note("pr-1", "engine", "n", "d"));
  EXPECT_EQ(inner_->timeline("pr-1")->back().event, "n");
}

TEST_F(CommitRetryTest, ARefusedWriteIsNotCommittedAtAll) {
  store_->commits = 0;
  EXPECT_EQ(service_->request_resend("acme", "pr-1").status,
            RequestResult::Status::not_applicable);  // not invited yet
  EXPECT_FALSE(service_->note("missing", "engine", "n", "d"));
  EXPECT_EQ(store_->commits, 0);
}

// A callback plans on the order its route read before the plugin ran; a stale read conflicts at
// commit and is planned again on a fresh one, so nothing is applied to an old version.
TEST_F(CommitRetryTest, ACallbackPlansOnTheOrderReadBeforeAndRereadsOnlyAfterAConflict) {
  const std::string sent =
      R"({"reply":{"status":200},"updates":[{"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"}]})";
  const store::OrderRecord before = *service_->callback_order("acme", "codility", "pr-1");
  store_->order_reads = 0;
  store_->commits = 0;
  auto out = service_->handle_callback_result("acme", "codility", sent, &before);
  ASSERT_EQ(out.status, CallbackOutcome::Status::ok) << out.error;
  EXPECT_EQ(store_->order_reads, 0);
  EXPECT_EQ(store_->commits, 1);
  EXPECT_EQ(inner_->get_order("pr-1")->status, "invited");

  // `before` is now stale: the first plan conflicts, the second reads the order and applies the
  // result to the version it read.
  const std::string completed =
      R"({"reply":{"status":200},"updates":[{"order_id":"pr-1","status":"completed","score":70}]})";
  store_->order_reads = 0;
  store_->commits = 0;
  out = service_->handle_callback_result("acme", "codility", completed, &before);
  ASSERT_EQ(out.status, CallbackOutcome::Status::ok) << out.error;
  EXPECT_EQ(store_->order_reads, 1);
  EXPECT_EQ(store_->commits, 2);
  const auto after = *inner_->get_order("pr-1");
  EXPECT_EQ(after.status, "completed");
  EXPECT_EQ(after.vendor_order_id, "v-1");  // the first callback's, kept

  // An order read for another provider is not planned on: the update is refused as it would be
  // without it, and nothing is written.
  store_->commits = 0;
  out = service_->handle_callback_result("acme", "hackerrank", completed, &after);
  ASSERT_EQ(out.updates.size(), 1U);
  EXPECT_EQ(out.updates[0].status, Status::not_found);
  EXPECT_EQ(store_->commits, 0);
}

// A push records itself against the order as it read it, with no second read; an order that moved
// meanwhile is read again, and one that is gone is not_found.
TEST_F(CommitRetryTest, APushIsRecordedOnTheOrderItReadAndRereadOnlyAfterAConflict) {
  // A push job of pr-1, claimed as the runner would.
  auto claim_push = [&] {
    store::NewJob job;
    job.order_id = "pr-1";
    job.tenant = "acme";
    job.provider = "codility";
    job.kind = store::JobKind::push;
    EXPECT_TRUE(inner_->enqueue_job(job));
    store::ClaimRequest request(clock_.now(), 1);
    request.kinds = store::ClaimRequest::Kinds::pushes;
    auto claimed = inner_->claim_due_jobs(request);
    EXPECT_TRUE(claimed && claimed->size() == 1);
    return store::JobClaim(claimed->at(0));
  };
  const store::OrderRecord pushed = *inner_->get_order("pr-1");
  store_->order_reads = 0;
  store_->commits = 0;
  ASSERT_EQ(service_->record_push(pushed, "sent", claim_push()).status, Status::applied);
  EXPECT_EQ(store_->order_reads, 0);
  EXPECT_EQ(store_->commits, 1);
  EXPECT_EQ(inner_->timeline("pr-1")->back().event, "pushed");
  const store::OrderRecord after = *inner_->get_order("pr-1");
  EXPECT_EQ(after.pushed_version, pushed.result_version);
  EXPECT_EQ(after.version, pushed.version + 1);

  // `pushed` is now one version behind: the first attempt conflicts, the second reads and commits.
  const store::JobClaim second = claim_push();
  store_->order_reads = 0;
  store_->commits = 0;
  ASSERT_EQ(service_->record_push(pushed, "sent", second).status, Status::applied);
  EXPECT_EQ(store_->order_reads, 1);
  EXPECT_EQ(store_->commits, 2);
  EXPECT_EQ(inner_->get_order("pr-1")->version, after.version + 1);

  store::OrderRecord missing = pushed;
  missing.id = "missing";
  EXPECT_EQ(service_->record_push(missing, "sent", {1, 1}).status, Status::not_found);
}

}  // namespace
}  // namespace ttb::orders

// The order service's one "read, check, commit, retry on conflict" loop, seen through every use
// case that writes: it plans again on fresh reads after a conflict and gives up after
// max_conflict_retries, writing nothing.

#include <atomic>

#include "forwarding_store.h"
#include "orders/order_service.h"
#include "store_fixture.h"

namespace ttb::orders {
namespace {

using store::testing::StoreFixture;
using Status = ApplyResult::Status;

// A real store whose next `conflicts` commits answer conflict without writing, as if another
// writer had moved the order each time.
class ConflictingStore : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

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
  store::Result<store::OrderRecord> get_order(const std::string& id) override {
    ++order_reads;
    return inner_.get_order(id);
  }
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
  const store::OrderRecord before = **service_->callback_order("acme", "codility", "pr-1");
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

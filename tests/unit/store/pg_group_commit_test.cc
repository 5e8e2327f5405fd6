// Group commit on PostgreSQL: writes queued while every writer connection is busy share one
// transaction, and a write that fails in that transaction fails alone.

#include <atomic>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>

#include "store/pg_store.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class PgGroupCommitTest : public StoreFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }

  // A store whose first kPgWriterConnections commits wait for `release_`, so that every writer
  // connection is busy while the test queues more writes.
  std::unique_ptr<Store> open_held() {
    StoreOptions options;
    options.before_commit = [this]() -> std::optional<std::string> {
      if (held_.fetch_add(1) < kPgWriterConnections) release_.wait();
      return std::nullopt;
    };
    return open(std::move(options));
  }

  // Waits (with a deadline) until `ready` holds.
  template <class Ready>
  static bool wait_for(Ready ready) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!ready()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  // Occupies every writer connection with a held accept_order ("held-N").
  void hold_every_connection(Store& store, std::vector<std::thread>& threads) {
    for (int i = 0; i < kPgWriterConnections; ++i) {
      threads.emplace_back([&store, i] {
        const std::string id = "held-" + std::to_string(i);
        EXPECT_EQ(store.accept_order(order(id, "ev-" + id))->outcome, Accepted::Outcome::created);
      });
    }
    ASSERT_TRUE(wait_for([this] { return held_.load() >= kPgWriterConnections; }));
  }

  // Once `queued` writes wait behind the held ones, lets the held commits go and joins every
  // thread (even when the writes never queued up, so that the test ends instead of hanging).
  void release_once_queued(Store& store, std::vector<std::thread>& threads, int queued) {
    EXPECT_TRUE(wait_for(
        [&] { return store.stats().pending_writes == static_cast<std::uint64_t>(queued); }));
    release_.count_down();
    for (auto& t : threads) t.join();
  }

  // Queues `count` webhooks never seen before ("pr-0", …), each on a thread of its own that
  // expects it created; `sign` gives them a body digest, as the HTTP layer does.
  static void queue_new_orders(Store& store, std::vector<std::thread>& threads, int count,
                               bool sign) {
    for (int i = 0; i < count; ++i) {
      threads.emplace_back([&store, i, sign] {
        const std::string id = "pr-" + std::to_string(i);
        const NewOrder o = sign ? signed_order(id, "ev-" + id) : order(id, "ev-" + id);
        EXPECT_EQ(store.accept_order(o)->outcome, Accepted::Outcome::created);
      });
    }
  }

  // A webhook as the HTTP layer hands it over: with the digest of its body, which makes
  // accept_order send its one statement ahead with the batch's BEGIN (write_pipelined).
  static NewOrder signed_order(const std::string& id, const std::string& event_id) {
    NewOrder o = order(id, event_id);
    o.sighting_digest = "digest-" + event_id;
    return o;
  }

  std::atomic<int> held_{0};
  std::latch release_{1};
};

TEST_F(PgGroupCommitTest, WritesQueuedWhileEveryConnectionIsBusyShareOneCommit) {
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  const int kQueued = 40;
  queue_new_orders(*store, threads, kQueued, /*sign=*/false);
  release_once_queued(*store, threads, kQueued);

  const auto stats = store->stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kPgWriterConnections + kQueued));
  // One per held write, and one for the 40 queued behind them.
  EXPECT_EQ(stats.transactions, static_cast<std::uint64_t>(kPgWriterConnections + 1));
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + kQueued);
  EXPECT_EQ(count_rows("SELECT count(*) FROM jobs"), kPgWriterConnections + kQueued);
}

// A webhook's accept waits for nothing: queued behind busy connections from one thread, the
// accepts all return at once, share one commit led by the store's own threads, and are each
// answered once; close() waits for the answers.
TEST_F(PgGroupCommitTest, AsyncAcceptsHoldNoCallerAndShareOneCommit) {
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  const int kQueued = 40;
  std::atomic<int> answers{0};
  std::atomic<int> created{0};
  for (int i = 0; i < kQueued; ++i) {
    const std::string id = "pr-" + std::to_string(i);
    // Every connection is held, so a call that waited for its commit would never return here.
    store->accept_order_async(signed_order(id, "ev-" + id), [&](Result<Accepted> accepted) {
      if (accepted && accepted->outcome == Accepted::Outcome::created) ++created;
      ++answers;
    });
  }
  EXPECT_EQ(answers.load(), 0);
  release_once_queued(*store, threads, kQueued);
  store->close();

  EXPECT_EQ(answers.load(), kQueued);
  EXPECT_EQ(created.load(), kQueued);
  // One per held write, and one for the 40 queued behind them.
  EXPECT_EQ(store->stats().transactions, static_cast<std::uint64_t>(kPgWriterConnections + 1));
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + kQueued);
  // An accepted webhook's event id stands for its sighting: none is written.
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_sightings"), 0);
}

TEST_F(PgGroupCommitTest, AFailingWriteInABatchFailsAloneAndTheOthersCommit) {
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  const int kQueued = 10;
  queue_new_orders(*store, threads, kQueued, /*sign=*/false);
  // A job of an order that does not exist is invalid (PgStore::job_insert), for it alone.
  Result<std::int64_t> orphan = Error{};
  threads.emplace_back([&] { orphan = store->enqueue_job(poll_job("no-such-order")); });
  release_once_queued(*store, threads, kQueued + 1);

  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Error::Code::invalid) << orphan.error().message;
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + kQueued);
  EXPECT_EQ(count_rows("SELECT count(*) FROM jobs"), kPgWriterConnections + kQueued);
  EXPECT_EQ(store->stats().failed_transactions, 1u);
  EXPECT_EQ(store->stats().rerun_batches, 1u);  // each write of the batch ran again alone
}

TEST_F(PgGroupCommitTest, PipelinedWritesOfOneBatchShareOneCommitAndEachGetsItsOwnAnswer) {
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  const int kFresh = 6;
  queue_new_orders(*store, threads, kFresh, /*sign=*/true);
  // The same webhook twice in one batch: its opening stores it once, and the other's finds it.
  std::atomic<int> created{0};
  std::atomic<int> duplicate{0};
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto accepted = store->accept_order(signed_order("twice", "ev-twice"));
      ASSERT_TRUE(accepted) << accepted.error().message;
      if (accepted->outcome == Accepted::Outcome::created) ++created;
      if (accepted->outcome == Accepted::Outcome::duplicate) ++duplicate;
    });
  }
  // One callback event twice: exactly one of them is new.
  std::atomic<int> new_events{0};
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto recorded = store->record_callback_event({"acme", "codility", "cb-1"});
      ASSERT_TRUE(recorded) << recorded.error().message;
      if (*recorded) ++new_events;
    });
  }
  const int queued = kFresh + 4;
  release_once_queued(*store, threads, queued);

  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(duplicate.load(), 1);
  EXPECT_EQ(new_events.load(), 1);
  EXPECT_EQ(store->stats().transactions, static_cast<std::uint64_t>(kPgWriterConnections + 1));
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + kFresh + 1);
  EXPECT_EQ(count_rows("SELECT count(*) FROM jobs"), kPgWriterConnections + kFresh + 1);
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_sightings"), 0);  // every webhook accepted
  EXPECT_EQ(count_rows("SELECT count(*) FROM callback_events"), 1);
}

// The webhooks of one batch go out as one statement (PgStatement::for_rows), whose rows each
// answer one of them: a row that repeats an earlier row's event or order, or finds it stored
// before, stores nothing and is decided step by step after it, in the same transaction.
TEST_F(PgGroupCommitTest, WebhooksOfOneBatchShareOneStatementAndEachGetsItsOwnOutcome) {
  {
    auto before = open();
    // A signature seen before, its webhook never stored (its order was refused).
    ASSERT_EQ(*before->record_webhook_sighting({"ev-r", "digest-ev-r"}), SightingOutcome::first);
    // An order committed before. Not one of the held orders: their commits may still be running
    // when the batch starts, and the batch then meets the order's key (and runs again alone).
    ASSERT_EQ(before->accept_order(order("stored", "ev-stored"))->outcome,
              Accepted::Outcome::created);
  }
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  auto with_body = [](NewOrder o, const std::string& digest) {
    o.sighting_digest = digest;
    return o;
  };
  using Outcome = Accepted::Outcome;
  const std::vector<std::pair<NewOrder, Outcome>> webhooks = {
      {signed_order("a", "ev-a"), Outcome::created},
      {signed_order("b", "ev-b"), Outcome::created},
      {signed_order("a", "ev-a"), Outcome::duplicate},  // the same webhook again
      {with_body(signed_order("b", "ev-b"), "another body"), Outcome::duplicate},
      {with_body(signed_order("r", "ev-r"), "another body"), Outcome::replay},
      {signed_order("stored", "ev-late"), Outcome::duplicate},  // stored before the batch
      {signed_order("a", "ev-a2"), Outcome::duplicate},         // an earlier row's order
      {signed_order("c", "ev-c"), Outcome::created},
      // Ten rows go out as one statement padded to sixteen: the padding stores nothing.
      {signed_order("c", "ev-c"), Outcome::duplicate},
      {signed_order("d", "ev-d"), Outcome::created},
  };
  std::vector<std::optional<Outcome>> outcomes(webhooks.size());
  std::mutex answered;
  for (size_t i = 0; i < webhooks.size(); ++i) {
    store->accept_order_async(webhooks[i].first, [&, i](Result<Accepted> accepted) {
      const std::lock_guard lock(answered);
      if (accepted) outcomes[i] = accepted->outcome;
    });
  }
  release_once_queued(*store, threads, static_cast<int>(webhooks.size()));
  store->close();

  for (size_t i = 0; i < webhooks.size(); ++i) {
    ASSERT_TRUE(outcomes[i]) << "webhook " << i << " failed";
    EXPECT_EQ(*outcomes[i], webhooks[i].second) << "webhook " << i;
  }
  EXPECT_EQ(store->stats().transactions, static_cast<std::uint64_t>(kPgWriterConnections + 1));
  EXPECT_EQ(store->stats().rerun_batches, 0u);
  // a, b, c and d, besides the held orders and the one stored before
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + 1 + 4);
  EXPECT_EQ(count_rows("SELECT count(*) FROM jobs"), kPgWriterConnections + 1 + 4);
  EXPECT_EQ(count_rows("SELECT count(*) FROM timeline"), kPgWriterConnections + 1 + 4);
  // and the two duplicates' new event ids
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_events"), kPgWriterConnections + 1 + 6);
  // ev-r's alone: the replay writes nothing, and an accepted webhook leaves no sighting
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_sightings"), 1);
}

TEST_F(PgGroupCommitTest, ARefusedMoveInAPipelinedBatchFailsAloneAndTheOthersCommit) {
  auto store = open_held();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  hold_every_connection(*store, threads);
  const int kFresh = 5;
  queue_new_orders(*store, threads, kFresh, /*sign=*/true);
  // Its opening moves nothing, so its rest looks the job up and answers not_found: the batch is
  // rolled back and each write runs again alone.
  Result<void> moved = Error{};
  threads.emplace_back([&] {
    JobMove move;
    move.job_id = 999999;
    move.transition = JobTransition::finish;
    move.claim = 1;
    moved = store->transition_job(move);
  });
  release_once_queued(*store, threads, kFresh + 1);

  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, Error::Code::not_found) << moved.error().message;
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections + kFresh);
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_events"), kPgWriterConnections + kFresh);
}

TEST_F(PgGroupCommitTest, ACommitThatFailsFailsEveryWriteOfItsBatch) {
  std::atomic<int> commits{0};
  std::latch release(1);
  StoreOptions options;
  // The first kPgWriterConnections commits wait; the one after them (the batch) is refused.
  options.before_commit = [&]() -> std::optional<std::string> {
    const int n = commits.fetch_add(1);
    if (n < kPgWriterConnections) {
      release.wait();
      return std::nullopt;
    }
    if (n == kPgWriterConnections) return std::string("disk full");
    return std::nullopt;
  };
  auto store = open(std::move(options));
  ASSERT_TRUE(store);
  const int kQueued = 5;
  std::vector<std::thread> threads;
  threads.reserve(kPgWriterConnections + kQueued);
  for (int i = 0; i < kPgWriterConnections; ++i) {
    threads.emplace_back([&store, i] {
      const std::string id = "held-" + std::to_string(i);
      EXPECT_TRUE(store->accept_order(order(id, "ev-" + id)));
    });
  }
  ASSERT_TRUE(wait_for([&] { return commits.load() >= kPgWriterConnections; }));
  std::atomic<int> unavailable{0};
  for (int i = 0; i < kQueued; ++i) {
    threads.emplace_back([&store, &unavailable, i] {
      const std::string id = "pr-" + std::to_string(i);
      auto accepted = store->accept_order(order(id, "ev-" + id));
      if (!accepted && accepted.error().code == Error::Code::unavailable) ++unavailable;
    });
  }
  ASSERT_TRUE(wait_for([&] { return store->stats().pending_writes == kQueued; }));
  release.count_down();
  for (auto& t : threads) t.join();

  // Nothing of the refused batch was applied, and each of its writers was told so.
  EXPECT_EQ(unavailable.load(), kQueued);
  EXPECT_EQ(count_rows("SELECT count(*) FROM orders"), kPgWriterConnections);
}

}  // namespace
}  // namespace ttb::store::testing

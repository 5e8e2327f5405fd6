// Orders, dedupe keys, change sets and reopen: the store keeps what it acknowledged.

#include <atomic>
#include <functional>
#include <future>
#include <memory>

#include "store/migrations.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using Outcome = Accepted::Outcome;

// What an asynchronous store call gave its completion: `start` makes the call with the
// completion it is handed. The answer must come within 10 s, and only once.
template <class T>
Result<T> answer_of(const std::function<void(std::function<void(Result<T>)>)>& start) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto answered = std::make_shared<std::promise<Result<T>>>();
  auto future = answered->get_future();
  start([answered, calls](Result<T> r) {
    if (calls->fetch_add(1) == 0) answered->set_value(std::move(r));
  });
  EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto result = future.get();
  EXPECT_EQ(calls->load(), 1);
  return result;
}

class StoreTest : public StoreContractFixture {};

TEST_P(StoreTest, MigrationsApplyOnceAcrossReopens) {
  open()->close();
  open()->close();
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int>(store::migrations(store::Dialect::sqlite).size()));
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM orders"), 0);
  EXPECT_EQ(store::migrations(store::Dialect::sqlite).back().version,
            store::migrations(store::Dialect::postgresql).back().version);
}

class StoreOpenTest : public StoreFixture {};

TEST_F(StoreOpenTest, OpenRefusesUnknownSchemeMissingDirectoryAndUnreachableServer) {
  EXPECT_TRUE(open_store("mysql://x").failed_with(Error::Code::invalid));
  auto missing = open_store("sqlite://" + (dir_.path() / "no" / "such" / "dir.db").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos)
      << missing.error().message;
  // Port 1 on loopback: refused at once, and the message must not repeat the password.
  auto pg = open_store("postgresql://user:secret@127.0.0.1:1/db");
  ASSERT_FALSE(pg);
  EXPECT_TRUE(pg.failed_with(Error::Code::unavailable)) << pg.error().message;
  EXPECT_EQ(pg.error().message.find("secret"), std::string::npos) << pg.error().message;
}

TEST_P(StoreTest, AcceptStoresOrderInviteJobAndTimelineTogether) {
  auto store = open();
  auto r = store->accept_order(order("pr-1", "ev-1"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->outcome, Outcome::created);
  EXPECT_EQ(r->order_id, "pr-1");
  EXPECT_EQ(r->answer_status, 202);

  auto o = store->get_order("pr-1");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, "received");
  EXPECT_EQ(o->tenant, "acme");
  EXPECT_EQ(o->provider, "codility");
  EXPECT_EQ(o->test_id, "cpp-60");
  EXPECT_EQ(o->vendor_state_json, "{}");
  EXPECT_EQ(o->version, 1);
  EXPECT_EQ(o->created_at, clock_.now());

  auto jobs = store->list_jobs({});
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].kind, JobKind::invite);
  EXPECT_EQ((*jobs)[0].state, JobState::queued);
  EXPECT_EQ((*jobs)[0].order_id, "pr-1");

  auto tl = store->timeline("pr-1");
  ASSERT_EQ(tl->size(), 1u);
  EXPECT_EQ((*tl)[0].event, "received");
  EXPECT_EQ((*tl)[0].source, "teamtailor");
}

TEST_P(StoreTest, RepeatedEventIdCreatesNothingAndGetsFirstAnswer) {
  auto store = open();
  ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
  auto again = order("pr-2", "ev-1");  // same event, whatever the body says
  again.answer_body = "second";
  auto r = store->accept_order(again);
  EXPECT_EQ(r->outcome, Outcome::duplicate);
  EXPECT_EQ(r->order_id, "pr-1");
  EXPECT_EQ(r->answer_body, "accepted pr-1");
  EXPECT_FALSE(store->get_order("pr-2"));
  EXPECT_EQ(store->list_jobs({})->size(), 1u);
}

// The webhook route's way in: the same judgement as accept_order, given once, and given only
// when the order can be read back (the commit is durable by then).
TEST_P(StoreTest, AcceptOrderAsyncAnswersOnceWhatAcceptOrderWould) {
  auto store = open();
  auto accept_async = [&store](NewOrder o) {
    return answer_of<Accepted>(
        [&](Store::AcceptDone done) { store->accept_order_async(std::move(o), std::move(done)); });
  };
  auto created = accept_async(order("pr-1", "ev-1"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->outcome, Outcome::created);
  EXPECT_EQ(created->answer_body, "accepted pr-1");
  EXPECT_TRUE(store->get_order("pr-1"));
  EXPECT_EQ(store->list_jobs({})->size(), 1u);

  auto again = accept_async(order("pr-2", "ev-1"));
  EXPECT_EQ(again->outcome, Outcome::duplicate);
  EXPECT_EQ(again->order_id, "pr-1");

  store->close();
  EXPECT_TRUE(accept_async(order("pr-3", "ev-3")).failed_with(Error::Code::closed));
}

TEST_P(StoreTest, AnotherTenantsIdsNeitherDedupeNorRevealTheOrder) {
  auto store = open();
  ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
  auto same_result_id = order("pr-1", "ev-2");
  same_result_id.tenant = "globex";
  auto r = store->accept_order(same_result_id);
  EXPECT_EQ(r->outcome, Outcome::other_tenant);
  EXPECT_TRUE(r->answer_body.empty());
  EXPECT_TRUE(r->order_id.empty());
  auto same_event_id = order("pr-9", "ev-1");
  same_event_id.tenant = "globex";
  EXPECT_EQ(store->accept_order(same_event_id)->outcome, Outcome::other_tenant);
  // Nothing was written for globex, and ev-2 was not tied to acme's order.
  EXPECT_EQ(store->list_orders({})->size(), 1u);
  EXPECT_EQ(store->list_jobs({})->size(), 1u);
  EXPECT_EQ(store->accept_order(order("pr-2", "ev-2"))->outcome, Outcome::created);
}

TEST_P(StoreTest, WebhookSightingsTellARetryFromAReplay) {
  auto store = open();
  EXPECT_EQ(store->record_webhook_sighting({"ev-1", "aaaa"}), SightingOutcome::first);
  EXPECT_EQ(store->record_webhook_sighting({"ev-1", "aaaa"}), SightingOutcome::same_body);
  EXPECT_EQ(store->record_webhook_sighting({"ev-1", "bbbb"}), SightingOutcome::other_body);
  EXPECT_EQ(store->record_webhook_sighting({"ev-2", "bbbb"}), SightingOutcome::first);
  // An event id an order was accepted under: any other body is a redelivery of that order.
  ASSERT_EQ(store->accept_order(order("pr-2", "ev-2"))->outcome, Outcome::created);
  EXPECT_EQ(store->record_webhook_sighting({"ev-2", "cccc"}), SightingOutcome::accepted);
  store->close();
  auto reopened = open();
  EXPECT_EQ(reopened->record_webhook_sighting({"ev-1", "bbbb"}), SightingOutcome::other_body);
  // Its own body too: once accepted, an event id only leads to that order.
  EXPECT_EQ(reopened->record_webhook_sighting({"ev-2", "bbbb"}), SightingOutcome::accepted);
}

// The webhook route's way in for a refusal: the same judgements as record_webhook_sighting, each
// given once, and given only when the sighting is durable (a fresh reopening sees it).
TEST_P(StoreTest, RecordWebhookSightingAsyncAnswersOnceWhatTheWaitingCallWould) {
  auto store = open();
  auto record_async = [&store](WebhookSighting sighting) {
    return answer_of<SightingOutcome>([&](Store::SightingDone done) {
      store->record_webhook_sighting_async(std::move(sighting), std::move(done));
    });
  };
  EXPECT_EQ(record_async({"ev-1", "aaaa"}), SightingOutcome::first);
  EXPECT_EQ(record_async({"ev-1", "aaaa"}), SightingOutcome::same_body);
  EXPECT_EQ(record_async({"ev-1", "bbbb"}), SightingOutcome::other_body);
  EXPECT_EQ(record_async({"ev-2", "bbbb"}), SightingOutcome::first);
  // An event id an order was accepted under: any other body is a redelivery of that order.
  ASSERT_EQ(store->accept_order(order("pr-2", "ev-2"))->outcome, Outcome::created);
  EXPECT_EQ(record_async({"ev-2", "cccc"}), SightingOutcome::accepted);
  store->close();
  auto reopened = open();
  EXPECT_EQ(reopened->record_webhook_sighting({"ev-1", "bbbb"}), SightingOutcome::other_body);
}

// An accepted webhook's event id stands for its sighting: the order's one commit judges the
// sighting and writes no row for it, and any later body under the id is that order's redelivery.
TEST_P(StoreTest, AnAcceptedWebhooksEventIdAnswersItsLaterSightings) {
  auto store = open();
  auto first = order("pr-1", "ev-1");
  first.sighting_digest = "aaaa";
  const auto before = store->stats().transactions;
  ASSERT_EQ(store->accept_order(first)->outcome, Outcome::created);
  EXPECT_EQ(store->stats().transactions, before + 1);  // one group commit, not two
  EXPECT_TRUE(store->record_webhook_sighting({"ev-1", "aaaa"}) == SightingOutcome::accepted);
  EXPECT_TRUE(store->record_webhook_sighting({"ev-1", "bbbb"}) == SightingOutcome::accepted);
  // Another body under the accepted event id: a redelivery, answered with the stored answer.
  auto redelivery = order("pr-1", "ev-1");
  redelivery.sighting_digest = "bbbb";
  EXPECT_EQ(store->accept_order(redelivery)->outcome, Outcome::duplicate);
  store->close();
  auto reopened = open();
  EXPECT_TRUE(reopened->record_webhook_sighting({"ev-1", "cccc"}) == SightingOutcome::accepted);
}

// A webhook that names another tenant's order id takes no order, so its event id is spent with
// its sighting: another body under it is a replay, even for an order that is free.
TEST_P(StoreTest, AnEventIdSpentOnAnotherTenantsOrderIdKeepsItsSighting) {
  auto store = open();
  ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
  auto foreign = order("pr-1", "ev-2");
  foreign.tenant = "globex";
  foreign.sighting_digest = "aaaa";
  ASSERT_EQ(store->accept_order(foreign)->outcome, Outcome::other_tenant);
  auto replay = order("pr-2", "ev-2");
  replay.sighting_digest = "bbbb";
  EXPECT_EQ(store->accept_order(replay)->outcome, Outcome::replay);
  EXPECT_EQ(store->list_orders({})->size(), 1u);
  EXPECT_TRUE(store->record_webhook_sighting({"ev-2", "aaaa"}) == SightingOutcome::same_body);
}

TEST_P(StoreTest, AnotherBodyUnderTheIdOfARefusedWebhookIsAReplayAndWritesNothing) {
  auto store = open();
  // Refused after its signature verified: its sighting is recorded alone.
  ASSERT_TRUE(store->record_webhook_sighting({"ev-1", "aaaa"}) == SightingOutcome::first);
  auto replay = order("pr-1", "ev-1");
  replay.sighting_digest = "bbbb";
  EXPECT_EQ(store->accept_order(replay)->outcome, Outcome::replay);
  EXPECT_TRUE(store->get_order("pr-1").failed_with(Error::Code::not_found));
  EXPECT_TRUE(store->list_jobs({})->empty());
  // The same body again is a retry, judged again: now accepted.
  auto retry = order("pr-1", "ev-1");
  retry.sighting_digest = "aaaa";
  EXPECT_EQ(store->accept_order(retry)->outcome, Outcome::created);
}

TEST_P(StoreTest, RepeatedPartnerResultIdCreatesNothingAndItsEventIsRemembered) {
  auto store = open();
  ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
  auto r = store->accept_order(order("pr-1", "ev-2"));
  EXPECT_EQ(r->outcome, Outcome::duplicate);
  EXPECT_EQ(r->answer_body, "accepted pr-1");
  // ev-2 now names pr-1 too.
  auto r3 = store->accept_order(order("pr-3", "ev-2"));
  EXPECT_EQ(r3->outcome, Outcome::duplicate);
  EXPECT_EQ(r3->order_id, "pr-1");
  EXPECT_EQ(store->list_orders({})->size(), 1u);
  EXPECT_EQ(store->list_jobs({})->size(), 1u);
}

TEST_P(StoreTest, ReopenKeepsOrdersJobsTimelineAndDedupeKeys) {
  {
    auto store = open();
    ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
    ASSERT_EQ(store->record_callback_event({"acme", "codility", "cb-1"}), true);
  }
  auto store = open();
  EXPECT_TRUE(store->get_order("pr-1"));
  EXPECT_EQ(store->timeline("pr-1")->size(), 1u);
  EXPECT_EQ(store->list_jobs({})->size(), 1u);
  EXPECT_EQ(store->accept_order(order("pr-9", "ev-1"))->outcome, Outcome::duplicate);
  EXPECT_EQ(store->record_callback_event({"acme", "codility", "cb-1"}), false);
}

TEST_P(StoreTest, FailedCommitReportsErrorAndStoresNothing) {
  bool fail = true;
  StoreOptions options;
  options.before_commit = [&]() -> std::optional<std::string> {
    if (fail) return std::string("disk full (injected)");
    return std::nullopt;
  };
  auto store = open(std::move(options));
  auto r = store->accept_order(order("pr-1", "ev-1"));
  ASSERT_TRUE(r.failed_with(Error::Code::unavailable));
  EXPECT_NE(r.error().message.find("disk full"), std::string::npos) << r.error().message;
  EXPECT_FALSE(store->get_order("pr-1"));
  EXPECT_TRUE(store->list_jobs({})->empty());
  EXPECT_EQ(store->stats().failed_transactions, 1u);
  fail = false;  // the writer thread reads it after the next enqueue (happens-before via mutex)
  EXPECT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Outcome::created);
}

TEST_P(StoreTest, ListOrdersFiltersByTenantAndStatus) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("a1", "e1", "acme")));
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(store->accept_order(order("a2", "e2", "acme")));
  ASSERT_TRUE(store->accept_order(order("b1", "e3", "beta")));
  auto acme = store->list_orders({"acme", "", 100});
  ASSERT_EQ(acme->size(), 2u);
  EXPECT_EQ((*acme)[0].id, "a2");  // newest first
  EXPECT_EQ(store->list_orders({"", "received", 100})->size(), 3u);
  EXPECT_TRUE(store->list_orders({"", "completed", 100})->empty());
  EXPECT_EQ(store->list_orders({"", "", 1})->size(), 1u);
}

TEST_P(StoreTest, CommitAppliesChangesAndEnqueuesPushWithVersion) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  ChangeSet cs;
  OrderChange ch;
  ch.order_id = "pr-1";
  ch.expected_version = 1;
  ch.status = "invited";
  ch.vendor_order_id = "v-42";
  ch.vendor_state_json = R"({"k":1})";
  ch.result_json = R"({"status":"sent"})";
  ch.result_changed = true;
  ch.timeline.push_back({TimePoint{}, "vendor", "invited", "sent"});
  cs.orders.push_back(ch);
  auto r = store->commit(cs);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->job_ids.size(), 1u);

  auto o = store->get_order("pr-1");
  EXPECT_EQ(o->status, "invited");
  EXPECT_EQ(o->vendor_order_id, "v-42");
  EXPECT_EQ(o->vendor_state_json, R"({"k":1})");
  EXPECT_EQ(o->result_version, 1);
  EXPECT_EQ(o->version, 2);
  EXPECT_EQ(o->failure_reason, "");  // untouched fields stay
  auto push = store->get_job(r->job_ids[0]);
  EXPECT_EQ(push->kind, JobKind::push);
  EXPECT_EQ(push->payload_json, R"({"version":1})");
  EXPECT_EQ(push->tenant, "acme");
  EXPECT_EQ(store->timeline("pr-1")->size(), 2u);
  EXPECT_EQ(store->find_order_by_vendor_id("acme", "codility", "v-42")->id, "pr-1");
  EXPECT_FALSE(store->find_order_by_vendor_id("beta", "codility", "v-42"));
  EXPECT_FALSE(store->find_order_by_vendor_id("acme", "other", "v-42"));
}

// A set that changes two orders, one of them twice, and enqueues jobs of its own: each order is
// read once, every change applies in turn, and the ids come back in the order the jobs were
// enqueued (each changed result's push, then the set's own jobs), each naming its own job.
TEST_P(StoreTest, ACommitsJobIdsNameItsJobsInTheOrderTheyWereEnqueued) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-a", "ev-a")));
  ASSERT_TRUE(store->accept_order(order("pr-b", "ev-b", "beta", "hackerrank")));
  auto change = [](const std::string& id, std::int64_t version, const std::string& status,
                   bool result_changed) {
    OrderChange ch;
    ch.order_id = id;
    ch.expected_version = version;
    ch.status = status;
    ch.result_json = R"({"status":")" + status + R"("})";
    ch.result_changed = result_changed;
    ch.timeline.push_back({TimePoint{}, "vendor", status, ""});
    return ch;
  };
  ChangeSet cs;
  cs.orders.push_back(change("pr-a", 1, "invited", true));
  cs.orders.push_back(change("pr-b", 1, "invited", true));
  cs.orders.push_back(change("pr-a", 2, "in_progress", false));
  NewJob poll{"pr-b", "beta", "hackerrank", JobKind::poll, "{}", std::nullopt, 0};
  NewJob action{"pr-a", "acme", "codility", JobKind::action, R"({"action":"x"})", std::nullopt, 0};
  cs.new_jobs = {poll, action};
  auto r = store->commit(cs);
  ASSERT_TRUE(r) << r.error().message;

  ASSERT_EQ(r->job_ids.size(), 4u);
  const std::vector<std::pair<JobKind, std::string>> expected = {{JobKind::push, "pr-a"},
                                                                 {JobKind::push, "pr-b"},
                                                                 {JobKind::poll, "pr-b"},
                                                                 {JobKind::action, "pr-a"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    auto job = store->get_job(r->job_ids[i]);
    ASSERT_TRUE(job) << i;
    EXPECT_EQ(job->kind, expected[i].first) << i;
    EXPECT_EQ(job->order_id, expected[i].second) << i;
  }
  EXPECT_EQ(store->get_job(r->job_ids[3])->payload_json, R"({"action":"x"})");
  auto a = store->get_order("pr-a");
  EXPECT_EQ(a->status, "in_progress");
  EXPECT_EQ(a->version, 3);
  EXPECT_EQ(store->get_order("pr-b")->version, 2);
  EXPECT_EQ(store->timeline("pr-a")->size(), 3u);  // received, invited, in_progress
}

// An update names only the indexed columns it changes (SQLite rewrites the index entries of
// every column named): whichever of status and vendor id a change moves, the order is found
// under its new values and no longer under its old ones.
TEST_P(StoreTest, AnOrderIsFoundUnderWhatEachChangeLeavesWhateverItMoves) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  auto commit = [&](std::vector<OrderChange> changes) {
    ChangeSet cs;
    std::int64_t version = store->get_order("pr-1")->version;
    for (auto& ch : changes) {
      ch.order_id = "pr-1";
      ch.expected_version = version++;
      cs.orders.push_back(ch);
    }
    auto r = store->commit(cs);
    ASSERT_TRUE(r) << r.error().message;
  };
  auto status_is = [&](const std::string& status) {
    const auto listed = store->list_orders({"acme", status, 10});
    return listed->size() == 1 && (*listed)[0].id == "pr-1" &&
           store->list_orders({"", "", 10})->size() == 1;
  };
  OrderChange both;
  both.status = "invited";
  both.vendor_order_id = "v-1";
  commit({both});
  EXPECT_TRUE(status_is("invited"));
  EXPECT_EQ(store->find_order_by_vendor_id("acme", "codility", "v-1")->id, "pr-1");

  OrderChange status_only;
  status_only.status = "in_progress";
  OrderChange neither;
  neither.pushed_version = 1;
  commit({status_only, neither});  // two changes of one order in one set
  EXPECT_TRUE(status_is("in_progress"));
  EXPECT_TRUE(store->list_orders({"acme", "invited", 10})->empty());
  EXPECT_EQ(store->find_order_by_vendor_id("acme", "codility", "v-1")->id, "pr-1");
  EXPECT_EQ(store->get_order("pr-1")->pushed_version, 1);

  OrderChange vendor_id_only;
  vendor_id_only.vendor_order_id = "v-2";
  commit({vendor_id_only});
  EXPECT_TRUE(status_is("in_progress"));
  EXPECT_EQ(store->find_order_by_vendor_id("acme", "codility", "v-2")->id, "pr-1");
  EXPECT_FALSE(store->find_order_by_vendor_id("acme", "codility", "v-1"));

  OrderChange same_values;  // named but unchanged: nothing moves
  same_values.status = "in_progress";
  same_values.vendor_order_id = "v-2";
  commit({same_values});
  EXPECT_TRUE(status_is("in_progress"));
  EXPECT_EQ(store->find_order_by_vendor_id("acme", "codility", "v-2")->id, "pr-1");
  EXPECT_EQ(store->get_order("pr-1")->version, 6);
}

TEST_P(StoreTest, CommitOnStaleVersionIsConflictAndChangesNothing) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  ChangeSet cs;
  OrderChange ch = status_change("pr-1", 7, "completed");
  ch.result_changed = true;
  cs.orders.push_back(ch);
  cs.callback_event = CallbackEventKey{"acme", "codility", "cb-1"};
  auto r = store->commit(cs);
  EXPECT_TRUE(r.failed_with(Error::Code::conflict));
  EXPECT_EQ(store->get_order("pr-1")->status, "received");
  EXPECT_EQ(store->list_jobs({})->size(), 1u);
  // The event was not consumed by the refused change.
  EXPECT_EQ(store->record_callback_event({"acme", "codility", "cb-1"}), true);
}

// No job names an order that does not exist: SQLite's foreign key refuses it, PostgreSQL's job
// insert selects its order (migration 14). Either way the write is invalid and applies nothing.
TEST_P(StoreTest, AJobOfAnOrderThatDoesNotExistIsInvalidAndItsSetChangesNothing) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  NewJob orphan = poll_job("no-such-order");
  auto enqueued = store->enqueue_job(orphan);
  ASSERT_TRUE(enqueued.failed_with(Error::Code::invalid));

  ChangeSet cs;
  OrderChange ch = status_change("pr-1", 1, "in_progress");
  ch.timeline.push_back({TimePoint{}, "vendor", "started", ""});
  cs.orders.push_back(ch);
  cs.new_jobs.push_back(orphan);
  cs.callback_event = CallbackEventKey{"acme", "codility", "cb-1"};
  EXPECT_TRUE(store->commit(cs).failed_with(Error::Code::invalid));
  EXPECT_EQ(store->get_order("pr-1")->status, "received");
  EXPECT_EQ(store->list_jobs({})->size(), 1u);  // the order's invite alone
  EXPECT_EQ(store->timeline("pr-1")->size(), 1u);
  EXPECT_EQ(store->record_callback_event({"acme", "codility", "cb-1"}), true);

  orphan.order_id = "pr-1";  // the same job of an order that exists
  EXPECT_TRUE(store->enqueue_job(orphan));
  EXPECT_EQ(store->list_jobs({})->size(), 2u);
}

TEST_P(StoreTest, CommitWithSeenCallbackEventIsDuplicateAndChangesNothing) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  ChangeSet cs;
  cs.orders.push_back(status_change("pr-1", 1, "in_progress"));
  cs.callback_event = CallbackEventKey{"acme", "codility", "cb-1"};
  ASSERT_TRUE(store->commit(cs));
  cs.orders[0].expected_version = 2;
  cs.orders[0].status = "completed";
  auto again = store->commit(cs);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(store->get_order("pr-1")->status, "in_progress");
  // The same event id under another provider is another event.
  cs.callback_event->provider = "hackerrank";
  EXPECT_TRUE(store->commit(cs));
}

TEST_P(StoreTest, PushedVersionOnlyGrows) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  auto set_pushed = [&](std::int64_t v) {
    ChangeSet cs;
    OrderChange ch;
    ch.order_id = "pr-1";
    ch.expected_version = store->get_order("pr-1")->version;
    ch.pushed_version = v;
    cs.orders.push_back(ch);
    ASSERT_TRUE(store->commit(cs));
  };
  set_pushed(3);
  set_pushed(2);
  EXPECT_EQ(store->get_order("pr-1")->pushed_version, 3);
}

TTB_FOR_EVERY_STORE(StoreTest);

}  // namespace
}  // namespace ttb::store::testing

// The store contract's promises that a second implementation must keep too: a claim that could
// not be written is an error (never "nothing due"), the jobs listener hears exactly what each
// commit made claimable (store.h, set_jobs_listener), and "waiting for provider" is a column, not
// a text the jobs' notes begin with.

#include <mutex>
#include <ostream>

#include "store_fixture.h"

namespace ttb::store {
// For readable failures of EXPECT_EQ on what the listener heard.
void PrintTo(const DueJobs& due, std::ostream* out) {
  *out << "{now " << due.now << ", next ";
  if (due.next) {
    *out << std::chrono::duration_cast<std::chrono::milliseconds>(due.next->time_since_epoch())
                .count()
         << " ms";
  } else {
    *out << "none";
  }
  *out << "}";
}
void PrintTo(const JobsDue& due, std::ostream* out) {
  *out << "{pushes ";
  PrintTo(due.pushes, out);
  *out << ", vendor_work ";
  PrintTo(due.vendor_work, out);
  *out << "}";
}
}  // namespace ttb::store

namespace ttb::store::testing {
namespace {

using std::chrono::minutes;

// What a commit made claimable when every job of it is due now.
JobsDue due_now(int pushes, int vendor_work) {
  return JobsDue{{pushes, {}}, {vendor_work, {}}};
}
// A time as the stores keep it: in whole milliseconds.
TimePoint in_ms(TimePoint t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

class ContractTest : public StoreContractFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    StoreOptions options;
    options.before_commit = [this]() -> std::optional<std::string> {
      if (fail_commits_) return std::string("disk I/O error (injected)");
      return std::nullopt;
    };
    store_ = open(std::move(options));
    ASSERT_TRUE(store_);
    store_->set_jobs_listener([this](const JobsDue& due) {
      std::lock_guard lock(heard_mutex_);
      heard_ += due;
    });
    ASSERT_TRUE(store_->accept_order(order("pr-1", "ev-1")));
    invite_id_ = store_->list_jobs({})->at(0).id;
  }
  void TearDown() override {
    if (store_) store_->set_jobs_listener(nullptr);
  }

  // What the listener heard while `act` ran. A commit's listener call comes before its write
  // returns, on both stores.
  JobsDue heard_during(const std::function<void()>& act) {
    {
      std::lock_guard lock(heard_mutex_);
      heard_ = {};
    }
    act();
    std::lock_guard lock(heard_mutex_);
    return heard_;
  }
  // Claims the invite (the order's first job is due first); its claim's number, a move's token.
  int claim_invite() {
    auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
    EXPECT_TRUE(claimed && claimed->size() == 1u && claimed->at(0).id == invite_id_);
    return claimed && !claimed->empty() ? claimed->at(0).claims : 0;
  }
  // Claims the invite and returns what the listener heard of the move, by that claim.
  JobsDue heard_of(JobMove move) {
    move.claim = claim_invite();
    return heard_during([&] {
      auto moved = store_->transition_job(move);
      EXPECT_TRUE(moved) << to_string(move.transition) << ": " << moved.error().message;
    });
  }
  // A job of the order pr-1, due now unless the test sets its run_at.
  static NewJob job_for_pr1(JobKind kind) {
    NewJob job;
    job.order_id = "pr-1";
    job.tenant = "acme";
    job.provider = "codility";
    job.kind = kind;
    return job;
  }
  std::int64_t enqueue_for_pr1(JobKind kind) {
    auto id = store_->enqueue_job(job_for_pr1(kind));
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::unique_ptr<Store> store_;
  std::atomic<bool> fail_commits_{false};
  std::mutex heard_mutex_;
  JobsDue heard_;
  std::int64_t invite_id_ = 0;
};

TEST_P(ContractTest, AClaimThatCannotBeWrittenIsAnErrorNotAnEmptyList) {
  fail_commits_ = true;
  auto claimed = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().code, Error::Code::unavailable);
  EXPECT_NE(claimed.error().message.find("disk I/O error"), std::string::npos)
      << claimed.error().message;
  fail_commits_ = false;
  // Nothing was marked running: the job is still there to claim.
  auto again = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->at(0).attempts, 1);
}

TEST_P(ContractTest, NothingDueIsAnEmptyListNotAnError) {
  ASSERT_TRUE(store_->claim_due_jobs({clock_.now(), 10, {}}));
  auto none = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
}

TEST_P(ContractTest, EachEnqueuedJobIsHeardAsOneOfItsKind) {
  EXPECT_EQ(heard_during([&] { enqueue_for_pr1(JobKind::push); }), due_now(1, 0));
  EXPECT_EQ(heard_during([&] { enqueue_for_pr1(JobKind::poll); }), due_now(0, 1));
  EXPECT_EQ(heard_during([&] { ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2"))); }),
            due_now(0, 1));  // its invite
}

TEST_P(ContractTest, AKillOrAFinishOfAJobAloneInItsOrderIsHeardAsNothing) {
  EXPECT_EQ(heard_of({invite_id_, JobTransition::kill, {}, "gave up"}), JobsDue{});
  EXPECT_EQ(store_->get_job(invite_id_)->state, JobState::dead);
  ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2")));
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  EXPECT_EQ(heard_during([&] { ASSERT_TRUE(store_->finish_job(claimed->at(0))); }), JobsDue{});
}

TEST_P(ContractTest, AJobQueuedAgainIsHeardAsOneOfItsKind) {
  // Due now, so that the next heard_of claims the invite again; a retry later, last.
  EXPECT_EQ(heard_of({invite_id_, JobTransition::defer, clock_.now(), "later"}), due_now(0, 1));
  EXPECT_EQ(heard_of({invite_id_, JobTransition::wait_for_provider, clock_.now(), "gone"}),
            due_now(0, 1));
  const TimePoint later = in_ms(clock_.now() + minutes(1));
  EXPECT_EQ(heard_of({invite_id_, JobTransition::retry, later, "503"}),
            (JobsDue{{}, {0, later}}));  // due later: when, so that a sleeping worker is on time
  EXPECT_EQ(store_->get_job(invite_id_)->state, JobState::queued);
}

TEST_P(ContractTest, AMoveOutOfRunningIsHeardWithTheJobsOfItsOrderThatWaitedForIt) {
  // A job waits while another of its order runs: these two wait for the invite.
  const int attempt = claim_invite();
  enqueue_for_pr1(JobKind::push);
  enqueue_for_pr1(JobKind::cancel);
  auto none = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(heard_during([&] {
              ASSERT_TRUE(store_->retry_job({invite_id_, attempt}, clock_.now(), "503"));
            }),
            due_now(1, 2));  // the two that waited, and the invite itself, queued again
}

TEST_P(ContractTest, AJobOfTheOrderDueLaterIsHeardAsWhenItIsDueNotAsDueNow) {
  const int attempt = claim_invite();
  NewJob poll = job_for_pr1(JobKind::poll);
  poll.run_at = in_ms(clock_.now() + minutes(5));
  EXPECT_EQ(heard_during([&] { ASSERT_TRUE(store_->enqueue_job(poll)); }),
            (JobsDue{{}, {0, *poll.run_at}}));
  EXPECT_EQ(heard_during([&] {
              ASSERT_TRUE(store_->finish_job({invite_id_, attempt}));
            }),
            (JobsDue{{}, {0, *poll.run_at}}));
}

TEST_P(ContractTest, ACommitsFinishIsHeardWithTheWaitingJobsAndEachJobItEnqueuesOnce) {
  const int attempt = claim_invite();
  enqueue_for_pr1(JobKind::push);  // waits for the invite
  ChangeSet changes;
  changes.finish_job = JobClaim{invite_id_, attempt};
  changes.new_jobs.push_back(job_for_pr1(JobKind::poll));
  EXPECT_EQ(heard_during([&] {
              auto committed = store_->commit(changes);
              ASSERT_TRUE(committed) << committed.error().message;
            }),
            due_now(1, 1));
  EXPECT_EQ(store_->get_job(invite_id_)->state, JobState::done);
}

TEST_P(ContractTest, ARefusedFinishIsHeardAsNothing) {
  claim_invite();
  enqueue_for_pr1(JobKind::push);
  ChangeSet changes;
  changes.finish_job = JobClaim{invite_id_, 99};  // an overtaken claim
  EXPECT_EQ(heard_during([&] { EXPECT_FALSE(store_->commit(changes)); }), JobsDue{});
  EXPECT_EQ(store_->get_job(invite_id_)->state, JobState::running);
}

TEST_P(ContractTest, EveryTransitionLeavesTheStateItsTableNames) {
  for (auto t : {JobTransition::finish, JobTransition::retry, JobTransition::defer,
                 JobTransition::wait_for_provider, JobTransition::kill}) {
    NewJob job;
    job.order_id = "pr-1";
    job.tenant = "acme";
    job.provider = "codility";
    job.kind = JobKind::poll;
    auto id = store_->enqueue_job(job);
    ASSERT_TRUE(id);
    // Only this job may be due: the order's other jobs are finished first.
    int attempt = 0;
    for (;;) {
      auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
      ASSERT_TRUE(claimed && claimed->size() == 1u) << to_string(t);
      attempt = claimed->at(0).claims;
      if (claimed->at(0).id == *id) break;
      ASSERT_TRUE(store_->finish_job(claimed->at(0)));
    }
    ASSERT_TRUE(store_->transition_job({*id, t, clock_.now() + minutes(1), "note", attempt}));
    EXPECT_EQ(store_->get_job(*id)->state, state_after(t)) << to_string(t);
    if (state_after(t) == JobState::queued) {
      ASSERT_TRUE(store_->kill_job({*id, 0}, "cleanup"));
    }
  }
}

TEST_P(ContractTest, ATransitionOfAJobInTheWrongStateIsAConflictAndOfNoJobNotFound) {
  // The invite is queued, not running: only kill leaves queued.
  const JobClaim unclaimed{invite_id_, 0};
  auto finished = store_->finish_job(unclaimed);
  EXPECT_TRUE(finished.failed_with(Error::Code::conflict)) << finished.error().message;
  EXPECT_TRUE(store_->retry_job(unclaimed, clock_.now(), "x").failed_with(Error::Code::conflict));
  EXPECT_TRUE(store_->kill_job(unclaimed, "x"));
  EXPECT_TRUE(store_->kill_job(unclaimed, "x").failed_with(Error::Code::conflict));
  EXPECT_TRUE(store_->finish_job({9999, 1}).failed_with(Error::Code::not_found));
}

// Fencing: once a job was claimed again (here after a retry; on PostgreSQL also when another
// daemon takes it over after its lease), the earlier claim's late moves are refused as fenced
// and change nothing, while the current claim's apply.
TEST_P(ContractTest, AMoveByAnOvertakenClaimIsFencedAndChangesNothing) {
  auto first = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(first && first->size() == 1u);
  const JobClaim stale = first->at(0);
  ASSERT_TRUE(store_->retry_job(stale, clock_.now(), "vendor 503"));
  auto second = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(second && second->size() == 1u);
  const JobClaim current = second->at(0);
  ASSERT_EQ(current.id, stale.id);
  ASSERT_EQ(current.number, stale.number + 1);

  for (auto t : {JobTransition::finish, JobTransition::retry, JobTransition::defer,
                 JobTransition::wait_for_provider, JobTransition::kill}) {
    auto late = store_->transition_job({stale.id, t, clock_.now(), "late", stale.number});
    ASSERT_FALSE(late) << to_string(t);
    EXPECT_EQ(late.error().code, Error::Code::fenced)
        << to_string(t) << ": " << late.error().message;
    auto job = store_->get_job(stale.id);
    EXPECT_EQ(job->state, JobState::running) << to_string(t);
    EXPECT_EQ(job->claims, current.number) << to_string(t);
    EXPECT_EQ(job->last_error, "vendor 503") << to_string(t);
  }

  // A commit that finishes the job under the stale claim applies none of its changes.
  ChangeSet late;
  late.finish_job = stale;
  OrderChange change;
  change.order_id = "pr-1";
  change.expected_version = store_->get_order("pr-1")->version;
  change.status = "invited";
  late.orders.push_back(change);
  late.new_jobs.push_back({"pr-1", "acme", "codility", JobKind::poll, "{}", {}, 0});
  auto committed = store_->commit(late);
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code, Error::Code::fenced) << committed.error().message;
  EXPECT_EQ(store_->get_order("pr-1")->status, "received");
  EXPECT_EQ(store_->list_jobs({})->size(), 1u);

  // The current claim still finishes, by a commit, and then even it is done with the job.
  ChangeSet done;
  done.finish_job = current;
  done.orders.push_back(change);
  ASSERT_TRUE(store_->commit(done));
  EXPECT_EQ(store_->get_job(current.id)->state, JobState::done);
  EXPECT_EQ(store_->get_order("pr-1")->status, "invited");
  EXPECT_TRUE(store_->finish_job(current).failed_with(Error::Code::conflict));
  EXPECT_TRUE(store_->finish_job(stale).failed_with(Error::Code::fenced));
}

// A deferral gives its attempt back and a requeue gives a fresh attempt budget, but neither gives
// an overtaken claim its token back: the next claim's number is new, so the old holder's late
// move or renewal (a daemon stalled past its lease, a put-back sent again after a commit whose
// answer was lost) cannot apply to the new holder's run.
TEST_P(ContractTest, NeitherADeferralNorARequeueRevivesAnOvertakenClaim) {
  auto first = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(first && first->size() == 1u);
  const JobClaim deferred = first->at(0);
  ASSERT_TRUE(store_->wait_for_provider(deferred, clock_.now(), "held"));
  auto second = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(second && second->size() == 1u);
  EXPECT_EQ(second->at(0).attempts, first->at(0).attempts) << "the attempt was given back";
  const JobClaim current = second->at(0);
  ASSERT_NE(current.number, deferred.number);
  auto again = store_->wait_for_provider(deferred, clock_.now(), "put back again");
  EXPECT_TRUE(again.failed_with(Error::Code::fenced)) << (again ? "" : again.error().message);
  EXPECT_EQ(*store_->renew_leases({deferred}), 0);
  EXPECT_EQ(store_->get_job(current.id)->state, JobState::running);

  // Taken over and killed, then requeued by an operator: the stale claim stays overtaken.
  ASSERT_TRUE(store_->kill_job(current, "gave up"));
  ASSERT_EQ(*store_->requeue_dead(current.id), 1);
  auto third = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(third && third->size() == 1u);
  EXPECT_EQ(third->at(0).attempts, 1) << "a fresh attempt budget";
  for (const JobClaim& stale : {deferred, current}) {
    EXPECT_TRUE(store_->finish_job(stale).failed_with(Error::Code::fenced)) << stale.number;
  }
  EXPECT_EQ(store_->get_job(current.id)->state, JobState::running);
  EXPECT_TRUE(store_->finish_job(third->at(0)));
}

TEST_P(ContractTest, JobListsLeaveFinishedJobsOutInTheQueryAndCanStartAtTheNewest) {
  // pr-1's invite, finished, then three polls: the open ones are found past a limit that the
  // finished job would have used up, and the newest come first when asked.
  ASSERT_TRUE(store_->finish_job(JobClaim{invite_id_, claim_invite()}));
  const std::int64_t first = enqueue_for_pr1(JobKind::poll);
  enqueue_for_pr1(JobKind::poll);
  const std::int64_t last = enqueue_for_pr1(JobKind::poll);

  JobFilter open;
  open.open_only = true;
  open.limit = 1;
  auto listed = store_->list_jobs(open);
  ASSERT_TRUE(listed && listed->size() == 1u);
  EXPECT_EQ(listed->at(0).id, first);

  JobFilter newest;
  newest.order_id = "pr-1";
  newest.limit = 2;
  newest.newest_first = true;
  listed = store_->list_jobs(newest);
  ASSERT_TRUE(listed && listed->size() == 2u);
  EXPECT_EQ(listed->at(0).id, last);
  EXPECT_GT(listed->at(0).id, listed->at(1).id);
}

TEST_P(ContractTest, WaitingForProviderIsAColumnThatOnlyAClaimClears) {
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  ASSERT_TRUE(store_->wait_for_provider(claimed->at(0), clock_.now() + minutes(5), "any note"));
  EXPECT_TRUE(store_->get_job(invite_id_)->waiting_for_provider);
  EXPECT_EQ(store_->get_job(invite_id_)->attempts, 0);  // the attempt is given back

  ASSERT_TRUE(store_->wake_jobs_waiting_for_provider() == 1);
  auto due = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_FALSE(due->at(0).waiting_for_provider);
  EXPECT_FALSE(store_->get_job(invite_id_)->waiting_for_provider);
}

TEST_P(ContractTest, APlainDeferIsNotWokenWhateverItsNoteSays) {
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  ASSERT_TRUE(store_->defer_job(claimed->at(0), clock_.now() + minutes(5),
                                "waiting for provider: the old text prefix"));
  EXPECT_FALSE(store_->get_job(invite_id_)->waiting_for_provider);
  EXPECT_TRUE(store_->wake_jobs_waiting_for_provider() == 0);
  EXPECT_TRUE(store_->claim_due_jobs({clock_.now(), 1, {}})->empty());
}

TEST_P(ContractTest, WritesAfterCloseFailWithClosed) {
  store_->set_jobs_listener(nullptr);
  store_->close();
  EXPECT_TRUE(store_->enqueue_job({}).failed_with(Error::Code::closed));
  EXPECT_TRUE(store_->claim_due_jobs({clock_.now(), 1, {}}).failed_with(Error::Code::closed));
}

TEST_P(ContractTest, AppliedRevisionIsStoredRaisedOnlyAndReadBack) {
  EXPECT_FALSE(store_->get_order("pr-1")->applied_revision);  // a new order has none
  auto commit_revision = [this](std::optional<std::int64_t> revision) {
    OrderChange change;
    change.order_id = "pr-1";
    change.expected_version = store_->get_order("pr-1")->version;
    change.applied_revision = revision;
    ChangeSet changes;
    changes.orders.push_back(change);
    ASSERT_TRUE(store_->commit(changes));
  };
  commit_revision(1'700'000'000'000);
  EXPECT_EQ(store_->get_order("pr-1")->applied_revision, 1'700'000'000'000);
  commit_revision(5);  // lower: kept as it was
  EXPECT_EQ(store_->get_order("pr-1")->applied_revision, 1'700'000'000'000);
  commit_revision(std::nullopt);  // none given: kept
  EXPECT_EQ(store_->get_order("pr-1")->applied_revision, 1'700'000'000'000);
  commit_revision(1'700'000'000'001);
  EXPECT_EQ(store_->get_order("pr-1")->applied_revision, 1'700'000'000'001);
}

TEST_P(ContractTest, AMissingOrderIsNotFound) {
  EXPECT_TRUE(store_->get_order("nope").failed_with(Error::Code::not_found));
  EXPECT_TRUE(store_->get_job(424242).failed_with(Error::Code::not_found));
  EXPECT_TRUE(store_->find_order_by_vendor_id("acme", "codility", "v-1")
                  .failed_with(Error::Code::not_found));
}

// The operator's order search: every filter narrows, the e-mail ignores case, and paging by the
// last listed id walks the newest-first order without gaps or repeats, ties included.
TEST_P(ContractTest, OrderSearchFiltersByEmailTimeAndPagesByCursor) {
  // pr-1 (from SetUp) was created at t0; pr-2 and pr-3 one minute later (a tie); pr-4 later still.
  const TimePoint t0 = clock_.now();
  clock_.advance(minutes(1));
  NewOrder grace = order("pr-2", "ev-2");
  grace.candidate_json = R"({"id":"1002","email":"Grace@Example.org"})";
  ASSERT_TRUE(store_->accept_order(grace));
  ASSERT_TRUE(store_->accept_order(order("pr-3", "ev-3", "beta")));
  clock_.advance(minutes(1));
  ASSERT_TRUE(store_->accept_order(order("pr-4", "ev-4")));

  auto ids = [&](const OrderFilter& filter) {
    std::vector<std::string> out;
    auto listed = store_->list_orders(filter);
    EXPECT_TRUE(listed) << listed.error().message;
    if (listed) {
      for (const auto& o : *listed) out.push_back(o.id);
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids({}), (Ids{"pr-4", "pr-2", "pr-3", "pr-1"}));

  OrderFilter by_email;
  by_email.email = "grace@EXAMPLE.org";
  EXPECT_EQ(ids(by_email), (Ids{"pr-2"}));
  by_email.email = "nobody@example.org";
  EXPECT_TRUE(ids(by_email).empty());

  OrderFilter window;
  window.created_since = t0 + minutes(1);
  window.created_until = t0 + minutes(2);  // excluded: pr-4 was created exactly then
  EXPECT_EQ(ids(window), (Ids{"pr-2", "pr-3"}));
  window.tenant = "beta";
  EXPECT_EQ(ids(window), (Ids{"pr-3"}));

  OrderFilter page;
  page.limit = 2;
  EXPECT_EQ(ids(page), (Ids{"pr-4", "pr-2"}));
  page.before_id = "pr-2";
  EXPECT_EQ(ids(page), (Ids{"pr-3", "pr-1"}));
  page.before_id = "pr-1";
  EXPECT_TRUE(ids(page).empty());
  page.before_id = "no-such-order";
  EXPECT_TRUE(ids(page).empty());
}

TEST_P(ContractTest, OrdersAreCountedByStatusAndActivityInAWindow) {
  const TimePoint t0 = clock_.now();
  clock_.advance(minutes(1));
  ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2")));
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  ASSERT_TRUE(store_->finish_job(claimed->at(0)));

  const auto statuses = store_->orders_by_status();
  ASSERT_TRUE(statuses) << statuses.error().message;
  EXPECT_EQ(*statuses, (std::map<std::string, std::int64_t>{{"received", 2}}));
  auto all = store_->activity_between(t0, clock_.now() + minutes(1));
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->orders_created, 2);
  EXPECT_EQ(all->jobs_done, 1);

  // The window excludes its end: nothing happened in [now + 1 ms, now + 1 min), nor before t0.
  auto earlier = store_->activity_between(t0 - minutes(1), t0);
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier->orders_created, 0);
  auto later = store_->activity_between(clock_.now() + std::chrono::milliseconds(1),
                                        clock_.now() + minutes(1));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->orders_created, 0);
  EXPECT_EQ(later->jobs_done, 0);
}

TTB_FOR_EVERY_STORE(ContractTest);

}  // namespace
}  // namespace ttb::store::testing

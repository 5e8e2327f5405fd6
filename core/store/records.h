#pragma once
// The rows the store keeps: orders, their timelines, and the durable jobs that act on them.
// Plain structs; statuses are strings here (orders/ owns their meaning) so the store stays dumb.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ttb::store {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

// One line of an order's story, for the CLI and for support.
struct TimelineEntry {
  TimePoint at{};
  std::string source;  // "teamtailor", "vendor", "engine", "operator"
  std::string event;   // short stable key: "received", "invited", "pushed", "ignored_update", ...
  std::string detail;  // human-readable, no secrets, no personal data beyond ids
};

// What the webhook route hands over once the request is verified and validated.
struct NewOrder {
  std::string id;        // Teamtailor's partner-result id
  std::string event_id;  // partner-event.id (dedupe key)
  std::string tenant;
  std::string provider;
  std::string test_id;  // the vendor's test id (without the "provider:" prefix)
  std::string company_uuid;
  std::string candidate_json;  // {"id","first_name","last_name","email","phone"}
  std::string job_json;        // {"id","title"}
  std::string options_json;    // webhook-data
  std::string callback_url;    // <public_url>/callbacks/<tenant>/<provider>/orders/<id>
  std::string locale = "en";
  // The answer given to Teamtailor for this order; a duplicate webhook gets it again.
  int answer_status = 202;
  std::string answer_body;
  std::string timeline_detail;  // detail of the "received" timeline entry
  // The body digest of the verified webhook that brought the order: its sighting (see
  // Store::record_webhook_sighting) is recorded in the same commit as the order. "" = none.
  std::string sighting_digest;
};

struct OrderRecord {
  std::string id;
  std::string event_id;
  std::string tenant;
  std::string provider;
  std::string test_id;
  std::string company_uuid;
  std::string candidate_json;
  std::string job_json;
  std::string options_json;
  std::string callback_url;
  std::string locale;
  std::string status;          // received | invited | in_progress | completed | failed
  std::string failure_reason;  // "" unless failed: expired | cancelled | rejected | vendor_error
  std::string vendor_order_id;
  std::string vendor_state_json = "{}";
  std::string result_json = "{}";   // what the recruiter should see now (orders::ResultView)
  std::int64_t result_version = 0;  // bumped at each recruiter-visible change
  std::int64_t pushed_version = 0;  // the highest result_version Teamtailor has acknowledged
  // The highest vendor revision applied (an update's `revision`, docs/plugin-abi.md); an update
  // whose revision is not above it is ignored. nullopt until an update with a revision applies.
  std::optional<std::int64_t> applied_revision;
  int answer_status = 0;
  std::string answer_body;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::int64_t version = 0;  // optimistic concurrency: bumped by every change
};

enum class JobKind { invite, push, poll, cancel, action };
enum class JobState { queued, running, done, dead };

const char* to_string(JobKind kind);
const char* to_string(JobState state);
std::optional<JobKind> parse_job_kind(const std::string& text);
std::optional<JobState> parse_job_state(const std::string& text);

struct NewJob {
  std::string order_id;
  std::string tenant;
  std::string provider;
  JobKind kind = JobKind::invite;
  std::string payload_json = "{}";
  std::optional<TimePoint> run_at;  // default: now
  int max_attempts = 0;             // 0: the runner's policy decides
};

// The first job of a new order: its invitation, due now.
NewJob invite_job_for(const NewOrder& order);

struct JobRecord {
  std::int64_t id = 0;  // monotonic: also the order in which jobs of one order were enqueued
  std::string order_id;
  std::string tenant;
  std::string provider;
  JobKind kind = JobKind::invite;
  JobState state = JobState::queued;
  int attempts = 0;  // runs started (a deferred run does not count)
  int max_attempts = 0;
  TimePoint run_at{};
  std::string last_error;
  std::string payload_json = "{}";
  TimePoint created_at{};
  TimePoint updated_at{};
  // Deferred until its provider is back (JobTransition::wait_for_provider): not configured right
  // now, or held by a breaker while its vendor (or Teamtailor) does not answer; until claimed
  // again. wake_jobs_waiting_for_provider makes such jobs due at a reload.
  bool waiting_for_provider = false;
  // How many times a plugin call of this job was in flight when the plugin's process died
  // (count_job_deaths); the runner makes a job that keeps killing its process a dead letter.
  int deaths = 0;
  // PostgreSQL, while the job runs: the daemon whose claim holds it (StoreOptions::lease_owner)
  // and when that claim's lease ends unless renewed (renew_leases). Empty and unset on SQLite,
  // and for a claim made by a build before schema migration 16.
  std::string lease_owner;
  std::optional<TimePoint> lease_expires_at;
  // Claims ever made of the job: every claim raises it, nothing lowers it (not a deferral, which
  // gives its attempt back, nor an operator's requeue, which gives a fresh attempt budget). The
  // claim's fencing token (JobClaim::number).
  int claims = 0;
};

// A job as the runner that claimed it names it when it moves the job out of running: its id and
// the claim's number (JobRecord::claims as claim_due_jobs returned it). The number is the
// fencing token: every claim raises it and nothing lowers it, so once another claim has taken
// the job (on PostgreSQL, after the lease ran out: docs/scaling.md), even one after a deferral
// or a requeue, the first holder's token no longer matches, and its late finish, retry, kill
// or lease renewal is refused (Error::Code::fenced) instead of overwriting the new holder's run.
struct JobClaim {
  JobClaim(std::int64_t id_, int number_) : id(id_), number(number_) {}
  // Implicit: the claimed record is what a runner holds.
  JobClaim(const JobRecord& job) : id(job.id), number(job.claims) {}

  std::int64_t id = 0;
  int number = 0;  // 0: held by no claim (a queued job; only a kill takes it)
};

}  // namespace ttb::store

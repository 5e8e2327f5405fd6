#pragma once
// A store that hands every call to another: a test derives from it and overrides the calls it
// watches or makes fail, and the real store underneath does the rest. The async calls keep the
// interface's own versions, which answer at once through the calls here.

#include "store/store.h"

namespace ttb::store::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  Result<Committed> commit(const ChangeSet& changes) override { return inner_.commit(changes); }

  Result<Accepted> accept_order(const NewOrder& o) override { return inner_.accept_order(o); }
  Result<OrderRecord> get_order(const std::string& id) override { return inner_.get_order(id); }
  Result<std::vector<OrderRecord>> list_orders(const OrderFilter& f) override {
    return inner_.list_orders(f);
  }
  Result<OrderRecord> find_order_by_vendor_id(const std::string& t, const std::string& p,
                                              const std::string& v) override {
    return inner_.find_order_by_vendor_id(t, p, v);
  }
  Result<std::vector<TimelineEntry>> timeline(const std::string& id) override {
    return inner_.timeline(id);
  }
  Result<SightingOutcome> record_webhook_sighting(const WebhookSighting& s) override {
    return inner_.record_webhook_sighting(s);
  }
  Result<bool> record_callback_event(const CallbackEventKey& k) override {
    return inner_.record_callback_event(k);
  }
  Result<std::int64_t> enqueue_job(const NewJob& j) override { return inner_.enqueue_job(j); }
  Result<std::vector<JobRecord>> claim_due_jobs(const ClaimRequest& r) override {
    return inner_.claim_due_jobs(r);
  }
  Result<void> transition_job(const JobMove& move) override { return inner_.transition_job(move); }
  Result<JobRecord> get_job(std::int64_t id) override { return inner_.get_job(id); }
  Result<std::vector<JobRecord>> list_jobs(const JobFilter& f) override {
    return inner_.list_jobs(f);
  }
  Result<int> requeue_dead(std::int64_t id) override { return inner_.requeue_dead(id); }
  Result<int> requeue_all_dead(const std::string& t) override { return inner_.requeue_all_dead(t); }
  Result<int> wake_jobs_waiting_for_provider() override {
    return inner_.wake_jobs_waiting_for_provider();
  }
  Result<int> count_job_deaths(const std::vector<std::int64_t>& ids) override {
    return inner_.count_job_deaths(ids);
  }
  Result<int> renew_leases(const std::vector<JobClaim>& claims) override {
    return inner_.renew_leases(claims);
  }
  Result<std::optional<TimePoint>> next_due_at() override { return inner_.next_due_at(); }
  Result<QueueStats> queue_stats() override { return inner_.queue_stats(); }
  Result<std::vector<ProviderQueue>> queue_by_provider() override {
    return inner_.queue_by_provider();
  }
  Result<std::vector<QuietOrder>> quiet_orders(TimePoint since, int limit) override {
    return inner_.quiet_orders(since, limit);
  }
  Result<std::map<std::string, std::int64_t>> orders_by_status() override {
    return inner_.orders_by_status();
  }
  Result<ActivityCounts> activity_between(TimePoint since, TimePoint until) override {
    return inner_.activity_between(since, until);
  }
  Result<Purged> purge_expired(const PurgeRequest& r) override { return inner_.purge_expired(r); }
  void set_jobs_listener(std::function<void(const JobsDue&)> l) override {
    inner_.set_jobs_listener(std::move(l));
  }
  StoreStats stats() const override { return inner_.stats(); }
  void close() override { inner_.close(); }

 protected:
  Store& inner_;
};

}  // namespace ttb::store::testing

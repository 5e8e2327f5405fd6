#include "app/engine.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "app/teamtailor_publisher.h"
#include "app/tenant_providers.h"
#include "http/ops_routes.h"
#include "http/partner_routes.h"
#include "jobs/job_runner.h"
#include "jobs/reconciler.h"
#include "net/http_server.h"
#include "ops/log.h"
#include "orders/order_service.h"
#include "plugins/internal/plugin_host.h"
#include "store/store.h"
#include "tenants/tenant_directory.h"
#include "tenants/test_catalog.h"

namespace ttb::app {
namespace {

constexpr std::chrono::seconds kTestListTtl{300};
constexpr std::chrono::milliseconds kFirstTestListWait{5000};
// How often the queue gauges are refreshed (a cheap indexed read).
constexpr std::chrono::seconds kQueueMetricsEvery{1};

net::ServerOptions server_options(const config::ServerSettings& s) {
  net::ServerOptions o;
  o.host = s.host;
  o.port = s.port;
  o.max_body_bytes = s.max_body_bytes;
  o.threads = s.threads;
  return o;
}

jobs::RetryPolicy retry_policy(const config::RetrySettings& s) {
  jobs::RetryPolicy p;
  if (s.max_attempts) p.max_attempts = *s.max_attempts;
  if (s.base_delay) p.base_delay = *s.base_delay;
  if (s.max_delay) p.max_delay = *s.max_delay;
  if (s.deadline) p.deadline = *s.deadline;
  return p;
}

ops::Level log_level(plugins::LogLevel level) {
  switch (level) {
    case plugins::LogLevel::debug:
      return ops::Level::debug;
    case plugins::LogLevel::info:
      return ops::Level::info;
    case plugins::LogLevel::warn:
      return ops::Level::warn;
    case plugins::LogLevel::error:
      return ops::Level::error;
  }
  return ops::Level::info;
}

class RunningEngine final : public Engine {
 public:
  RunningEngine(const config::MainSettings& main, ops::Metrics& metrics,
                std::unique_ptr<store::Store> store)
      : main_(main),
        metrics_(metrics),
        http_(net::make_http_client()),
        store_(std::move(store)),
        plugin_host_(host_options()),
        catalog_(kTestListTtl, kFirstTestListWait),
        orders_(*store_, orders::OrderServiceOptions{main.server.public_url}),
        publisher_(teamtailor::PartnerResultsClient(http_, main.teamtailor.api_url,
                                                    main.teamtailor.api_key.reveal())),
        job_outcomes_(prometheus::BuildCounter()
                          .Name("ttbridge_jobs_total")
                          .Help("Jobs run, by kind and outcome (done, retry, deferred, dead)")
                          .Register(metrics.registry())),
        job_retries_(prometheus::BuildCounter()
                         .Name("ttbridge_job_retries_total")
                         .Help("Job runs that failed and were scheduled to run again")
                         .Register(metrics.registry())),
        dead_letters_(prometheus::BuildCounter()
                          .Name("ttbridge_job_dead_letters_total")
                          .Help("Jobs that ran out of attempts or failed for good (parked)")
                          .Register(metrics.registry())),
        queued_(prometheus::BuildGauge()
                    .Name("ttbridge_jobs_queued")
                    .Help("Jobs waiting to run (due or scheduled), per tenant and provider")
                    .Register(metrics.registry())),
        running_(prometheus::BuildGauge()
                     .Name("ttbridge_jobs_running")
                     .Help("Jobs running right now, per tenant and provider")
                     .Register(metrics.registry())),
        dead_(
            prometheus::BuildGauge()
                .Name("ttbridge_jobs_dead")
                .Help(
                    "Dead letters parked now, per tenant and provider (ttbridge jobs list --dead)")
                .Register(metrics.registry())),
        waiting_for_provider_(
            prometheus::BuildGauge()
                .Name("ttbridge_jobs_waiting_for_provider")
                .Help("Queued jobs whose provider is not configured right now (removed or "
                      "disabled); they wait and run when it is back")
                .Register(metrics.registry())),
        oldest_waiting_(prometheus::BuildGauge()
                            .Name("ttbridge_jobs_oldest_waiting_age_seconds")
                            .Help("How long the oldest due job has been waiting to run")
                            .Register(metrics.registry())
                            .Add({})),
        reconcile_polls_(prometheus::BuildCounter()
                             .Name("ttbridge_reconcile_polls_total")
                             .Help("Polls queued for open orders with no news for a while")
                             .Register(metrics.registry())
                             .Add({})) {}

  // Second phase: needs `this` fully built (the tenant factory and the routes point into it).
  std::vector<std::string> start(std::vector<config::TenantSettings> tenant_settings) {
    auto built = tenants::build_directory(std::move(tenant_settings), provider_factory());
    if (!built.directory) return built.errors;
    tenants_ = std::make_unique<tenants::LiveTenants>(built.directory);
    providers_ = std::make_unique<TenantProviders>(*tenants_);

    const config::JobSettings& js = main_.jobs;
    jobs::RunnerOptions runner_options;
    runner_options.workers = js.workers;
    runner_options.steps.retry = retry_policy(js.retry);
    // A tenant's `retry:` overrides, read from the tenant set current when the job fails, so a
    // reload changes the policy of jobs already queued.
    runner_options.steps.policy_for = [this](const store::JobRecord& job) {
      auto directory = tenants_->current();
      const tenants::Tenant* tenant = directory->find(job.tenant);
      return retry_policy(tenant ? main_.jobs.retry.merged(tenant->settings.retry)
                                 : main_.jobs.retry);
    };
    runner_options.steps.poll_interval = js.poll_interval;
    runner_options.steps.on_event = [this](const jobs::JobEvent& event) { on_job_event(event); };
    runner_options.limits = std::make_shared<jobs::JobLimits>(jobs::LimitOptions{
        js.tenant_concurrency, js.provider_concurrency, js.provider_rate_per_s, {}});
    runner_ = std::make_unique<jobs::JobRunner>(*store_, orders_, *providers_, publisher_,
                                                runner_options);
    reconciler_ = std::make_unique<jobs::Reconciler>(
        *store_, jobs::ReconcileOptions{js.reconcile_after, 500, {}});

    auto router = std::make_shared<net::Router>();
    http::add_ops_routes(*router, metrics_, [] { return std::string(); });
    http::PartnerRouteContext context;
    context.main = &main_;
    context.tenants = tenants_.get();
    context.catalog = &catalog_;
    context.orders = &orders_;
    http::add_partner_routes(*router, context);

    try {
      server_ = net::make_http_server(server_options(main_.server), router,
                                      [this](const net::Request& request, const std::string& route,
                                             int status, std::chrono::microseconds elapsed) {
                                        metrics_.observe_request(route, request.method, status,
                                                                 elapsed.count() / 1e6);
                                      });
    } catch (const std::exception& e) {
      return {e.what()};
    }
    runner_->start();
    server_->start();
    housekeeping_ = std::thread([this] { housekeeping_loop(); });
    return {};
  }

  unsigned short port() const override { return server_->port(); }

  std::size_t tenant_count() const override { return tenants_->current()->all().size(); }

  std::vector<std::string> reload(std::vector<config::TenantSettings> tenant_settings) override {
    auto current = tenants_->current();
    auto built =
        tenants::build_directory(std::move(tenant_settings), provider_factory(), current.get());
    if (!built.directory) return built.errors;
    tenants_->replace(built.directory);
    // Jobs that waited for a provider may run now: make them due (those whose provider is still
    // missing just wait again), then wake the workers.
    if (!store_->wake_jobs_waiting_for_provider()) {
      ops::log_warn("wake_waiting_jobs_failed",
                    {{"detail", "jobs waiting for a provider run at their next check"}});
    }
    runner_->notify();
    return {};
  }

  void stop(std::chrono::milliseconds grace) override {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    {
      std::lock_guard lock(housekeeping_mutex_);
      stopping_ = true;
    }
    housekeeping_cv_.notify_all();
    if (housekeeping_.joinable()) housekeeping_.join();
    // Requests first (an accepted webhook is stored before its answer), then the jobs: those
    // still running at the deadline stay `running` in the store and are requeued at the next
    // start; queued ones simply wait for it.
    if (server_) server_->stop(grace);
    if (runner_) {
      if (runner_->stop(deadline)) {
        ops::log_info("jobs_drained");
      } else {
        ops::log_warn("jobs_left_running", {{"running", runner_->in_flight()},
                                            {"detail", "they are requeued at the next start"}});
      }
    }
    store_->close();
  }

  ~RunningEngine() override {
    // A failed start() never stopped: the thread must not outlive what it reads.
    {
      std::lock_guard lock(housekeeping_mutex_);
      stopping_ = true;
    }
    housekeeping_cv_.notify_all();
    if (housekeeping_.joinable()) housekeeping_.join();
  }

 private:
  plugins::HostOptions host_options() {
    plugins::HostOptions options;
    options.http = http_;
    options.log = [](const plugins::HostLogRecord& r) {
      ops::log_event(log_level(r.level), r.event,
                     {{"tenant", r.tenant},
                      {"provider", r.provider},
                      {"plugin", r.plugin},
                      {"message", r.message}});
    };
    return options;
  }

  tenants::ProviderFactory provider_factory() {
    return [this](const std::string& tenant, const config::ProviderSettings& settings)
               -> std::variant<std::shared_ptr<plugins::Provider>, std::string> {
      plugins::CreateProviderResult made = plugin_host_.create_provider(tenant, settings);
      if (!made.provider) return made.error;
      return made.provider;
    };
  }

  // Reconciliation sweeps and the queue gauges, off the request and job threads.
  void housekeeping_loop() {
    auto next_sweep = std::chrono::steady_clock::now() + main_.jobs.reconcile_every;
    std::unique_lock lock(housekeeping_mutex_);
    while (!stopping_) {
      lock.unlock();
      refresh_queue_metrics();
      if (std::chrono::steady_clock::now() >= next_sweep) {
        next_sweep = std::chrono::steady_clock::now() + main_.jobs.reconcile_every;
        auto sweep = reconciler_->sweep();
        if (!sweep.error.empty()) {
          ops::log_error("reconcile_failed", {{"error", sweep.error}});
        } else if (sweep.polls_enqueued > 0) {
          reconcile_polls_.Increment(sweep.polls_enqueued);
          ops::log_info("reconcile", {{"polls", sweep.polls_enqueued}});
        }
      }
      lock.lock();
      housekeeping_cv_.wait_for(lock, kQueueMetricsEvery, [this] { return stopping_; });
    }
  }

  void refresh_queue_metrics() {
    std::vector<store::ProviderQueue> queues;
    try {
      queues = store_->queue_by_provider();
    } catch (const store::StoreError& e) {
      ops::log_error("queue_metrics_failed", {{"error", e.what()}});
      return;
    }
    const auto now = std::chrono::system_clock::now();
    double oldest = 0;
    std::map<std::pair<std::string, std::string>, bool> seen;
    for (const auto& q : queues) {
      const std::map<std::string, std::string> labels{{"tenant", q.tenant},
                                                      {"provider", q.provider}};
      queued_.Add(labels).Set(static_cast<double>(q.queued));
      running_.Add(labels).Set(static_cast<double>(q.running));
      dead_.Add(labels).Set(static_cast<double>(q.dead));
      // Visible, not failed: the jobs of a provider that a reload removed wait for its return.
      const bool missing = q.queued > 0 && providers_->find(q.tenant, q.provider) == nullptr;
      waiting_for_provider_.Add(labels).Set(missing ? static_cast<double>(q.queued) : 0.0);
      if (q.oldest_queued_run_at && *q.oldest_queued_run_at < now) {
        oldest =
            std::max(oldest, std::chrono::duration<double>(now - *q.oldest_queued_run_at).count());
      }
      seen[{q.tenant, q.provider}] = true;
    }
    oldest_waiting_.Set(oldest);
    // Pairs that emptied out read 0 rather than keep their last value.
    for (const auto& key : gauge_keys_) {
      if (seen.count(key)) continue;
      const std::map<std::string, std::string> labels{{"tenant", key.first},
                                                      {"provider", key.second}};
      queued_.Add(labels).Set(0);
      running_.Add(labels).Set(0);
      dead_.Add(labels).Set(0);
      waiting_for_provider_.Add(labels).Set(0);
    }
    for (const auto& [key, unused] : seen) gauge_keys_.insert(key);
  }

  void on_job_event(const jobs::JobEvent& event) {
    const char* outcome = jobs::to_string(event.outcome);
    job_outcomes_.Add({{"kind", store::to_string(event.job.kind)}, {"outcome", outcome}})
        .Increment();
    const std::map<std::string, std::string> labels{{"tenant", event.job.tenant},
                                                    {"provider", event.job.provider},
                                                    {"kind", store::to_string(event.job.kind)}};
    if (event.outcome == jobs::JobEvent::Outcome::retry) job_retries_.Add(labels).Increment();
    if (event.outcome == jobs::JobEvent::Outcome::dead) dead_letters_.Add(labels).Increment();
    const ops::Level level = event.outcome == jobs::JobEvent::Outcome::dead ||
                                     event.outcome == jobs::JobEvent::Outcome::store_error
                                 ? ops::Level::error
                                 : ops::Level::info;
    ops::log_event(level, event.outcome == jobs::JobEvent::Outcome::dead ? "job_dead" : "job",
                   {{"job", static_cast<long long>(event.job.id)},
                    {"kind", store::to_string(event.job.kind)},
                    {"order", event.job.order_id},
                    {"tenant", event.job.tenant},
                    {"provider", event.job.provider},
                    {"status", outcome},
                    {"attempt", event.job.attempts},
                    {"detail", event.detail},
                    {"duration_ms", static_cast<long long>(event.duration.count())}});
  }

  // Declaration order is construction order; destruction runs in reverse, so the server stops
  // before the jobs, the providers die before their plugin host, and the store closes last.
  config::MainSettings main_;
  ops::Metrics& metrics_;
  std::shared_ptr<net::HttpClient> http_;
  std::unique_ptr<store::Store> store_;
  plugins::PluginHost plugin_host_;
  tenants::TestCatalog catalog_;
  orders::OrderService orders_;
  TeamtailorPublisher publisher_;
  prometheus::Family<prometheus::Counter>& job_outcomes_;
  prometheus::Family<prometheus::Counter>& job_retries_;
  prometheus::Family<prometheus::Counter>& dead_letters_;
  prometheus::Family<prometheus::Gauge>& queued_;
  prometheus::Family<prometheus::Gauge>& running_;
  prometheus::Family<prometheus::Gauge>& dead_;
  prometheus::Family<prometheus::Gauge>& waiting_for_provider_;
  prometheus::Gauge& oldest_waiting_;
  prometheus::Counter& reconcile_polls_;
  std::set<std::pair<std::string, std::string>> gauge_keys_;  // housekeeping thread only
  std::unique_ptr<tenants::LiveTenants> tenants_;
  std::unique_ptr<TenantProviders> providers_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<jobs::Reconciler> reconciler_;
  std::unique_ptr<net::HttpServer> server_;
  std::mutex housekeeping_mutex_;
  std::condition_variable housekeeping_cv_;
  bool stopping_ = false;
  std::thread housekeeping_;  // last: started last, joined first
};

}  // namespace

Engine::StartResult Engine::start(const config::Config& config, ops::Metrics& metrics) {
  store::OpenResult opened = store::open_store(config.main.store.url);
  if (!opened.store) return {nullptr, {opened.error}};
  auto engine = std::make_unique<RunningEngine>(config.main, metrics, std::move(opened.store));
  auto errors = engine->start(config.tenants);
  if (!errors.empty()) {
    engine->stop(std::chrono::milliseconds(0));
    return {nullptr, std::move(errors)};
  }
  return {std::move(engine), {}};
}

}  // namespace ttb::app

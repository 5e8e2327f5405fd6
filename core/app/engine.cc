#include "app/engine.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "admin/activity_sampler.h"
#include "admin/overview.h"
#include "app/job_metrics.h"
#include "app/plugin_process_metrics.h"
#include "app/teamtailor_publisher.h"
#include "app/tenant_providers.h"
#include "http/admin_routes.h"
#include "http/console_routes.h"
#include "http/ops_routes.h"
#include "http/partner_routes.h"
#include "jobs/call_deaths.h"
#include "jobs/job_runner.h"
#include "jobs/reconciler.h"
#include "jobs/retention.h"
#include "net/async_http_client.h"
#include "net/http_server.h"
#include "ops/log.h"
#include "ops/thread_name.h"
#include "orders/order_service.h"
#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/isolated_host.h"
#include "store/store.h"
#include "tenants/tenant_directory.h"
#include "tenants/test_catalog.h"

namespace ttb::app {
namespace {

constexpr std::chrono::seconds kTestListTtl{300};
constexpr std::chrono::milliseconds kFirstTestListWait{5000};
// How often the queue gauges are refreshed (a cheap indexed read).
constexpr std::chrono::seconds kQueueMetricsEvery{1};
// The plugin host ends every provider call at its deadline (`plugins.call_timeout_s`,
// CallStatus::timeout); the routes that wait on a call stop waiting this much later, in case a
// call never completes.
constexpr std::chrono::seconds kRoutePluginWaitSlack{1};
// Retention runs at start and then hourly: a window counted in days needs no finer grain.
constexpr std::chrono::hours kRetentionEvery{1};

net::ServerOptions server_options(const config::ServerSettings& s) {
  net::ServerOptions o;
  o.host = s.host;
  o.port = s.port;
  o.max_body_bytes = s.max_body_bytes;
  o.threads = s.threads;
  o.io_threads = s.io_threads;
  o.header_timeout = std::chrono::milliseconds(s.header_timeout_ms);
  o.request_timeout = std::chrono::milliseconds(s.request_timeout_ms);
  o.idle_timeout = std::chrono::seconds(s.idle_timeout_s);
  o.max_connections = s.max_connections;
  o.max_connections_per_ip = s.max_connections_per_ip;
  o.tls_cert_file = s.tls_cert_file.string();
  o.tls_key_file = s.tls_key_file.string();
  return o;
}

// The admin listener shares the public one's limits and deadlines, with few threads (it serves
// operators) and no TLS: it listens on a private address or a Unix socket.
net::ServerOptions admin_options(const config::MainSettings& main) {
  net::ServerOptions o = server_options(main.server);
  o.host = main.admin.host;
  o.port = main.admin.port;
  o.unix_socket_path = main.admin.socket_path.string();
  o.threads = 4;
  o.io_threads = 1;
  o.tls_cert_file.clear();
  o.tls_key_file.clear();
  return o;
}

std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

jobs::RetryPolicy retry_policy(const config::RetrySettings& s) {
  jobs::RetryPolicy p;
  if (s.max_attempts) p.max_attempts = *s.max_attempts;
  if (s.base_delay) p.base_delay = *s.base_delay;
  if (s.max_delay) p.max_delay = *s.max_delay;
  if (s.deadline) p.deadline = *s.deadline;
  return p;
}

// The card's stable report links, when the operator set a key (docs/configuration.md, "Report
// links").
std::shared_ptr<const http::ReportLinks> report_links(const config::ServerSettings& server) {
  if (server.report_link_key.empty()) return nullptr;
  return std::make_shared<const http::ReportLinks>(
      server.public_url, server.report_link_key.reveal(), server.report_link_previous_key.reveal());
}

// One partner-results client per Teamtailor connection, by name.
std::map<std::string, teamtailor::PartnerResultsClient> results_clients(
    const std::shared_ptr<net::HttpClient>& http, const config::TeamtailorSettings& teamtailor) {
  std::map<std::string, teamtailor::PartnerResultsClient> clients;
  for (const config::TeamtailorConnection& c : teamtailor.all_connections()) {
    clients.emplace(c.name, teamtailor::PartnerResultsClient(http, c.api_url, c.api_key.reveal()));
  }
  return clients;
}

class RunningEngine final : public Engine {
 public:
  RunningEngine(const config::MainSettings& main, ops::Metrics& metrics,
                std::unique_ptr<store::Store> store)
      : main_(main),
        metrics_(metrics),
        http_(net::make_http_client()),
        plugin_http_(net::make_async_http_client()),
        store_(std::move(store)),
        plugin_host_(host_options()),
        plugin_process_metrics_(metrics),
        isolated_host_(isolation_options()),
        catalog_(kTestListTtl, kFirstTestListWait),
        orders_(*store_, orders::OrderServiceOptions{main.server.public_url}),
        report_links_(report_links(main.server)),
        publisher_(
            results_clients(http_, main.teamtailor),
            [this](const std::string& tenant) { return connection_of(tenant); }, report_links_),
        job_metrics_(metrics),
        activity_(*store_) {}

  // Second phase: needs `this` fully built (the tenant factory and the routes point into it).
  std::vector<std::string> start(std::vector<config::TenantSettings> tenant_settings) {
    StartedProviders started = start_isolated_providers(tenant_settings);
    auto built = tenants::build_directory(std::move(tenant_settings), provider_factory(&started));
    if (!built.directory) return built.errors;
    tenants_ = std::make_unique<tenants::LiveTenants>(built.directory);
    providers_ = std::make_unique<TenantProviders>(*tenants_);

    if (auto error = open_inflight_journal(); !error.empty()) return {error};
    const config::JobSettings& js = main_.jobs;
    jobs::RunnerOptions runner_options;
    runner_options.steps.inflight_journal = inflight_journal_;
    runner_options.workers = js.workers;
    runner_options.teamtailor_workers = js.teamtailor_workers;
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
    runner_options.steps.on_event = [this](const jobs::JobEvent& event) {
      job_metrics_.on_job_event(event);
    };
    runner_options.on_store_error = [](jobs::StoreWrite what, const store::Error& error) {
      if (what == jobs::StoreWrite::claim) {
        ops::log_error("claim_failed", {{"error", error.message}});
      } else {
        ops::log_warn("wake_waiting_jobs_failed",
                      {{"error", error.message},
                       {"detail", "jobs waiting for a provider run at their next check"}});
      }
    };
    // Other daemons read the leases of a PostgreSQL store's running jobs: renewed three times
    // per lease, they never take a job that runs long here for a dead daemon's.
    if (!main_.store.is_sqlite()) {
      runner_options.lease_renewal =
          std::chrono::duration_cast<std::chrono::milliseconds>(js.lease) / 3;
    }
    runner_options.on_lease_error = [](const store::Error& error) {
      ops::log_error("lease_renewal_failed", {{"error", error.message}});
    };
    runner_options.limits = std::make_shared<jobs::JobLimits>(jobs::LimitOptions{
        js.tenant_concurrency, js.provider_concurrency, js.provider_rate_per_s, {}});
    jobs::BreakerOptions breaker;
    breaker.failures = js.breaker_failures;
    breaker.open_for = js.breaker_open;
    breaker.open_max = js.breaker_open_max;
    jobs::BreakerOptions teamtailor_breaker = breaker;
    breaker.on_change = [this](const jobs::BreakerChange& change) {
      job_metrics_.on_breaker_change(change, breaker_->open_count());
    };
    breaker_ = std::make_shared<jobs::OutageBreaker>(std::move(breaker));
    runner_options.breaker = breaker_;
    // Teamtailor's writes wait out its outages the same way, one breaker per connection.
    teamtailor_breaker.on_change = [this](const jobs::BreakerChange& change) {
      job_metrics_.on_teamtailor_breaker_change(change, teamtailor_breaker_->open_count());
    };
    teamtailor_breaker_ = std::make_shared<jobs::OutageBreaker>(std::move(teamtailor_breaker));
    runner_options.teamtailor_breaker = teamtailor_breaker_;
    runner_options.teamtailor_of = [this](const std::string& tenant) {
      const std::string connection = connection_of(tenant);
      return connection.empty() ? std::string(config::kDefaultConnection) : connection;
    };
    runner_ = std::make_unique<jobs::JobRunner>(*store_, orders_, *providers_, publisher_,
                                                runner_options);
    reconciler_ = std::make_unique<jobs::Reconciler>(
        *store_, jobs::ReconcileOptions{js.reconcile_after, 500, {}});
    retention_ = std::make_unique<jobs::Retention>(
        *store_, jobs::RetentionOptions{main_.store.retention_days, 500, 200, {}});

    // The public listener: what Teamtailor and the vendors call, plus /healthz.
    auto router = std::make_shared<net::Router>();
    http::add_health_route(*router);
    http::PartnerRouteContext context;
    context.main = &main_;
    context.tenants = tenants_.get();
    context.catalog = &catalog_;
    context.orders = &orders_;
    context.plugin_wait = main_.plugin_call_timeout + kRoutePluginWaitSlack;
    context.report_links = report_links_;
    context.callback_deaths = callback_deaths_;
    http::add_partner_routes(*router, context);

    // The admin listener: /metrics, /readyz and the operator API, on an address of its own.
    // Its requests are not counted in the request metrics, which describe the product's traffic.
    auto admin_router = std::make_shared<net::Router>();
    http::add_console_routes(*admin_router);  // the web console: static files, no tenant data
    // The admin listener's own budget of failed tokens, with the public listener's numbers, for
    // /metrics and the operator API alike.
    http::AuthFailureLimits limits;
    limits.burst = main_.server.auth_failure_burst;
    limits.per_minute = main_.server.auth_failure_per_minute;
    auto admin_failures = std::make_shared<http::AuthFailureLimiter>(limits);
    http::add_admin_routes(*admin_router, metrics_,
                           http::AdminRouteOptions{[this] { return store_readiness(); },
                                                   main_.admin.token, admin_failures});
    http::OperatorApiContext api;
    api.store = store_.get();
    api.orders = &orders_;
    api.tenants = tenants_.get();
    api.activity = &activity_;
    api.token = main_.admin.token;
    api.unix_socket = !main_.admin.socket_path.empty();
    api.auth_failures = admin_failures;
    api.outages = [this] {
      admin::Outages outages;
      outages.vendors = breaker_->open_pairs();
      // Teamtailor's pairs are (connection, "teamtailor"): the connection is what operators name.
      for (const std::string& pair : teamtailor_breaker_->open_pairs()) {
        outages.teamtailor.push_back(pair.substr(0, pair.rfind('/')));
      }
      return outages;
    };
    http::add_operator_api(*admin_router, std::move(api));

    try {
      server_ = net::make_http_server(server_options(main_.server), router,
                                      [this](const net::Request& request, const std::string& route,
                                             int status, std::chrono::microseconds elapsed) {
                                        metrics_.observe_request(
                                            route, request.method, status,
                                            std::chrono::duration<double>(elapsed).count());
                                      });
    } catch (const std::exception& e) {
      return {e.what()};
    }
    try {
      admin_server_ = net::make_http_server(admin_options(main_), admin_router, nullptr);
    } catch (const std::exception& e) {
      return {
          fmt::format("admin listener: {}; give it a free address (admin.listen in the main "
                      "config)",
                      e.what())};
    }
    runner_->start();
    server_->start();
    admin_server_->start();
    housekeeping_ = std::thread([this] {
      ops::name_this_thread("ttb-housekeep");
      housekeeping_loop();
    });
    return {};
  }

  unsigned short port() const override { return server_->port(); }
  unsigned short admin_port() const override { return admin_server_->port(); }

  std::size_t tenant_count() const override { return tenants_->current()->all().size(); }

  std::vector<std::string> reload(std::vector<config::TenantSettings> tenant_settings) override {
    auto current = tenants_->current();
    // A reload ends every quarantine, and hands refused callbacks to their plugins again
    // (docs/plugin-isolation.md); one that fails changes neither. The quarantines are lifted
    // before the build, which creates the new instances in those plugins' children.
    const plugins::isolation::LiftedQuarantines lifted = isolated_host_.release_quarantines();
    auto built =
        tenants::build_directory(std::move(tenant_settings), provider_factory(), current.get());
    if (!built.directory) {
      lifted.restore();
      return built.errors;
    }
    if (!lifted.empty())
      plugin_process_metrics_.show_quarantined([this] { return isolated_host_.quarantined(); });
    if (const std::size_t forgiven = callback_deaths_->forgive(); forgiven > 0) {
      ops::log_info("callback_refusals_lifted", {{"callbacks", forgiven}});
    }
    tenants_->replace(built.directory);
    // Providers whose instance a restarted plugin child could not create again are tried again:
    // the build kept them as they were, their settings unchanged. Only the new directory's: one
    // the reload replaced is destroyed instead (a retried create that hangs would kill its child).
    for (const auto& tenant : built.directory->all())
      for (const auto& provider : tenant.providers)
        if (provider.instance) provider.instance->retry_start();
    // A reload closes every breaker, the vendors' and Teamtailor's: the operator may have fixed a
    // provider's address or key, or moved a tenant to another connection. The jobs a breaker held
    // are marked as waiting for their provider, so the wake below makes them due now.
    if (const int closed = breaker_->reset(); closed > 0) {
      job_metrics_.on_breakers_reset(closed);
    }
    if (const int closed = teamtailor_breaker_->reset(); closed > 0) {
      job_metrics_.on_teamtailor_breakers_reset(closed);
    }
    // Jobs that waited for a provider, or were held by a breaker, may run now: make them due
    // (those whose provider is still missing just wait again), then wake the workers.
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
    if (admin_server_) admin_server_->stop(remaining(deadline));
    if (runner_) {
      if (runner_->stop(deadline)) {
        ops::log_info("jobs_drained");
      } else {
        ops::log_warn("jobs_left_running", {{"running", runner_->in_flight()},
                                            {"detail", "they are requeued at the next start"}});
      }
    }
    // An orderly stop: a call still in flight did not kill the daemon, so it counts no death.
    if (inflight_journal_) {
      if (auto error = inflight_journal_->reset(); !error.empty()) {
        ops::log_warn("inflight_journal_reset_failed", {{"error", error}});
      } else {
        callback_deaths_->write_back();  // a stop is not a fix: earlier deaths still count
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
  // /readyz: "" while the store answers a read, else why not. next_due_at is one indexed read
  // through the store's own read path, so a lost database (PostgreSQL down, its connections
  // refused) shows here as it would to the routes and the job runner.
  std::string store_readiness() {
    auto due = store_->next_due_at();
    if (due) return "";
    std::string reason = "the store is unavailable: ";
    reason += due.error().message;
    return reason;
  }

  // The Teamtailor connection of a tenant in the current tenant set ("" when it is gone).
  std::string connection_of(const std::string& tenant) const {
    if (!tenants_) return "";
    auto directory = tenants_->current();
    const tenants::Tenant* found = directory->find(tenant);
    return found ? found->settings.teamtailor_connection : std::string();
  }

  plugins::HostOptions host_options() {
    plugins::HostOptions options;
    options.http = plugin_http_;
    options.call_timeout = main_.plugin_call_timeout;
    options.log_level = plugins::operator_log_level();
    options.log = [](const plugins::HostLogRecord& r) {
      ops::log_event(plugins::to_ops(r.level), r.event,
                     {{"tenant", r.tenant},
                      {"provider", r.provider},
                      {"plugin", r.plugin},
                      {"message", r.message}});
    };
    return options;
  }

  plugins::isolation::IsolationOptions isolation_options() {
    plugins::isolation::IsolationOptions options;
    options.host = host_options();
    const config::PluginConfinement& c = main_.plugin_confinement;
    options.confinement.memory_bytes = c.memory_mb << 20;
    options.confinement.cpu_seconds = c.cpu_seconds;
    options.confinement.open_files = c.open_files;
    options.confinement.seccomp = c.seccomp;
    options.confinement.uid = c.uid;
    options.confinement.gid = c.gid;
    options.on_event = [this](const plugins::isolation::ProcessEvent& event) {
      plugin_process_metrics_.on_event(event);
    };
    return options;
  }

  // Isolated providers whose create is already on its way to their child, by tenant and name.
  using StartedProviders =
      std::map<std::pair<std::string, std::string>, plugins::isolation::PendingProvider>;

  // Sends the create of every enabled isolated provider before build_directory() asks for them
  // one at a time: each child then creates its instances back to back instead of waiting for a
  // round trip per instance (docs/performance.md, start-up with thousands of providers). Each
  // still reports its own error when build_directory() takes it.
  StartedProviders start_isolated_providers(const std::vector<config::TenantSettings>& tenants) {
    StartedProviders started;
    for (const auto& tenant : tenants)
      for (const auto& provider : tenant.providers) {
        if (!provider.enabled || provider.isolation == config::Isolation::inproc) continue;
        std::pair key{tenant.id, provider.name};
        if (started.contains(key)) continue;  // a duplicate name: created when asked for
        started.emplace(std::move(key), isolated_host_.start_provider(tenant.id, provider));
      }
    return started;
  }

  tenants::ProviderFactory provider_factory(StartedProviders* started = nullptr) {
    return [this, started](const std::string& tenant, const config::ProviderSettings& settings)
               -> std::variant<std::shared_ptr<plugins::Provider>, std::string> {
      plugins::CreateProviderResult made;
      if (settings.isolation == config::Isolation::inproc) {
        made = plugin_host_.create_provider(tenant, settings);
      } else if (started != nullptr && started->contains({tenant, settings.name})) {
        made = started->extract({tenant, settings.name}).mapped().wait();
      } else {
        made = isolated_host_.create_provider(tenant, settings);
      }
      if (!made.provider) return made.error;
      return made.provider;
    };
  }

  // Reconciliation sweeps, retention and the queue gauges, off the request and job threads.
  void housekeeping_loop() {
    auto next_sweep = std::chrono::steady_clock::now() + main_.jobs.reconcile_every;
    auto next_purge = std::chrono::steady_clock::now();
    std::unique_lock lock(housekeeping_mutex_);
    while (!stopping_) {
      lock.unlock();
      job_metrics_.refresh_queues(*store_,
                                  [this](const std::string& tenant, const std::string& provider) {
                                    return providers_->find(tenant, provider) != nullptr;
                                  });
      job_metrics_.refresh_breakers(breaker_->open_count(), teamtailor_breaker_->open_count());
      if (auto error = activity_.sample_if_due(std::chrono::system_clock::now())) {
        ops::log_warn("activity_sample_failed", {{"error", *error}});
      }
      if (std::chrono::steady_clock::now() >= next_sweep) {
        next_sweep = std::chrono::steady_clock::now() + main_.jobs.reconcile_every;
        auto sweep = reconciler_->sweep();
        if (!sweep.error.empty()) {
          ops::log_error("reconcile_failed", {{"error", sweep.error}});
        } else if (sweep.polls_enqueued > 0) {
          job_metrics_.count_reconcile_polls(sweep.polls_enqueued);
          ops::log_info("reconcile", {{"polls", sweep.polls_enqueued}});
        }
      }
      if (std::chrono::steady_clock::now() >= next_purge) {
        next_purge = std::chrono::steady_clock::now() + kRetentionEvery;
        purge_expired();
      }
      lock.lock();
      housekeeping_cv_.wait_for(lock, kQueueMetricsEvery, [this] { return stopping_; });
    }
  }

  void purge_expired() {
    const auto run = retention_->run();
    const store::Purged& p = run.purged;
    if (!run.error.empty()) {
      ops::log_error("retention_failed", {{"error", run.error}, {"orders", p.orders}});
    } else if (p.total() > 0) {
      ops::log_info("retention", {{"orders", p.orders},
                                  {"timeline_lines", p.timeline_lines},
                                  {"jobs", p.jobs},
                                  {"event_keys", p.event_keys + p.old_event_keys},
                                  {"batches", run.batches}});
    }
  }

  // Declaration order is construction order; destruction runs in reverse, so the server stops
  // before the jobs, the providers die before their plugin host, and the store closes last.
  config::MainSettings main_;
  ops::Metrics& metrics_;
  // Teamtailor's writes block a job worker each, on the blocking client; the plugins' requests are
  // answered in callbacks, so none of them holds a thread while it is out
  // (net/async_http_client.h).
  std::shared_ptr<net::HttpClient> http_;
  std::shared_ptr<net::HttpClient> plugin_http_;
  std::unique_ptr<store::Store> store_;
  plugins::PluginHost plugin_host_;
  PluginProcessMetrics plugin_process_metrics_;
  plugins::isolation::IsolatedHost isolated_host_;  // isolation: process (the default)
  tenants::TestCatalog catalog_;
  orders::OrderService orders_;
  std::shared_ptr<const http::ReportLinks> report_links_;  // null: vendors' links on the card
  TeamtailorPublisher publisher_;
  JobMetrics job_metrics_;
  admin::ActivitySampler activity_;  // the operator API's charts (GET /api/stats)
  std::unique_ptr<tenants::LiveTenants> tenants_;
  std::unique_ptr<TenantProviders> providers_;
  std::shared_ptr<jobs::OutageBreaker> breaker_;             // before runner_, which holds it too
  std::shared_ptr<jobs::OutageBreaker> teamtailor_breaker_;  // the same
  std::unique_ptr<jobs::JobRunner> runner_;
  // Counts the plugin calls the previous run died in (no poison job, jobs/call_deaths.h), then
  // keeps the journal open for this run's calls. Returns a start-up error, "" when open.
  std::string open_inflight_journal() {
    std::string error;
    const auto path =
        jobs::default_inflight_journal_path(main_.store.sqlite_path(), main_.store.url);
    inflight_journal_ = jobs::InflightJournal::open(path, error);
    if (!inflight_journal_) return error;
    callback_deaths_ = std::make_shared<jobs::CallbackDeaths>(
        inflight_journal_, inflight_journal_->unfinished_callbacks());
    const jobs::RecoveredDeaths recovered = jobs::count_calls_died_in(*inflight_journal_, *store_);
    // Emptied once the jobs' deaths are counted (else kept whole, callbacks included).
    if (recovered.error.empty()) callback_deaths_->write_back();
    if (!callback_deaths_->counted_at_start().empty()) {
      int refused = 0;
      for (const auto& [digest, deaths] : callback_deaths_->counted_at_start())
        refused += jobs::is_poison(deaths) ? 1 : 0;
      ops::log_warn("plugin_callback_deaths",
                    {{"callbacks", callback_deaths_->counted_at_start().size()},
                     {"refused", refused},
                     {"detail",
                      "the daemon died while a plugin handled these vendor callbacks; one that "
                      "killed it twice is refused until a reload"}});
    }
    if (!recovered.job_ids.empty()) {
      std::string ids;
      for (const std::int64_t id : recovered.job_ids) {
        if (!ids.empty()) ids += ",";
        ids += std::to_string(id);
      }
      ops::log_warn("plugin_call_deaths",
                    {{"jobs", ids},
                     {"detail",
                      "the daemon died during these jobs' plugin calls; a job that dies twice "
                      "is a dead letter"}});
    }
    if (!recovered.error.empty())
      ops::log_error("plugin_call_deaths_failed", {{"error", recovered.error}});
    return "";
  }

  std::shared_ptr<jobs::InflightJournal> inflight_journal_;
  std::shared_ptr<jobs::CallbackDeaths> callback_deaths_;
  std::unique_ptr<jobs::Reconciler> reconciler_;
  std::unique_ptr<jobs::Retention> retention_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpServer> admin_server_;
  std::mutex housekeeping_mutex_;
  std::condition_variable housekeeping_cv_;
  bool stopping_ = false;
  std::thread housekeeping_;  // last: started last, joined first
};

}  // namespace

Engine::StartResult Engine::start(config::Config config, ops::Metrics& metrics) {
  store::StoreOptions store_options;
  store_options.job_lease = config.main.jobs.lease;
  auto opened = store::open_store(config.main.store.url, std::move(store_options));
  if (!opened) return {nullptr, {opened.error().message}};
  auto engine = std::make_unique<RunningEngine>(config.main, metrics, std::move(*opened));
  auto errors = engine->start(std::move(config.tenants));
  if (!errors.empty()) {
    engine->stop(std::chrono::milliseconds(0));
    return {nullptr, std::move(errors)};
  }
  return {std::move(engine), {}};
}

}  // namespace ttb::app

#include "app/engine.h"

#include <prometheus/counter.h>

#include "app/teamtailor_publisher.h"
#include "app/tenant_providers.h"
#include "http/ops_routes.h"
#include "http/partner_routes.h"
#include "jobs/job_runner.h"
#include "net/http_server.h"
#include "ops/log.h"
#include "orders/order_service.h"
#include "plugins/plugin_host.h"
#include "store/store.h"
#include "tenants/tenant_directory.h"
#include "tenants/test_catalog.h"

namespace ttb::app {
namespace {

constexpr std::chrono::seconds kTestListTtl{300};
constexpr std::chrono::milliseconds kFirstTestListWait{5000};
constexpr int kJobWorkers = 8;

net::ServerOptions server_options(const config::ServerSettings& s) {
  net::ServerOptions o;
  o.host = s.host;
  o.port = s.port;
  o.max_body_bytes = s.max_body_bytes;
  o.threads = s.threads;
  return o;
}

ops::Level log_level(plugins::LogLevel level) {
  switch (level) {
    case plugins::LogLevel::debug: return ops::Level::debug;
    case plugins::LogLevel::info: return ops::Level::info;
    case plugins::LogLevel::warn: return ops::Level::warn;
    case plugins::LogLevel::error: return ops::Level::error;
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
                          .Register(metrics.registry())) {}

  // Second phase: needs `this` fully built (the tenant factory and the routes point into it).
  std::vector<std::string> start(std::vector<config::TenantSettings> tenant_settings) {
    auto built = tenants::build_directory(std::move(tenant_settings), provider_factory());
    if (!built.directory) return built.errors;
    tenants_ = std::make_unique<tenants::LiveTenants>(built.directory);
    providers_ = std::make_unique<TenantProviders>(*tenants_);

    jobs::RunnerOptions runner_options;
    runner_options.workers = kJobWorkers;
    runner_options.steps.on_event = [this](const jobs::JobEvent& event) { on_job_event(event); };
    runner_ = std::make_unique<jobs::JobRunner>(*store_, orders_, *providers_, publisher_,
                                                runner_options);

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
    return {};
  }

  unsigned short port() const override { return server_->port(); }

  std::size_t tenant_count() const override { return tenants_->current()->all().size(); }

  std::vector<std::string> reload(std::vector<config::TenantSettings> tenant_settings) override {
    auto current = tenants_->current();
    auto built = tenants::build_directory(std::move(tenant_settings), provider_factory(),
                                          current.get());
    if (!built.directory) return built.errors;
    tenants_->replace(built.directory);
    runner_->notify();  // jobs that waited for a provider may run now
    return {};
  }

  void stop(std::chrono::milliseconds grace) override {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    if (server_) server_->stop(grace);
    if (runner_ && !runner_->stop(deadline)) {
      ops::log_warn("jobs_left_running", {{"detail", "they are requeued at the next start"}});
    }
    store_->close();
  }

 private:
  plugins::HostOptions host_options() {
    plugins::HostOptions options;
    options.http = http_;
    options.log = [](const plugins::HostLogRecord& r) {
      ops::log_event(log_level(r.level), r.event,
                     {{"tenant", r.tenant}, {"provider", r.provider}, {"plugin", r.plugin},
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

  void on_job_event(const jobs::JobEvent& event) {
    const char* outcome = jobs::to_string(event.outcome);
    job_outcomes_.Add({{"kind", store::to_string(event.job.kind)}, {"outcome", outcome}})
        .Increment();
    const ops::Level level = event.outcome == jobs::JobEvent::Outcome::dead ||
                                     event.outcome == jobs::JobEvent::Outcome::store_error
                                 ? ops::Level::error
                                 : ops::Level::info;
    ops::log_event(level, event.outcome == jobs::JobEvent::Outcome::dead ? "job_dead" : "job",
                   {{"job", static_cast<long long>(event.job.id)},
                    {"kind", store::to_string(event.job.kind)},
                    {"order", event.job.order_id}, {"tenant", event.job.tenant},
                    {"provider", event.job.provider}, {"status", outcome},
                    {"attempt", event.job.attempts}, {"detail", event.detail},
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
  std::unique_ptr<tenants::LiveTenants> tenants_;
  std::unique_ptr<TenantProviders> providers_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<net::HttpServer> server_;
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

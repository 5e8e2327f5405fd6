#include "pg_phases.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "bench_support.h"
#include "daemon_process.h"
#include "engine_fixture.h"
#include "fakes/hackerrank/fake_hackerrank.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "load.h"
#include "net/http_client.h"
#include "store/pg_connection.h"
#include "temp_dir.h"

namespace ttb::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fakes = ttb::fakes;
namespace hr = ttb::fakes::hackerrank;

constexpr const char* kWebhookSecret = "bench-webhook-secret";

// A new, empty database `name` on the cluster; its URL.
std::string fresh_database(const std::string& cluster_url, const std::string& name) {
  ttb::store::PgConnection admin(cluster_url);
  admin.exec("DROP DATABASE IF EXISTS " + name);
  admin.exec("CREATE DATABASE " + name);
  return cluster_url.substr(0, cluster_url.rfind('/') + 1) + name;
}

// WAL flushes of the whole cluster so far (pg_stat_wal.wal_sync): with group commit, fewer per
// webhook. The server publishes its counters about once a second.
std::int64_t wal_syncs(const std::string& cluster_url) {
  std::this_thread::sleep_for(1200ms);
  ttb::store::PgConnection admin(cluster_url);
  return admin.exec("SELECT wal_sync FROM pg_stat_wal").int64(0, 0);
}

// How often autovacuum has vacuumed `jobs` in the phase's database, created for the phase: until
// a vacuum, the index of queued jobs keeps the entries of the jobs claimed, which claims read past
// until a scan marks them dead (docs/performance.md, "PostgreSQL: the one-daemon figure's two
// modes"). Read after wal_syncs(), whose wait lets the server publish its counters.
std::int64_t jobs_autovacuums(const std::string& database_url) {
  ttb::store::PgConnection db(database_url);
  auto count = db.exec("SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'jobs'");
  return count.empty() ? 0 : count.int64(0, 0);
}

// A directory with 1,000 tenant files and a ttbridged.yaml per daemon, all on one store URL.
class PgBenchSite {
 public:
  PgBenchSite(const PgPhaseOptions& options, const std::string& store_url,
              const std::string& teamtailor_api_url, const hr::FakeHackerRank& hackerrank)
      : options_(options), store_url_(store_url), teamtailor_api_url_(teamtailor_api_url) {
    for (int t = 0; t < options.tenants; ++t) {
      dir_.write("tenants/" + tenant_id(t) + ".yaml",
                 "id: " + tenant_id(t) + "\nactivation_token: \"" + token_of(t) +
                     "\"\nproviders:\n"
                     "  - name: hackerrank\n    plugin: hackerrank\n    config: { api_key: \"" +
                     hackerrank.api_key() + "\", base_url: \"" + hackerrank.base_url() +
                     "\", send_email: false }\n"
                     "  - name: checkr\n    plugin: checkr\n    config: { api_key: \"ck-bench-" +
                     std::to_string(t) + "\", base_url: \"http://127.0.0.1:9/v1\" }\n");
    }
  }

  // Starts daemon number `n` (its own config and working directory); nullptr when it never got
  // ready.
  std::unique_ptr<ttb::testing::DaemonProcess> start_daemon(int n, const std::string& api_key) {
    const std::string address = "127.0.0.1:" + std::to_string(ttb::testing::free_loopback_port());
    const std::string home = "daemon" + std::to_string(n);
    std::filesystem::create_directories(dir_ / home);
    std::string config = "server:\n  listen: \"" + address + "\"\n  public_url: \"http://";
    config += address + "\"\n  threads: " + std::to_string(options_.server_threads);
    config += "\n  max_connections_per_ip: 5000\nadmin: { listen: \"127.0.0.1:0\" }\n";
    config += "teamtailor:\n  api_url: \"" + teamtailor_api_url_ + "\"\n";
    config += "  api_key: \"${env:TT_KEY}\"\n  webhook_secret: \"${env:TT_SECRET}\"\n";
    config += "store: { url: \"" + store_url_ + "\" }\n";
    if (options_.job_workers != 0)
      config += "jobs: { workers: " + std::to_string(options_.job_workers) + " }\n";
    config += "plugins: { dir: \"" + ttb::testing::plugin_dir().string() + "\" }\n";
    config += "tenants: { dir: \"" + (dir_ / "tenants").string() + "\" }\n";
    dir_.write(home + "/ttbridged.yaml", config);
    auto daemon = std::make_unique<ttb::testing::DaemonProcess>(
        dir_ / home / "ttbridged.yaml", dir_ / home,
        std::vector<std::pair<std::string, std::string>>{{"TT_KEY", api_key},
                                                         {"TT_SECRET", kWebhookSecret}},
        options_.ttbridged);
    if (!daemon->start(60s)) {
      std::cerr << "ttbridged on PostgreSQL did not start:\n" << daemon->log() << "\n";
      return nullptr;
    }
    auto client = ttb::net::make_http_client();
    const bool ready = ttb::testing::eventually(
        [&] {
          ttb::net::ClientRequest r;
          r.url = daemon->admin_url() + "/readyz";
          return client->send(r).status == 200;
        },
        60s);
    if (!ready) {
      std::cerr << "ttbridged on PostgreSQL never became ready:\n" << daemon->log() << "\n";
      return nullptr;
    }
    return daemon;
  }

 private:
  const PgPhaseOptions& options_;
  std::string store_url_;
  std::string teamtailor_api_url_;
  ttb::testing::TempDir dir_;
};

void stop(ttb::testing::DaemonProcess& daemon) {
  daemon.signal(SIGTERM);
  daemon.wait_exit(20s);
}

// Webhooks for hackerrank:t1 to `daemons` daemons on one fresh database, split evenly, 16
// connections in all; the clock stops at the last `status: sent` PUT at the Teamtailor fake.
bool e2e_phase(const PgPhaseOptions& options, int daemons, const std::string& database,
               const std::string& figure, PgPhaseResult& out) {
  fakes::FakeTeamtailor teamtailor;
  hr::FakeHackerRank hackerrank;
  hackerrank.add_tests(1);  // "t1"
  const std::string database_url = fresh_database(options.cluster_url, database);
  PgBenchSite site(options, database_url, teamtailor.api_url(), hackerrank);
  std::vector<std::unique_ptr<ttb::testing::DaemonProcess>> running;
  for (int n = 0; n < daemons; ++n) {
    running.push_back(site.start_daemon(n, teamtailor.api_key()));
    if (!running.back()) {
      out.error = figure + ": a daemon did not start";
      return false;
    }
  }
  auto client = std::shared_ptr<ttb::net::HttpClient>(ttb::net::make_http_client());
  fakes::WebhookSender sender(client, running.front()->base_url(), kWebhookSecret,
                              teamtailor.api_key());
  auto hooks =
      make_webhooks(sender, options.tenants, options.e2e_orders, "hackerrank:t1", figure + "-");
  std::vector<std::vector<std::string>> shares(static_cast<size_t>(daemons));
  for (size_t k = 0; k < hooks.size(); ++k) {
    shares[k % shares.size()].push_back(std::move(hooks[k]));
  }
  const std::string load_before = load_average();
  const std::int64_t syncs_before = wal_syncs(options.cluster_url);
  std::vector<LoadResult> loads(static_cast<size_t>(daemons));
  const auto t0 = Clock::now();
  std::vector<std::thread> senders;
  senders.reserve(static_cast<size_t>(daemons));
  for (int n = 0; n < daemons; ++n) {
    senders.emplace_back([&, n] {
      LoadOptions o;
      o.port = running[static_cast<size_t>(n)]->port();
      o.connections = 16 / static_cast<unsigned>(daemons);
      o.max_duration = 20s;
      loads[static_cast<size_t>(n)] = run_load(shares[static_cast<size_t>(n)], o);
    });
  }
  for (auto& t : senders) t.join();
  std::size_t ok = 0;
  nlohmann::json per_daemon = nlohmann::json::array();
  for (const auto& load : loads) {
    ok += load.ok;
    per_daemon.push_back(describe(load));
  }
  const auto done = wait_writes(teamtailor, "sent", ok, 60s);
  const double secs = std::chrono::duration<double>((done ? *done : Clock::now()) - t0).count();
  const std::size_t sent = teamtailor.count_writes("sent");
  const std::int64_t syncs = wal_syncs(options.cluster_url) - syncs_before;
  out.details[figure] = {{"webhooks", per_daemon},
                         {"sent", sent},
                         {"seconds", secs},
                         {"wal_syncs", syncs},
                         {"jobs_autovacuums", jobs_autovacuums(database_url)},
                         {"load_average_before", load_before},
                         {"load_average_after", load_average()}};
  out.figures.push_back({figure, static_cast<double>(sent) / secs, "/s",
                         "(" + std::to_string(sent) + " of " + std::to_string(options.e2e_orders) +
                             " webhooks -> invite -> 'sent', " + std::to_string(daemons) +
                             " daemon(s) on one PostgreSQL)"});
  for (auto& daemon : running) stop(*daemon);
  return true;
}

// Signed webhooks for checkr (whose vendor refuses connections at once, as in the SQLite ingest
// phase) at full speed, closed loop, for at most options.ingest_seconds.
bool ingest_phase(const PgPhaseOptions& options, PgPhaseResult& out) {
  fakes::FakeTeamtailor teamtailor;
  hr::FakeHackerRank hackerrank;
  const std::string database_url = fresh_database(options.cluster_url, "ttb_bench_ingest");
  PgBenchSite site(options, database_url, teamtailor.api_url(), hackerrank);
  auto daemon = site.start_daemon(0, teamtailor.api_key());
  if (!daemon) {
    out.error = "ingest_rps_pg: the daemon did not start";
    return false;
  }
  auto client = std::shared_ptr<ttb::net::HttpClient>(ttb::net::make_http_client());
  fakes::WebhookSender sender(client, daemon->base_url(), kWebhookSecret, teamtailor.api_key());
  auto hooks = make_webhooks(sender, options.tenants, options.ingest_max, "checkr:tasker_standard",
                             "pg-ingest");
  const std::string load_before = load_average();
  const std::int64_t syncs_before = wal_syncs(options.cluster_url);
  LoadOptions full;
  full.port = daemon->port();
  full.connections = options.connections;
  full.max_duration = std::chrono::milliseconds(static_cast<long>(options.ingest_seconds * 1000));
  const auto ingest = run_load(hooks, full);
  const std::int64_t syncs = wal_syncs(options.cluster_url) - syncs_before;
  nlohmann::json d = describe(ingest);
  d["wal_syncs"] = syncs;
  d["jobs_autovacuums"] = jobs_autovacuums(database_url);
  d["load_average_before"] = load_before;
  d["load_average_after"] = load_average();
  out.details["ingest_pg"] = d;
  out.figures.push_back({"ingest_rps_pg", ingest.rps, "/s",
                         "(" + std::to_string(ingest.ok) + " ok, " + std::to_string(ingest.failed) +
                             " failed, " + std::to_string(options.connections) +
                             " connections, PostgreSQL)"});
  out.figures.push_back({"ingest_p99_ms_pg", ingest.p99_ms, "ms", ""});
  stop(*daemon);
  return true;
}

}  // namespace

PgPhaseResult run_pg_phases(const PgPhaseOptions& options) {
  PgPhaseResult out;
  try {
    if (!ingest_phase(options, out)) return out;
    if (!e2e_phase(options, 1, "ttb_bench_e2e1", "e2e_invites_per_s_pg", out)) return out;
    if (!e2e_phase(options, 2, "ttb_bench_e2e2", "e2e_invites_per_s_pg_2daemons", out)) {
      return out;
    }
  } catch (const ttb::store::PgError& e) {
    out.error = e.what();
    return out;
  }
  double one = 0;
  double two = 0;
  for (const auto& f : out.figures) {
    if (f.name == "e2e_invites_per_s_pg") one = f.value;
    if (f.name == "e2e_invites_per_s_pg_2daemons") two = f.value;
  }
  out.figures.push_back({"pg_2daemons_vs_1", one > 0 ? two / one : 0, "ratio", "(bar: >= 1.5)"});
  return out;
}

}  // namespace ttb::bench

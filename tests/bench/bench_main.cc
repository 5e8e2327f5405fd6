// ttb_bench: the figures of docs/performance.md, "The bars", for scripts/bench. Starts the fakes
// (Teamtailor, HackerRank), writes 1,000 tenant files of 2 providers each, runs the real ttbridged
// on them and measures start-up, idle memory, the end-to-end flows, ingest at full and half load
// and memory under load; then runs nginx with a static 200 under the same generator as the
// machine's ceiling. Prints one line per figure and writes them all as JSON. Loopback only; every
// loop is bounded in count and time. A burst of one tenant's orders (burst.h) runs between the
// end-to-end flows and ingest.

#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.h"
#include "burst.h"
#include "daemon_process.h"
#include "engine_fixture.h"
#include "fakes/hackerrank/fake_hackerrank.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "load.h"
#include "net/http_client.h"
#include "pg_phases.h"
#include "slow_clients.h"
#include "temp_dir.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fakes = ttb::fakes;
namespace hr = ttb::fakes::hackerrank;
using ttb::bench::describe;
using ttb::bench::make_webhooks;
using ttb::bench::raw_request;
using ttb::bench::tenant_id;
using ttb::bench::token_of;
using ttb::bench::wait_writes;

constexpr const char* kWebhookSecret = "bench-webhook-secret";
constexpr int kTenants = 1000;

struct Args {
  std::string out = "build/bench.json";
  std::string plugin_json;  // Google Benchmark output of ttb_bench_plugin_call
  std::string nginx = "/usr/sbin/nginx";
  std::string keep_dir;  // copy the daemon's log there (profiling)
  int e2e_orders = 2000;
  int burst_orders = 2000;  // one tenant, one provider (0: skip the phase)
  std::string ttbridged;    // another ttbridged to measure (e.g. a build before a change)
  int ingest_max = 60000;
  unsigned connections = 128;  // in flight at once: the group commit batches what is in flight
  double ingest_seconds = 5;
  double half_seconds = 4;
  // The daemon's HTTP workers (server.threads): its default. A webhook waits for no worker on
  // either store (docs/architecture.md, "The threading model"), so more add nothing; figures
  // before 2026-12-01 were recorded with 160 (docs/performance.md, "A webhook's worker does not
  // wait for its commit").
  unsigned server_threads = 16;
  unsigned job_workers = 0;  // 0: the daemon's default (jobs.workers)
  // e2e_results: threads delivering the vendor's result webhooks, each waiting for its answer
  // before the next (the bar's figure is taken with 8).
  unsigned result_senders = 8;
  // server.max_connections_per_ip; 0 leaves the key out (a daemon that predates it).
  int per_ip_cap = 5000;
  int slow_idle = 1000;             // slow-clients phase: connections that send nothing
  int slow_trickling = 100;         // and connections that trickle a header line a second
  bool pause_for_profiler = false;  // print the daemon's pid and wait 3 s before a phase
  // Each provider's `isolation` (process or inproc); empty leaves the key out: the default,
  // process (docs/plugin-isolation.md).
  std::string isolation;
  std::string pg_url;  // a throwaway PostgreSQL cluster: run only the PostgreSQL phases on it
  // Each ingest phase's latencies, one line per 2xx answer: ingest-full.txt and ingest-half.txt.
  std::string latency_dir;
};

double rss_mb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::strlen(field))) / 1024.0;
  }
  return -1;
}

// With --pause: print the daemon's pid and give a profiler 3 s to attach before `phase` starts.
void pause_for_profiler(const Args& args, const ttb::testing::DaemonProcess& daemon,
                        const char* phase) {
  if (!args.pause_for_profiler) return;
  std::printf("ttbridged pid %d: %s starts in 3 s\n", daemon.pid(), phase);
  std::fflush(stdout);
  std::this_thread::sleep_for(3s);
}

// The CPU time the process has used so far (user and system, /proc/<pid>/stat), in seconds: its
// own threads only, not its plugin children's.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int n = 3; n <= 15 && fields >> field; ++n) {
    if (n == 14 || n == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

class Figures {
 public:
  void add(const std::string& name, double value, const std::string& unit,
           const std::string& note = "") {
    json_[name] = value;
    std::printf("%-26s %12.3f %-8s %s\n", name.c_str(), value, unit.c_str(), note.c_str());
    std::fflush(stdout);
  }
  void info(const std::string& name, nlohmann::json value) {
    json_["details"][name] = std::move(value);
  }
  const nlohmann::json& json() const { return json_; }

 private:
  nlohmann::json json_ = nlohmann::json::object();
};

// nginx answering a static 200, as a non-daemon child on a free port.
class Nginx {
 public:
  Nginx(const std::string& binary, const std::filesystem::path& dir) {
    port_ = ttb::testing::free_loopback_port();
    std::filesystem::create_directories(dir / "logs");
    std::ofstream(dir / "nginx.conf")
        << "worker_processes auto;\ndaemon off;\npid " << (dir / "nginx.pid").string()
        << ";\nerror_log " << (dir / "logs/error.log").string()
        << " warn;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << (dir / "body").string() << ";\n"
        << "  proxy_temp_path " << (dir / "proxy").string() << ";\n"
        << "  fastcgi_temp_path " << (dir / "fastcgi").string() << ";\n"
        << "  uwsgi_temp_path " << (dir / "uwsgi").string() << ";\n"
        << "  scgi_temp_path " << (dir / "scgi").string() << ";\n"
        << "  keepalive_requests 1000000;\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << "    location / { return 200 '{\"ok\":true}'; }\n  }\n}\n";
    const std::string conf = (dir / "nginx.conf").string();
    const std::string prefix = dir.string() + "/";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(binary.c_str(), binary.c_str(), "-p", prefix.c_str(), "-c", conf.c_str(),
              static_cast<char*>(nullptr));
      _exit(127);
    }
    ready_ = ttb::testing::eventually(
        [&] {
          ttb::net::ClientRequest r;
          r.url = "http://127.0.0.1:" + std::to_string(port_) + "/";
          return client_->send(r).status == 200;
        },
        10s);
  }
  ~Nginx() {
    if (pid_ > 0) {
      ::kill(pid_, SIGQUIT);
      int status = 0;
      for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(10ms);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, WNOHANG);
    }
  }
  bool ready() const { return ready_; }
  unsigned short port() const { return port_; }

 private:
  std::unique_ptr<ttb::net::HttpClient> client_ = ttb::net::make_http_client();
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  bool ready_ = false;
};

// `scripts/bench --store postgresql` (tests/bench/pg_phases.cc): its figures are added to those
// already in args.out, so that one file holds both stores'.
int run_pg(const Args& args) {
  ttb::bench::PgPhaseOptions options;
  options.cluster_url = args.pg_url;
  options.e2e_orders = args.e2e_orders;
  options.ingest_max = args.ingest_max;
  options.connections = args.connections;
  options.ingest_seconds = args.ingest_seconds;
  options.server_threads = args.server_threads;
  options.ttbridged = args.ttbridged;
  options.job_workers = args.job_workers;
  const auto result = ttb::bench::run_pg_phases(options);
  std::ifstream in(args.out);
  auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object()) json = nlohmann::json::object();
  for (const auto& f : result.figures) {
    json[f.name] = f.value;
    std::printf("%-30s %12.3f %-8s %s\n", f.name.c_str(), f.value, f.unit.c_str(), f.note.c_str());
  }
  for (const auto& [name, value] : result.details.items()) json["details"][name] = value;
  std::ofstream(args.out) << json.dump(2) << "\n";
  if (!result.error.empty()) std::cerr << "PostgreSQL phases: " << result.error << "\n";
  return result.error.empty() ? 0 : 1;
}

int run(const Args& args) {
  Figures figures;
  ttb::testing::TempDir dir;
  fakes::FakeTeamtailor teamtailor;
  hr::FakeHackerRank hackerrank;
  hackerrank.add_tests(1);  // "t1"

  // --- config: the main file and 1,000 tenants of 2 providers each --------------------------
  // A fixed port, so that public_url (the base of HackerRank's test_result_url) reaches the daemon.
  const std::string address = "127.0.0.1:" + std::to_string(ttb::testing::free_loopback_port());
  // Every bench connection comes from 127.0.0.1: the slow-clients phase alone opens 1,100.
  std::string per_ip_cap;
  if (args.per_ip_cap > 0) {
    per_ip_cap = "  max_connections_per_ip: ";
    per_ip_cap += std::to_string(args.per_ip_cap);
    per_ip_cap += '\n';
  }
  dir.write("ttbridged.yaml",
            "server:\n  listen: \"" + address + "\"\n  public_url: \"http://" + address +
                "\"\n"
                "  threads: " +
                std::to_string(args.server_threads) + "\n" + per_ip_cap +
                "admin: { listen: \"127.0.0.1:0\" }\n"
                "teamtailor:\n  api_url: \"" +
                teamtailor.api_url() +
                "\"\n"
                "  api_key: \"${env:TT_KEY}\"\n  webhook_secret: \"${env:TT_SECRET}\"\n"
                "store: { url: \"sqlite://var/ttbridge.db\" }\n" +
                (args.job_workers ? "jobs: { workers: " + std::to_string(args.job_workers) + " }\n"
                                  : std::string()) +
                "plugins: { dir: \"" + ttb::testing::plugin_dir().string() +
                "\" }\n"
                "tenants: { dir: \"tenants\" }\n");
  std::string isolation;
  if (!args.isolation.empty()) {
    isolation = "    isolation: ";
    isolation += args.isolation;
    isolation += '\n';
  }
  for (int t = 0; t < kTenants; ++t) {
    dir.write("tenants/" + tenant_id(t) + ".yaml",
              "id: " + tenant_id(t) + "\nactivation_token: \"" + token_of(t) +
                  "\"\nproviders:\n"
                  "  - name: hackerrank\n    plugin: hackerrank\n    config: { api_key: \"" +
                  hackerrank.api_key() + "\", base_url: \"" + hackerrank.base_url() +
                  "\", send_email: false }\n" + isolation +
                  "  - name: checkr\n    plugin: checkr\n    config: { api_key: \"ck-bench-" +
                  std::to_string(t) + "\", base_url: \"http://127.0.0.1:9/v1\" }\n" + isolation);
  }
  std::filesystem::create_directories(dir / "var");

  ttb::testing::DaemonProcess daemon(
      dir / "ttbridged.yaml", dir.path(),
      {{"TT_KEY", teamtailor.api_key()}, {"TT_SECRET", kWebhookSecret}}, args.ttbridged);
  auto client = std::shared_ptr<ttb::net::HttpClient>(ttb::net::make_http_client());

  // --- start-up to ready --------------------------------------------------------------------
  const auto started = Clock::now();
  if (!daemon.start(30s)) {
    std::cerr << "ttbridged did not start:\n" << daemon.log() << "\n";
    return 1;
  }
  bool ready = ttb::testing::eventually(
      [&] {
        ttb::net::ClientRequest r;
        r.url = daemon.admin_url() + "/readyz";
        return client->send(r).status == 200;
      },
      30s);
  const double startup_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  if (!ready) {
    std::cerr << "ttbridged never became ready\n";
    return 1;
  }
  figures.add("startup_ms", startup_ms, "ms",
              "(1,000 tenant files, 2,000 providers, to /readyz 200)");

  std::this_thread::sleep_for(2s);
  figures.add("rss_idle_mb", rss_mb(daemon.pid(), "VmRSS:"), "MB", "(after start-up, 2 s idle)");

  fakes::WebhookSender sender(client, daemon.base_url(), kWebhookSecret, teamtailor.api_key());

  // --- end to end: webhook -> HackerRank invite -> "sent" at Teamtailor -------------------------
  {
    auto hooks = make_webhooks(sender, kTenants, args.e2e_orders, "hackerrank:t1", "e2e");
    ttb::bench::LoadOptions o;
    o.port = daemon.port();
    o.connections = 16;
    o.max_duration = 20s;
    const auto t0 = Clock::now();
    auto load = ttb::bench::run_load(hooks, o);
    figures.info("e2e_webhooks", describe(load));
    auto done = wait_writes(teamtailor, "sent", load.ok, 60s);
    const double secs = std::chrono::duration<double>((done ? *done : Clock::now()) - t0).count();
    const std::size_t sent = teamtailor.count_writes("sent");
    figures.add("e2e_invites_per_s", static_cast<double>(sent) / secs, "/s",
                "(" + std::to_string(sent) + " of " + std::to_string(args.e2e_orders) +
                    " webhooks -> HackerRank fake invite -> 'sent' PUT to the Teamtailor fake)");
  }

  // --- end to end: vendor result webhook -> "completed" at Teamtailor --------------------------
  {
    std::vector<std::string> candidates;
    for (int k = 0; k < args.e2e_orders; ++k) {
      auto id = hackerrank.candidate_id_for("t1", "e2e" + std::to_string(k) + "@example.org");
      if (id) candidates.push_back(*id);
    }
    hr::Outcome outcome;
    outcome.percentage_score = 85;
    for (const auto& c : candidates) hackerrank.finish(c, outcome);
    pause_for_profiler(args, daemon, "results");
    std::atomic<std::size_t> next{0}, delivered{0};
    std::mutex error_mutex;
    std::string first_error;
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < args.result_senders; ++t) {
      threads.emplace_back([&] {
        for (std::size_t k; (k = next++) < candidates.size();) {
          auto d = hackerrank.send_webhook(candidates[k]);
          if (d.status >= 200 && d.status < 300) {
            ++delivered;
          } else {
            std::lock_guard lock(error_mutex);
            if (first_error.empty())
              first_error = std::to_string(d.status) + " " + d.error + d.response_body;
          }
          if (Clock::now() - t0 > 60s) break;
        }
      });
    }
    for (auto& t : threads) t.join();
    // When the last callback was answered, and how many cards were written by then: which of
    // the two halves (callbacks, or the pushes after them) the phase waited for.
    const double callbacks_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const std::size_t completed_at_callbacks = teamtailor.count_writes("completed");
    auto done = wait_writes(teamtailor, "completed", delivered.load(), 60s);
    const double secs = std::chrono::duration<double>((done ? *done : Clock::now()) - t0).count();
    const std::size_t completed = teamtailor.count_writes("completed");
    figures.info("e2e_results", {{"candidates", candidates.size()},
                                 {"delivered", delivered.load()},
                                 {"callbacks_s", callbacks_s},
                                 {"completed_at_callbacks", completed_at_callbacks},
                                 {"first_error", first_error}});
    figures.add("e2e_results_per_s", static_cast<double>(completed) / secs, "/s",
                "(" + std::to_string(completed) +
                    " result webhooks -> 'completed' PUT to the Teamtailor fake)");
  }

  // --- burst: 2,000 orders of one tenant to HackerRank; the `sent` cards must keep up ----------
  if (args.burst_orders > 0) {
    ttb::bench::BurstOptions o;
    o.port = daemon.port();
    o.orders = args.burst_orders;
    o.webhook = [&](int k) {
      fakes::WebhookParams p;
      p.test = "hackerrank:t1";
      p.email = "burst" + std::to_string(k) + "@example.org";
      p.candidate_id = 500000 + k;
      p.company_uuid = "bench-company-0";
      return raw_request(sender.build(token_of(0), p));
    };
    o.invitations_made = [&] { return static_cast<std::size_t>(hackerrank.invitations_created()); };
    const auto b = ttb::bench::run_burst(teamtailor, o);
    figures.info("burst", {{"orders", args.burst_orders},
                           {"accepted", b.accepted},
                           {"invited", b.invited},
                           {"sent", b.sent},
                           {"samples", b.samples},
                           {"first_error", b.first_error}});
    figures.add("burst_first_sent_ms", b.first_sent_ms, "ms",
                "(first webhook of the burst -> first 'sent' card at the Teamtailor fake)");
    figures.add("burst_drain_s", b.drain_s, "s",
                "(" + std::to_string(b.sent) + " 'sent' cards of " +
                    std::to_string(args.burst_orders) + " orders of one tenant)");
    figures.add("burst_max_sent_lag", static_cast<double>(b.max_sent_lag), "orders",
                "(invitations made minus 'sent' cards written, sampled every 10 ms)");
  }

  // --- ingest at full load ------------------------------------------------------------------
  // These orders go to the checkr provider, whose vendor address refuses connections at once:
  // the job runner still picks up every invite job (and schedules its retry), but no fake
  // vendor or Teamtailor burns CPU on this machine while the ingest path is measured.
  auto hooks = make_webhooks(sender, kTenants, args.ingest_max, "checkr:tasker_standard", "ingest");
  auto half_hooks =
      make_webhooks(sender, kTenants, args.ingest_max, "checkr:tasker_standard", "half");
  pause_for_profiler(args, daemon, "ingest");
  ttb::bench::LoadOptions full;
  full.port = daemon.port();
  full.connections = args.connections;
  full.max_duration = std::chrono::milliseconds(static_cast<long>(args.ingest_seconds * 1000));
  if (!args.latency_dir.empty()) full.latency_log = args.latency_dir + "/ingest-full.txt";
  const double daemon_cpu_before = cpu_seconds(daemon.pid());
  auto ingest = ttb::bench::run_load(hooks, full);
  const double daemon_cpu = cpu_seconds(daemon.pid()) - daemon_cpu_before;
  figures.info("ingest_full", describe(ingest));
  figures.info("generator_ceiling_rps_per_core",
               ingest.cpu_seconds > 0 ? ingest.sent / ingest.cpu_seconds : 0);
  figures.add("ingest_rps", ingest.rps, "/s",
              "(" + std::to_string(ingest.ok) + " ok, " + std::to_string(ingest.failed) +
                  " failed, " + std::to_string(args.connections) + " connections)");
  figures.add("ingest_p50_ms", ingest.p50_ms, "ms");
  figures.add("ingest_p99_ms", ingest.p99_ms, "ms");
  // Less noisy than the rate on a shared machine: it does not count the time spent waiting for a
  // core. It includes what the job runner does meanwhile with the phase's invite jobs.
  figures.add("ingest_daemon_cpu_us", ingest.ok > 0 ? daemon_cpu * 1e6 / ingest.ok : 0, "us",
              "(the daemon's CPU per acknowledged webhook, its plugin children not counted)");
  figures.info("rss_peak_mb_after_full_load", rss_mb(daemon.pid(), "VmHWM:"));

  std::this_thread::sleep_for(1s);
  ttb::bench::LoadOptions half = full;
  half.rate = std::max(1.0, ingest.rps / 2);
  half.max_duration = std::chrono::milliseconds(static_cast<long>(args.half_seconds * 1000));
  if (!args.latency_dir.empty()) half.latency_log = args.latency_dir + "/ingest-half.txt";
  auto halfload = ttb::bench::run_load(half_hooks, half);
  figures.info("ingest_half", describe(halfload));
  figures.add("ingest_half_load_p99_ms", halfload.p99_ms, "ms",
              "(open loop at " + std::to_string(static_cast<int>(half.rate)) +
                  "/s, latency from the scheduled send)");
  figures.add("rss_peak_mb", rss_mb(daemon.pid(), "VmHWM:"), "MB", "(peak RSS over the whole run)");

  // --- slow clients: idle and trickling connections must not delay anyone else ----------------
  // While they hold their connections, /healthz and signed webhooks alternate at 50/s in all
  // (open loop, 8 connections) for 5 s; an answer that never comes counts as failed.
  if (args.slow_idle + args.slow_trickling > 0) {
    std::vector<std::string> mixed;
    auto slow_hooks = make_webhooks(sender, kTenants, 125, "checkr:tasker_standard", "slow");
    const std::string healthz = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
    for (auto& hook : slow_hooks) {
      mixed.push_back(healthz);
      mixed.push_back(std::move(hook));
    }
    ttb::bench::SlowClients slow(daemon.port(), args.slow_idle, args.slow_trickling);
    std::this_thread::sleep_for(1s);  // the slow clients settle in before the measurement
    ttb::bench::LoadOptions o;
    o.port = daemon.port();
    o.connections = 8;
    o.rate = 50;
    o.max_duration = 5s;
    auto r = ttb::bench::run_load(mixed, o);
    nlohmann::json d = describe(r);
    d["slow_connected"] = slow.connected();
    d["slow_reconnects"] = slow.reconnects();
    figures.info("slow_clients", d);
    std::string note = "(";
    note += std::to_string(r.ok);
    note += " ok, ";
    note += std::to_string(r.failed);
    note += " failed; ";
    note += std::to_string(args.slow_idle);
    note += " idle + ";
    note += std::to_string(args.slow_trickling);
    note += " trickling connections)";
    figures.add("slow_clients_p99_ms", r.p99_ms, "ms", note);
  }
  if (!args.keep_dir.empty()) {
    std::filesystem::create_directories(args.keep_dir);
    std::filesystem::copy_file(dir / "ttbridged.log",
                               std::filesystem::path(args.keep_dir) / "ttbridged.log",
                               std::filesystem::copy_options::overwrite_existing);
  }
  daemon.signal(SIGTERM);
  daemon.wait_exit(20s);

  // --- the ceiling: nginx with a static 200, same generator, same requests ---------------------
  if (std::filesystem::exists(args.nginx)) {
    Nginx nginx(args.nginx, dir / "nginx");
    if (nginx.ready()) {
      ttb::bench::LoadOptions o = full;
      o.port = nginx.port();
      auto n = ttb::bench::run_load(hooks, o);
      figures.info("nginx", describe(n));
      figures.info("generator_ceiling_rps_per_core_nginx",
                   n.cpu_seconds > 0 ? n.sent / n.cpu_seconds : 0);
      figures.add("nginx_rps", n.rps, "/s", "(static 200, same requests and connections)");
      figures.add("ingest_vs_nginx", n.rps > 0 ? ingest.rps / n.rps : 0, "ratio");
    } else {
      std::cerr << "nginx did not start; see " << (dir / "nginx/logs/error.log") << "\n";
    }
  } else {
    std::cerr << "no nginx at " << args.nginx << ": nginx_rps skipped\n";
  }

  // --- plugin_call_ns from the Google Benchmark run --------------------------------------------
  if (!args.plugin_json.empty()) {
    std::ifstream in(args.plugin_json);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_discarded()) {
      for (const auto& b : j.value("benchmarks", nlohmann::json::array())) {
        const std::string name = b.value("name", "");
        const double ns = b.value("real_time", 0.0);
        if (name.rfind("BM_PluginCall/", 0) == 0 || name == "BM_PluginCall/real_time") {
          figures.add("plugin_call_ns", ns, "ns",
                      "(list_tests on a no-op plugin through PluginHost)");
        } else if (name.rfind("BM_PluginCallIsolated", 0) == 0) {
          figures.add("plugin_call_ns_isolated", ns, "ns",
                      "(the same call with the plugin in a ttb-plugin-host child)");
        } else if (name.rfind("BM_PluginCallCreateOrder", 0) == 0) {
          figures.info("plugin_create_order_ns", ns);
        }
      }
    }
  }

  figures.info("machine", {{"cores", std::thread::hardware_concurrency()}});
  std::ofstream(args.out) << figures.json().dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--out")
      args.out = value();
    else if (a == "--plugin-json")
      args.plugin_json = value();
    else if (a == "--nginx")
      args.nginx = value();
    else if (a == "--keep")
      args.keep_dir = value();
    else if (a == "--e2e-orders")
      args.e2e_orders = std::stoi(value());
    else if (a == "--burst-orders")
      args.burst_orders = std::stoi(value());
    else if (a == "--ttbridged")
      args.ttbridged = value();
    else if (a == "--ingest-max")
      args.ingest_max = std::stoi(value());
    else if (a == "--connections")
      args.connections = static_cast<unsigned>(std::stoi(value()));
    else if (a == "--ingest-seconds")
      args.ingest_seconds = std::stod(value());
    else if (a == "--server-threads")
      args.server_threads = static_cast<unsigned>(std::stoi(value()));
    else if (a == "--job-workers")
      args.job_workers = static_cast<unsigned>(std::stoi(value()));
    else if (a == "--result-senders")
      args.result_senders = static_cast<unsigned>(std::max(1, std::stoi(value())));
    else if (a == "--per-ip-cap")
      args.per_ip_cap = std::stoi(value());
    else if (a == "--isolation")
      args.isolation = value();
    else if (a == "--slow-idle")
      args.slow_idle = std::stoi(value());
    else if (a == "--slow-trickling")
      args.slow_trickling = std::stoi(value());
    else if (a == "--pause")
      args.pause_for_profiler = true;
    else if (a == "--pg-url")
      args.pg_url = value();
    else if (a == "--latency-dir")
      args.latency_dir = value();
    else {
      std::cerr
          << "usage: ttb_bench [--out FILE] [--plugin-json FILE] [--nginx PATH] [--keep DIR]\n"
             "  [--e2e-orders N] [--ingest-max N] [--connections N] [--server-threads N] "
             "[--job-workers N]\n  [--ingest-seconds S] [--per-ip-cap N] [--slow-idle N] "
             "[--slow-trickling N] [--pause] [--pg-url URL]\n  [--burst-orders N] [--ttbridged "
             "PATH] [--isolation process|inproc] [--result-senders N]\n  [--latency-dir DIR]\n";
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  if (!args.pg_url.empty()) return run_pg(args);
  return run(args);
}

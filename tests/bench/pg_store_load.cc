// ttb_bench_pg_store: the store alone, without HTTP: THREADS threads call accept_order (a new
// order, its webhook event and invite job, as a webhook does) on one store for SECONDS, and it
// prints the orders committed per second. Isolates the PostgreSQL write path (group commit,
// prepared statements) from the daemon's HTTP and signature work; docs/performance.md.
//   ttb_bench_pg_store URL [THREADS=16] [SECONDS=5] [MAX_BATCH=512]
// MAX_BATCH 1 turns group commit off (every write its own transaction).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ttb_bench_pg_store URL [THREADS] [SECONDS] [MAX_BATCH]\n");
    return 2;
  }
  const std::string url = argv[1];
  const int threads = argc > 2 ? std::stoi(argv[2]) : 16;
  const double seconds = argc > 3 ? std::stod(argv[3]) : 5;
  ttb::store::StoreOptions options;
  if (argc > 4) options.max_batch = std::stoi(argv[4]);
  auto store = ttb::store::open_store(url, options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  // Ids unique per run, so that runs may share a database.
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  std::atomic<long> created{0};
  std::atomic<long> failed{0};
  const auto t0 = std::chrono::steady_clock::now();
  const auto until = t0 + std::chrono::duration<double>(seconds);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
        ttb::store::NewOrder o;
        o.id = "bench-" + run + "-" + std::to_string(t) + "-" + std::to_string(i);
        o.event_id = "ev-" + o.id;
        o.sighting_digest = "digest-" + o.id;
        o.tenant = "t" + std::to_string(i % 1000);
        o.provider = "hackerrank";
        o.test_id = "t1";
        o.company_uuid = "bench-company";
        o.candidate_json = R"({"id":"1001","email":"ada@example.org"})";
        o.job_json = R"({"id":"77","title":"C++ Engineer"})";
        o.options_json = R"({"test":"hackerrank:t1"})";
        o.callback_url = "https://ttb.example/callbacks/" + o.tenant + "/hackerrank/orders/" + o.id;
        o.answer_status = 202;
        o.answer_body = "accepted";
        auto accepted = (*store)->accept_order(o);
        if (accepted && accepted->outcome == ttb::store::Accepted::Outcome::created) {
          ++created;
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto stats = (*store)->stats();
  std::printf(
      "accept_order %.0f /s (%ld created, %ld failed, %d threads, %.1f s); "
      "%.1f writes per transaction\n",
      static_cast<double>(created.load()) / secs, created.load(), failed.load(), threads, secs,
      stats.transactions
          ? static_cast<double>(stats.writes) / static_cast<double>(stats.transactions)
          : 0.0);
  return 0;
}

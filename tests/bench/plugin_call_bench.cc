// plugin_call_ns: one provider call through PluginHost to a plugin that answers at once, and the
// wait for its future. Google Benchmark picks the iteration count; run by scripts/bench.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "plugins/internal/plugin_host.h"

namespace {

class NoHttp : public ttb::net::HttpClient {
 public:
  ttb::net::ClientResponse send(const ttb::net::ClientRequest&) override {
    ttb::net::ClientResponse r;
    r.error = "no HTTP in the bench";
    return r;
  }
};

void BM_PluginCall(benchmark::State& state) {
  ttb::plugins::HostOptions options;
  options.http = std::make_shared<NoHttp>();
  options.log = [](const ttb::plugins::HostLogRecord&) {};
  ttb::plugins::PluginHost host(options);
  auto made =
      host.create_provider("bench", "noop", TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object());
  if (!made.provider) {
    state.SkipWithError(made.error.c_str());
    return;
  }
  for (auto _ : state) {
    ttb::plugins::CallResult r = made.provider->list_tests().get();
    if (!r.ok()) {
      state.SkipWithError(r.detail.c_str());
      break;
    }
    benchmark::DoNotOptimize(r.json.data());
  }
}
BENCHMARK(BM_PluginCall)->UseRealTime();

void BM_PluginCallCreateOrder(benchmark::State& state) {
  ttb::plugins::HostOptions options;
  options.http = std::make_shared<NoHttp>();
  options.log = [](const ttb::plugins::HostLogRecord&) {};
  ttb::plugins::PluginHost host(options);
  auto made =
      host.create_provider("bench", "noop", TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object());
  if (!made.provider) {
    state.SkipWithError(made.error.c_str());
    return;
  }
  const std::string request =
      R"({"order_id":"o-1","test_id":"t1","candidate":{"id":1,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.org"},"callback_url":"http://127.0.0.1:9/callbacks/a/b/orders/o-1"})";
  for (auto _ : state) {
    ttb::plugins::CallResult r = made.provider->create_order(request).get();
    benchmark::DoNotOptimize(r.json.data());
  }
}
BENCHMARK(BM_PluginCallCreateOrder)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

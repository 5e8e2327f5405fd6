// plugin_call_ns: one provider call through PluginHost to a plugin that answers at once, and the
// wait for its future. Google Benchmark picks the iteration count; run by scripts/bench.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "plugin_call_support.h"
#include "plugins/internal/plugin_host.h"

namespace {

// The in-process host with the no-op plugin's provider; nullptr (and the error on `state`) when
// it cannot be made.
std::shared_ptr<ttb::plugins::Provider> noop_provider(ttb::plugins::PluginHost& host,
                                                      benchmark::State& state) {
  auto made =
      host.create_provider("bench", "noop", TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object());
  if (!made.provider) state.SkipWithError(made.error.c_str());
  return made.provider;
}

void BM_PluginCall(benchmark::State& state) {
  ttb::plugins::PluginHost host(ttb::bench::quiet_host_options());
  if (auto provider = noop_provider(host, state)) ttb::bench::time_list_tests(state, *provider);
}
BENCHMARK(BM_PluginCall)->UseRealTime();

void BM_PluginCallCreateOrder(benchmark::State& state) {
  ttb::plugins::PluginHost host(ttb::bench::quiet_host_options());
  auto provider = noop_provider(host, state);
  if (!provider) return;
  const std::string request =
      R"({"order_id":"o-1","test_id":"t1","candidate":{"id":1,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.org"},"callback_url":"http://127.0.0.1:9/callbacks/a/b/orders/o-1"})";
  for (auto _ : state) {
    ttb::plugins::CallResult r = provider->create_order(request).get();
    benchmark::DoNotOptimize(r.json.data());
  }
}
BENCHMARK(BM_PluginCallCreateOrder)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

// plugin_call_ns_isolated: plugin_call_ns (plugin_call_bench.cc) with the plugin in a
// ttb-plugin-host child (docs/plugin-isolation.md): the call's frame to the child, the child's
// PluginHost, and the answer's frame back. Run by scripts/bench in the same binary.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "plugin_call_support.h"
#include "plugins/isolation/isolated_host.h"

namespace {

void BM_PluginCallIsolated(benchmark::State& state) {
  ttb::plugins::isolation::IsolationOptions options;
  options.host = ttb::bench::quiet_host_options();
  ttb::plugins::isolation::IsolatedHost host(options);
  auto made =
      host.create_provider("bench", "noop", TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object());
  if (!made.provider) {
    state.SkipWithError(made.error.c_str());
    return;
  }
  ttb::bench::time_list_tests(state, *made.provider);
}
BENCHMARK(BM_PluginCallIsolated)->UseRealTime();

// Start-up with many providers of one plugin: 500 instances created in one child, one round trip
// after another (arg 0, create_provider) or all in flight at once (arg 1, start_provider, as
// ttbridged starts). The time is per batch; divide by 500 for one instance.
void BM_PluginCreateIsolated(benchmark::State& state) {
  constexpr int kInstances = 500;
  ttb::plugins::isolation::IsolationOptions options;
  options.host = ttb::bench::quiet_host_options();
  ttb::plugins::isolation::IsolatedHost host(options);
  const bool in_flight = state.range(0) == 1;
  for (auto _ : state) {
    std::vector<std::shared_ptr<ttb::plugins::Provider>> made;
    made.reserve(kInstances);
    std::vector<ttb::plugins::isolation::PendingProvider> started;
    started.reserve(kInstances);
    for (int i = 0; i < kInstances; ++i) {
      const std::string name = "noop" + std::to_string(i);
      if (in_flight) {
        started.push_back(
            host.start_provider("bench", name, TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object()));
      } else {
        made.push_back(
            host.create_provider("bench", name, TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object())
                .provider);
      }
    }
    for (auto& s : started) made.push_back(s.wait().provider);
    for (const auto& p : made)
      if (!p) {
        state.SkipWithError("a create failed");
        return;
      }
    state.PauseTiming();
    made.clear();  // destroys the instances: not part of the start-up measured
    state.ResumeTiming();
  }
}
BENCHMARK(BM_PluginCreateIsolated)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
